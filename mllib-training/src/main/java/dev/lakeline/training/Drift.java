package dev.lakeline.training;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Drift of a batch against a {@link DriftBaseline}: the batch is cut into the baseline's bins (one Spark job for every
 * column), then per column the population stability index and the largest gap between the shares.
 */
public final class Drift {
  /** The floor of a bin's share in the PSI, so that an empty bin counts as rare rather than infinitely surprising. */
  public static final double EPSILON = 1e-4;

  private Drift() {}

  /**
   * The drift of every baseline feature, and of the scores when the baseline has them and {@code batch} has a
   * {@code score} column, each with its status by {@code thresholds}.
   */
  public static List<FeatureDrift> measure(DriftBaseline baseline, Dataset<Row> batch, DriftThresholds thresholds) {
    List<FeatureProfile> shapes = baseline.profilesFor(batch);
    List<FeatureProfile> current = FeatureProfile.measure(batch, shapes);
    List<FeatureDrift> out = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      out.add(compare(shapes.get(i), current.get(i), thresholds));
    }
    return out;
  }

  /** One column's drift: {@code current} must have {@code baseline}'s bins. */
  public static FeatureDrift compare(FeatureProfile baseline, FeatureProfile current, DriftThresholds thresholds) {
    if (!baseline.edges().equals(current.edges()) || !baseline.categories().equals(current.categories())) {
      throw new IllegalArgumentException(baseline.name() + ": the two profiles have different bins");
    }
    long[] e = baseline.countsWithNulls();
    long[] a = current.countsWithNulls();
    double psi = psi(e, a);
    double gap = maxGap(baseline.counts(), current.counts(), baseline.kind().equals(FeatureProfile.NUMERIC));
    String status = thresholds.status(psi, current.rows());
    return new FeatureDrift(
        baseline.name(), baseline.kind(), current.rows(), psi, gap, share(baseline.nulls(), baseline.rows()),
        share(current.nulls(), current.rows()), status);
  }

  /**
   * The population stability index of {@code actual} against {@code expected} (counts over the same bins): Σ (a − e)
   * · ln(a / e) over the bins' shares, each share floored at {@link #EPSILON}. 0 when either side has no rows.
   */
  public static double psi(long[] expected, long[] actual) {
    long te = sum(expected);
    long ta = sum(actual);
    if (te == 0 || ta == 0) {
      return 0;
    }
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double pe = Math.max(EPSILON, (double) expected[i] / te);
      double pa = Math.max(EPSILON, (double) actual[i] / ta);
      psi += (pa - pe) * Math.log(pa / pe);
    }
    return psi;
  }

  /**
   * The largest gap between the two sides' shares, bin by bin or (numeric) between the cumulative shares up to each
   * bin's upper edge; 0 when either side has no rows.
   */
  private static double maxGap(List<Long> expected, List<Long> actual, boolean cumulative) {
    long te = expected.stream().mapToLong(Long::longValue).sum();
    long ta = actual.stream().mapToLong(Long::longValue).sum();
    if (te == 0 || ta == 0) {
      return 0;
    }
    double gap = 0;
    long ce = 0;
    long ca = 0;
    for (int i = 0; i < expected.size(); i++) {
      ce = (cumulative ? ce : 0) + expected.get(i);
      ca = (cumulative ? ca : 0) + actual.get(i);
      gap = Math.max(gap, Math.abs((double) ce / te - (double) ca / ta));
    }
    return gap;
  }

  private static long sum(long[] v) {
    long s = 0;
    for (long x : v) {
      s += x;
    }
    return s;
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
