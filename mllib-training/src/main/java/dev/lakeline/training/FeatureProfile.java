package dev.lakeline.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How one column's values are spread: the histogram that drift is measured against.
 *
 * <p>A {@code numeric} column has bins between its {@code edges} (ascending; a value goes to the first bin whose upper
 * edge is at or above it, the last bin holds what is above every edge): {@code edges.size() + 1} counts. A {@code
 * categorical} column has one count per listed category and a last one for every other value. Nulls are counted
 * apart. The baseline's edges are the deciles of the training data, so each of its bins holds about a tenth of the
 * rows, and the same edges cut every later batch.
 *
 * @param name the column
 * @param kind {@link #NUMERIC} or {@link #CATEGORICAL}
 * @param edges numeric: the bin edges; categorical: empty
 * @param categories categorical: the categories counted one by one (the most frequent in the baseline); numeric: empty
 * @param counts rows per bin (numeric) or per category and then the rest (categorical)
 * @param nulls rows where the column is null
 */
public record FeatureProfile(String name, String kind, List<Double> edges, List<String> categories, List<Long> counts, long nulls) {
  public static final String NUMERIC = "numeric";
  public static final String CATEGORICAL = "categorical";
  /** The most categories a categorical profile lists one by one; the rest share a bin. */
  public static final int MAX_CATEGORIES = 20;
  /** Deciles: nine edges, ten bins of about equal size in the baseline. */
  static final int QUANTILE_BINS = 10;

  public FeatureProfile {
    edges = List.copyOf(edges);
    categories = List.copyOf(categories);
    counts = List.copyOf(counts);
    int expected = kind.equals(NUMERIC) ? edges.size() + 1 : categories.size() + 1;
    if (counts.size() != expected) {
      throw new IllegalArgumentException(name + ": " + counts.size() + " counts for " + expected + " bins");
    }
  }

  /** Rows, nulls included. */
  public long rows() {
    return nulls + counts.stream().mapToLong(Long::longValue).sum();
  }

  /** The counts, then the nulls: the bins a PSI is taken over. */
  public long[] countsWithNulls() {
    long[] out = new long[counts.size() + 1];
    for (int i = 0; i < counts.size(); i++) {
      out[i] = counts.get(i);
    }
    out[out.length - 1] = nulls;
    return out;
  }

  /**
   * Labels of the bins, in order ("≤ 0.25", "(0.25, 0.5]", "> 0.9"; the categories, then "other", or "(other)" when a
   * category is itself named "other", as the default bucket of rare categories is).
   */
  public List<String> binLabels() {
    List<String> out = new ArrayList<>();
    if (kind.equals(CATEGORICAL)) {
      out.addAll(categories);
      String rest = "other";
      while (categories.contains(rest)) {
        rest = "(" + rest + ")";
      }
      out.add(rest);
      return out;
    }
    if (edges.isEmpty()) {
      out.add("all");
      return out;
    }
    out.add("≤ " + shortNumber(edges.get(0)));
    for (int i = 1; i < edges.size(); i++) {
      out.add("(" + shortNumber(edges.get(i - 1)) + ", " + shortNumber(edges.get(i)) + "]");
    }
    out.add("> " + shortNumber(edges.get(edges.size() - 1)));
    return out;
  }

  private static String shortNumber(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.valueOf((long) v);
    }
    return new java.math.BigDecimal(String.format(java.util.Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
  }

  /**
   * Profiles of {@code numeric} and {@code categorical} columns of {@code data}: the deciles of each numeric column
   * (Spark's approximate quantiles, relative error 0.001, one job), the {@link #MAX_CATEGORIES} most frequent values of
   * each categorical column (one small job each), then every count in one more job.
   */
  public static List<FeatureProfile> of(Dataset<Row> data, List<String> numeric, List<String> categorical) {
    List<FeatureProfile> shapes = new ArrayList<>();
    if (!numeric.isEmpty()) {
      double[] probabilities = new double[QUANTILE_BINS - 1];
      for (int i = 0; i < probabilities.length; i++) {
        probabilities[i] = (i + 1.0) / QUANTILE_BINS;
      }
      Dataset<Row> asDouble = data.select(numeric.stream().map(c -> SqlColumns.col(c).cast("double").as(c)).toArray(Column[]::new));
      double[][] quantiles = asDouble.stat().approxQuantile(numeric.toArray(String[]::new), probabilities, 0.001);
      for (int i = 0; i < numeric.size(); i++) {
        TreeSet<Double> distinct = new TreeSet<>();
        for (double q : quantiles[i]) {
          if (!Double.isNaN(q)) {
            distinct.add(q);
          }
        }
        List<Double> edges = new ArrayList<>(distinct);
        shapes.add(new FeatureProfile(numeric.get(i), NUMERIC, edges, List.of(), zeros(edges.size() + 1), 0));
      }
    }
    for (String c : categorical) {
      List<String> top = new ArrayList<>();
      Column value = SqlColumns.col(c).cast("string");
      for (Row r : data.where(value.isNotNull()).groupBy(value.as("v")).agg(count(lit(1)).as("n"))
          .orderBy(desc("n"), col("v")).limit(MAX_CATEGORIES).collectAsList()) {
        top.add(r.getString(0));
      }
      shapes.add(new FeatureProfile(c, CATEGORICAL, List.of(), top, zeros(top.size() + 1), 0));
    }
    return measure(data, shapes);
  }

  /**
   * The same bins as {@code shapes}, counted over {@code data}: one Spark job (a single aggregate row, no shuffle of
   * the data). A column that {@code data} lacks is an error naming it.
   */
  public static List<FeatureProfile> measure(Dataset<Row> data, List<FeatureProfile> shapes) {
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)));
    for (FeatureProfile p : shapes) {
      if (!java.util.Arrays.asList(data.columns()).contains(p.name())) {
        throw dev.lakeline.core.Errors.config(
            "Column '%s' is not in the data being profiled (its columns: %s).", p.name(), String.join(", ", data.columns()));
      }
      Column bin = p.binOf(SqlColumns.col(p.name()));
      aggregates.add(count(when(bin.equalTo(-1), 1)));
      for (int b = 0; b < p.counts().size(); b++) {
        aggregates.add(count(when(bin.equalTo(b), 1)));
      }
    }
    Row row = data.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new)).first();
    List<FeatureProfile> out = new ArrayList<>();
    int i = 1;
    for (FeatureProfile p : shapes) {
      long nulls = row.getLong(i++);
      List<Long> counts = new ArrayList<>();
      for (int b = 0; b < p.counts().size(); b++) {
        counts.add(row.getLong(i++));
      }
      out.add(new FeatureProfile(p.name(), p.kind(), p.edges(), p.categories(), counts, nulls));
    }
    return out;
  }

  /** The bin of each value as a Spark expression: -1 for null. */
  Column binOf(Column column) {
    if (kind.equals(CATEGORICAL)) {
      Column v = column.cast("string");
      Column bin = when(v.isNull(), -1);
      for (int i = 0; i < categories.size(); i++) {
        bin = bin.when(v.equalTo(lit(categories.get(i))), i);
      }
      return bin.otherwise(categories.size());
    }
    Column v = column.cast("double");
    Column bin = when(v.isNull(), -1);
    for (int i = 0; i < edges.size(); i++) {
      bin = bin.when(v.leq(lit(edges.get(i))), i);
    }
    return bin.otherwise(edges.size());
  }

  /**
   * The profile of a model's scores from its {@link ScoreDistribution} on the test split: edges at the deciles of the
   * scores (on the distribution's bin boundaries, so the counts are exact), the rows of every class together.
   */
  public static FeatureProfile ofScores(String name, ScoreDistribution scores) {
    int bins = scores.bins();
    long[] all = new long[bins];
    long total = 0;
    for (int b = 0; b < bins; b++) {
      all[b] = scores.negatives()[b] + scores.positives()[b];
      total += all[b];
    }
    List<Double> edges = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    long running = 0;
    long inBin = 0;
    int next = 1;
    for (int b = 0; b < bins; b++) {
      running += all[b];
      inBin += all[b];
      if (next < QUANTILE_BINS && total > 0 && running >= total * next / (double) QUANTILE_BINS && b < bins - 1 && inBin > 0) {
        edges.add((b + 1.0) / bins);
        counts.add(inBin);
        inBin = 0;
        while (next < QUANTILE_BINS && running >= total * next / (double) QUANTILE_BINS) {
          next++;
        }
      }
    }
    counts.add(inBin);
    return new FeatureProfile(name, NUMERIC, edges, List.of(), counts, 0);
  }

  private static List<Long> zeros(int n) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(0L);
    }
    return out;
  }
}
