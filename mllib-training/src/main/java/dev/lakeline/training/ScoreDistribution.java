package dev.lakeline.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;

import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A binary classifier's scores on its test split, kept with the model version so that its curves can be drawn
 * without scoring again: per bin of the score (the probability of the positive class, {@code bins} equal bins over
 * [0, 1]), how many negative and positive test rows fell in it. The curves are exact up to the bin width (1/1000 by
 * default): rows in one bin count as tied.
 *
 * <p>A version whose threshold was chosen on a validation split keeps that split's distribution too ({@link
 * Trainer.Trained#validationScores()}): 10,000 bins, bin b holding the scores in (b / 10,000, (b + 1) / 10,000] (and
 * the scores of 0 in bin 0), so that at a threshold k / 10,000 the rows of bins k and up are exactly the rows the
 * model predicts positive (a score above its threshold).
 *
 * @param bins the number of equal-width score bins over [0, 1]
 * @param negatives per bin, rows with label 0 (of the test split, or of the validation split)
 * @param positives per bin, rows with label 1
 */
public record ScoreDistribution(int bins, long[] negatives, long[] positives) {
  public static final int DEFAULT_BINS = 1000;

  public ScoreDistribution {
    if (bins < 1 || negatives == null || positives == null || negatives.length != bins || positives.length != bins) {
      throw new IllegalArgumentException("A score distribution needs " + bins + " bins of negatives and of positives.");
    }
  }

  /** The distribution of {@code scored} (MLlib's {@code probability} column and the 0/1 label): one small Spark job. */
  static ScoreDistribution of(Dataset<Row> scored, String label, int bins) {
    return of(scored, functions.vector_to_array(col("probability"), "float64").getItem(1), SqlColumns.col(label), bins);
  }

  /**
   * The distribution of a score column (the probability of the positive class) against a 0/1 label column, over the
   * rows where both are set: one small Spark job. What monitoring measures once labels arrive for batch predictions.
   */
  public static ScoreDistribution of(Dataset<Row> rows, Column score, Column label, int bins) {
    long[] neg = new long[bins];
    long[] pos = new long[bins];
    Dataset<Row> counts = rows
        .where(label.isNotNull().and(score.isNotNull()))
        .select(
            bin(score, bins).as("bin"),
            label.cast("double").as("label"))
        .groupBy("bin", "label")
        .agg(count(lit(1)).as("n"));
    for (Row r : counts.collectAsList()) {
      (r.getDouble(1) >= 0.5 ? pos : neg)[r.getInt(0)] += r.getLong(2);
    }
    return new ScoreDistribution(bins, neg, pos);
  }

  /** The bin of a score, 0 … {@code bins} − 1 (a score of 1 falls in the last bin), as a Spark expression. */
  public static Column bin(Column score, int bins) {
    return greatest(lit(0), least(lit(bins - 1), floor(score.multiply(bins)))).cast("int");
  }

  public long totalNegatives() {
    return Arrays.stream(negatives).sum();
  }

  public long totalPositives() {
    return Arrays.stream(positives).sum();
  }

  /**
   * Per threshold, from above the highest non-empty bin down to the lowest: the rows scored at or above it, as
   * {false positives, true positives}.
   */
  private List<long[]> cumulative() {
    List<long[]> out = new ArrayList<>();
    long fp = 0;
    long tp = 0;
    for (int b = bins - 1; b >= 0; b--) {
      if (negatives[b] + positives[b] > 0) {
        fp += negatives[b];
        tp += positives[b];
        out.add(new long[] {fp, tp});
      }
    }
    return out;
  }

  /**
   * The ROC curve: (false-positive rate, true-positive rate) for every threshold from above the highest bin down to
   * the lowest, starting at (0, 0) and ending at (1, 1).
   */
  public List<double[]> roc() {
    long n = Math.max(1, totalNegatives());
    long p = Math.max(1, totalPositives());
    List<double[]> out = new ArrayList<>();
    out.add(new double[] {0, 0});
    cumulative().forEach(c -> out.add(new double[] {(double) c[0] / n, (double) c[1] / p}));
    return out;
  }

