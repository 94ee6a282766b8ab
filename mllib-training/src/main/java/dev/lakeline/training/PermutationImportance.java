package dev.lakeline.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lakeline.core.Errors;
import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * How much a fitted model leans on each of its input features, measured the model-agnostic way (Breiman's permutation
 * importance, as scikit-learn's {@code permutation_importance}): the rows are scored as they are, then again with one
 * feature's values shuffled among the rows, which breaks that feature's link to the label and keeps its distribution.
 * The feature's importance is how much the AUC drops, averaged over several shuffles. It works on the pipeline's input
 * columns, so a categorical feature counts once however many slots its one-hot encoding has, and it needs no access to
 * the estimator's internals (logistic regression and gradient-boosted trees alike).
 *
 * <p>Two features that carry the same information share it: shuffling one leaves the other, and both can look
 * unimportant. A drop near 0 means the model does not lean on the feature on these rows; a small negative one is noise.
 *
 * <p>The rows are sampled to at most {@code maxRows} (the ones with the smallest hash of their values and the seed), held
 * on the driver in that order, and every shuffle is seeded: the same rows, seed and repeats give the same result however
 * the rows are partitioned.
 */
public final class PermutationImportance {
  public static final int DEFAULT_REPEATS = 5;
  public static final int MAX_REPEATS = 50;
  public static final int DEFAULT_MAX_ROWS = 20_000;
  public static final int MIN_ROWS = 20;
  public static final long DEFAULT_SEED = 42;
  private static final String REPEAT = "__importance_repeat";

  private PermutationImportance() {}

  /**
   * One feature's importance.
   *
   * @param feature the input column
   * @param drop the AUC as scored less the mean AUC with the feature shuffled
   * @param sd the standard deviation of the drop over the shuffles (0 with one shuffle)
   * @param shuffledAucs the AUC of each shuffle
   */
  public record Feature(String feature, double drop, double sd, double[] shuffledAucs) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Feature f && feature.equals(f.feature) && Arrays.equals(shuffledAucs, f.shuffledAucs)
          && Double.compare(drop, f.drop) == 0 && Double.compare(sd, f.sd) == 0;
    }

    @Override
    public int hashCode() {
      return feature.hashCode() * 31 + Arrays.hashCode(shuffledAucs);
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%s: drop %.4f ± %.4f", feature, drop, sd);
    }
  }

  /**
   * The result: every feature, the most important first.
   *
   * @param rows the rows measured on (the sample)
   * @param of the rows given, before sampling
   * @param positives the positive rows among {@code rows}
   * @param auc the model's AUC on {@code rows} as they are
   * @param repeats the shuffles per feature
   * @param seed the seed of the sample and the shuffles
   * @param features each feature's importance, by drop, largest first (ties by name)
   */
  public record Result(long rows, long of, long positives, double auc, int repeats, long seed, List<Feature> features) {
    public Result {
      features = List.copyOf(features);
    }

    /** Whether the rows were sampled (more were given than measured on). */
    public boolean sampled() {
      return of > rows;
    }
  }

  /**
   * The permutation importance of each of {@code features} for {@code model} on {@code rows} (labelled 0/1 in
   * {@code label}), with the defaults: {@link #DEFAULT_REPEATS} shuffles, at most {@link #DEFAULT_MAX_ROWS} rows,
   * seed {@link #DEFAULT_SEED}.
   */
  public static Result measure(PipelineModel model, Dataset<Row> rows, List<String> features, String label) {
    return measure(model, rows, features, label, DEFAULT_SEED, DEFAULT_REPEATS, DEFAULT_MAX_ROWS, f -> {});
  }

  /**
   * The permutation importance of each of {@code features} for {@code model} on {@code rows} (labelled 0/1 in
   * {@code label}; rows without a label are left out): one scoring of the rows, then one per feature (its {@code
   * repeats} shuffles scored together).
   *
   * @param progress told each feature's name before it is measured
   * @throws dev.lakeline.core.LakelineException.ConfigError if a feature or the label is not a column of {@code rows},
   *     {@code repeats} is not 1 to {@link #MAX_REPEATS}, or {@code maxRows} is under {@link #MIN_ROWS}
   * @throws dev.lakeline.core.LakelineException.DataRejected if the rows (after sampling) hold one outcome only, or a
   *     label other than 0 and 1: the AUC is undefined there
   */
  public static Result measure(PipelineModel model, Dataset<Row> rows, List<String> features, String label, long seed,
      int repeats, int maxRows, Consumer<String> progress) {
    if (repeats < 1 || repeats > MAX_REPEATS) {
      throw Errors.config("The number of shuffles per feature must be 1 to %d, not %d.", MAX_REPEATS, repeats);
    }
    if (maxRows < MIN_ROWS) {
      throw Errors.config("Permutation importance needs at least %d rows to measure on, not %d.", MIN_ROWS, maxRows);
    }
    List<String> columns = Arrays.asList(rows.columns());
    if (features.isEmpty()) {
      throw Errors.config("Name at least one feature to measure the importance of.");
    }
    for (String c : concat(features, label)) {
      if (!columns.contains(c)) {
        throw Errors.missingColumn("Feature importance", c, columns);
      }
    }
    rows = rows.where(SqlColumns.col(label).isNotNull()); // an unlabelled row says nothing of the AUC, as in training
    long of = rows.count();
    // the sample, in the order of the hash: the same rows and order however they are partitioned
    Dataset<Row> ordered = rows.withColumn("__importance_hash", ThresholdSearch.rowHash(rows, seed))
        .orderBy(col("__importance_hash"))
        .limit(maxRows)
        .drop("__importance_hash");
    StructType schema = rows.schema();
    List<Row> sample = ordered.collectAsList();
    int labelIndex = schema.fieldIndex(label);
    long positives = 0;
    for (Row r : sample) {
      double y = labelValue(r, labelIndex, label);
      positives += y == 1.0 ? 1 : 0;
    }
    if (positives == 0 || positives == sample.size()) {
      throw Errors.rejected("The %,d rows to measure feature importance on hold one outcome only (%,d positive): the AUC "
          + "is undefined there. Measure on rows of both outcomes.", sample.size(), positives);
    }
    SparkSession spark = rows.sparkSession();
    double auc = aucs(model, spark.createDataFrame(sample, schema).withColumn(REPEAT, lit(0)), label, 1)[0];
    StructType withRepeat = schema.add(REPEAT, DataTypes.IntegerType, false);
    List<Feature> out = new ArrayList<>();
    for (int fi = 0; fi < features.size(); fi++) {
      String feature = features.get(fi);
      progress.accept(feature);
      int index = schema.fieldIndex(feature);
      List<Row> shuffled = new ArrayList<>(sample.size() * repeats);
      for (int r = 0; r < repeats; r++) {
        int[] order = permutation(sample.size(), new SplittableRandom(seed * 1_000_003L + fi * 1_009L + r));
        for (int i = 0; i < sample.size(); i++) {
          Object[] values = new Object[schema.size() + 1];
          for (int c = 0; c < schema.size(); c++) {
            values[c] = c == index ? sample.get(order[i]).get(c) : sample.get(i).get(c);
          }
          values[schema.size()] = r;
          shuffled.add(RowFactory.create(values));
        }
      }
      double[] shuffledAucs = aucs(model, spark.createDataFrame(shuffled, withRepeat), label, repeats);
      double mean = 0;
      for (double a : shuffledAucs) {
        mean += a / repeats;
      }
      double var = 0;
      for (double a : shuffledAucs) {
        var += (a - mean) * (a - mean);
      }
      out.add(new Feature(feature, auc - mean, repeats > 1 ? Math.sqrt(var / (repeats - 1)) : 0, shuffledAucs));
    }
    out.sort(Comparator.comparingDouble(Feature::drop).reversed().thenComparing(Feature::feature));
    return new Result(sample.size(), of, positives, auc, repeats, seed, out);
  }

  /** A seeded uniform permutation of 0 … n − 1 (Fisher–Yates). */
  static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** The AUC of each repeat (0 … {@code repeats} − 1 in {@link #REPEAT}) of the scored rows: one Spark job. */
  private static double[] aucs(PipelineModel model, Dataset<Row> rows, String label, int repeats) {
    Dataset<Row> scored = model.transform(rows).select(col(REPEAT),
        SqlColumns.col(label).cast("double"),
        org.apache.spark.ml.functions.vector_to_array(col("probability"), "float64").getItem(1));
    List<List<double[]>> byRepeat = new ArrayList<>();
    for (int r = 0; r < repeats; r++) {
      byRepeat.add(new ArrayList<>());
    }
    for (Row r : scored.collectAsList()) {
      byRepeat.get(r.getInt(0)).add(new double[] {r.getDouble(2), r.getDouble(1)});
    }
    double[] out = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      double[][] scoresAndLabels = byRepeat.get(r).toArray(double[][]::new);
      out[r] = auc(scoresAndLabels);
    }
    return out;
  }

  /**
   * The exact area under the ROC curve of {score, label} pairs: the probability that a random positive scores above a
   * random negative, a tie counting half (the Mann–Whitney statistic, with tied scores given their mean rank).
   */
  static double auc(double[][] scoresAndLabels) {
    double[][] s = scoresAndLabels.clone();
    Arrays.sort(s, Comparator.comparingDouble(a -> a[0]));
    long positives = 0;
    double rankSum = 0;
    int i = 0;
    while (i < s.length) {
      int j = i;
      while (j < s.length && s[j][0] == s[i][0]) {
        j++;
      }
      double meanRank = (i + 1 + j) / 2.0; // ranks i+1 … j
      for (int k = i; k < j; k++) {
        if (s[k][1] == 1.0) {
          positives++;
          rankSum += meanRank;
        }
      }
      i = j;
    }
    long negatives = s.length - positives;
    return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
  }

  private static double labelValue(Row r, int index, String label) {
    Object v = r.get(index);
    double y = v instanceof Number n ? n.doubleValue() : v instanceof Boolean b ? (b ? 1 : 0) : Double.NaN;
    if (y != 0.0 && y != 1.0) {
      throw Errors.rejected("The label %s holds %s, and feature importance needs 0 or 1 in every row. Drop or fix the "
          + "rows whose label is not 0 or 1.", label, v);
    }
    return y;
  }

  private static List<String> concat(List<String> features, String label) {
    List<String> all = new ArrayList<>(features);
    all.add(label);
    return all;
  }
}