  /** The area under {@link #roc()} (trapezoids: rows in one bin count as tied, as MLlib counts tied scores). */
  public double areaUnderRoc() {
    List<double[]> roc = roc();
    double area = 0;
    for (int i = 1; i < roc.size(); i++) {
      area += (roc.get(i)[0] - roc.get(i - 1)[0]) * (roc.get(i)[1] + roc.get(i - 1)[1]) / 2;
    }
    return area;
  }

  /** The precision-recall curve: (recall, precision) per threshold, from the highest bin down. */
  public List<double[]> precisionRecall() {
    long p = Math.max(1, totalPositives());
    List<double[]> out = new ArrayList<>();
    cumulative().forEach(c -> out.add(new double[] {(double) c[1] / p, (double) c[1] / (c[0] + c[1])}));
    return out;
  }

  /**
   * Precision, recall and F1 of the positive class by threshold: for every threshold {@code k / bins} (k = 1 …
   * bins − 1) that predicts a row positive, with the rows of bins k and up predicted positive, {threshold, precision,
   * recall, F1, rows predicted positive, true positives}, in ascending order of threshold. Recall and F1 are 0 when no
   * row is positive.
   */
  public List<double[]> byThreshold() {
    long p = totalPositives();
    List<double[]> out = new ArrayList<>();
    long predicted = 0;
    long truePositives = 0;
    for (int k = bins - 1; k >= 1; k--) {
      predicted += negatives[k] + positives[k];
      truePositives += positives[k];
      if (predicted > 0) {
        out.add(new double[] {(double) k / bins, (double) truePositives / predicted,
            p == 0 ? 0 : (double) truePositives / p, 2.0 * truePositives / (predicted + p), predicted, truePositives});
      }
    }
    java.util.Collections.reverse(out);
    return out;
  }

  /**
   * The cost per row by threshold, a false alarm costing 1 and a missed positive {@code falseNegativeCost} (the cost a
   * min-cost threshold choice minimises): {threshold, cost per row} at every threshold of {@link #byThreshold()}.
   */
  public List<double[]> costByThreshold(double falseNegativeCost) {
    long p = totalPositives();
    double rows = Math.max(1, totalNegatives() + p);
    // byThreshold's points: {threshold, precision, recall, F1, predicted, true positives}
    return byThreshold().stream().map(t -> new double[] {t[0],
        ThresholdSearch.cost((long) t[4], (long) t[5], p, falseNegativeCost) / rows}).toList();
  }

  /**
   * Calibration by {@code groups} groups of about equal size in score order: per group, the mean score (bin centres)
   * and the share of positives. A calibrated model's points lie on the diagonal.
   */
  public List<double[]> calibration(int groups) {
    long total = totalNegatives() + totalPositives();
    List<double[]> out = new ArrayList<>();
    if (total == 0) {
      return out;
    }
    double target = (double) total / groups;
    long rows = 0;
    long pos = 0;
    double scoreSum = 0;
    for (int b = 0; b < bins; b++) {
      long k = negatives[b] + positives[b];
      rows += k;
      pos += positives[b];
      scoreSum += k * (b + 0.5) / bins;
      if (rows > 0 && (rows >= target || b == bins - 1)) {
        out.add(new double[] {scoreSum / rows, (double) pos / rows});
        rows = 0;
        pos = 0;
        scoreSum = 0;
      }
    }
    return out;
  }

  /**
   * The confusion matrix at {@code threshold} (a bin's rows count as predicted positive when the bin starts at or above
   * it): true negatives, false positives, false negatives, true positives.
   */
  public long[] confusion(double threshold) {
    long[] m = new long[4];
    for (int b = 0; b < bins; b++) {
      boolean predicted = (double) b / bins >= threshold - 1e-12;
      m[predicted ? 1 : 0] += negatives[b];
      m[predicted ? 3 : 2] += positives[b];
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoreDistribution d && d.bins == bins && Arrays.equals(d.negatives, negatives) && Arrays.equals(d.positives, positives);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * bins + Arrays.hashCode(negatives)) + Arrays.hashCode(positives);
  }

  @Override
  public String toString() {
    return "ScoreDistribution[bins=" + bins + ", negatives=" + totalNegatives() + ", positives=" + totalPositives() + "]";
  }
}
