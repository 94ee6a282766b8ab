package dev.lakeline.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Permutation importance on rows whose label depends strongly on {@code strong}, weakly on {@code colour} and not at all
 * on {@code noise}.
 */
@SparkTest
class PermutationImportanceTest {
  private static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType)
      .add("strong", DataTypes.DoubleType)
      .add("noise", DataTypes.DoubleType)
      .add("colour", DataTypes.StringType)
      .add("label", DataTypes.IntegerType);
  private static final List<String> FEATURES = List.of("strong", "noise", "colour");
  private static PipelineModel model;
  private static Dataset<Row> test;

  private static Dataset<Row> rows(SparkSession spark, int n, long seed) {
    Random r = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double strong = r.nextGaussian();
      String colour = r.nextBoolean() ? "red" : "blue";
      double logit = 2.5 * strong + ("red".equals(colour) ? 0.6 : -0.6);
      int label = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      out.add(RowFactory.create(seed * 1_000_000 + i, strong, r.nextGaussian(), colour, label));
    }
    return spark.createDataFrame(out, SCHEMA);
  }

  @BeforeAll
  static void fit(SparkSession spark) {
    TrainingSpec spec = new TrainingSpec("logistic_regression", List.of("strong", "noise"), List.of("colour"), "label", 1L);
    model = Trainer.train(rows(spark, 1500, 1), rows(spark, 200, 2), spec).model();
    test = rows(spark, 1200, 3).cache();
  }

  @Test
  void theFeatureTheLabelDependsOnComesFirstAndNoiseLast(SparkSession spark) {
    PermutationImportance.Result r = PermutationImportance.measure(model, test, FEATURES, "label");
    assertEquals(1200, r.rows());
    assertEquals(1200, r.of());
    assertEquals(5, r.repeats());
    assertEquals(List.of("strong", "colour", "noise"), r.features().stream().map(PermutationImportance.Feature::feature).toList(),
        r.features().toString());
    PermutationImportance.Feature strong = r.features().get(0);
    PermutationImportance.Feature colour = r.features().get(1);
    PermutationImportance.Feature noise = r.features().get(2);
    // with strong shuffled, only colour is left: an AUC near 0.6
    assertTrue(strong.drop() > 0.2, strong.toString());
    assertTrue(colour.drop() > 0.01 && colour.drop() < strong.drop() / 4, colour.toString());
    assertTrue(Math.abs(noise.drop()) < 0.01, noise.toString());
    assertEquals(5, strong.shuffledAucs().length);
    // the drop is the AUC as scored less the mean of the shuffles'; its spread their sample standard deviation
    double mean = java.util.Arrays.stream(strong.shuffledAucs()).average().orElseThrow();
    assertEquals(r.auc() - mean, strong.drop(), 1e-12);
    double ss = java.util.Arrays.stream(strong.shuffledAucs()).map(a -> (a - mean) * (a - mean)).sum();
    assertEquals(Math.sqrt(ss / 4), strong.sd(), 1e-12);
    assertTrue(strong.sd() > 0, "the shuffles differ");

    // the AUC as scored is MLlib's, computed exactly (no binning)
    double mllib = new BinaryClassificationEvaluator().setLabelCol("label").setRawPredictionCol("rawPrediction").setNumBins(0)
        .evaluate(model.transform(test.withColumn("label", functions.col("label").cast("double"))));
    assertEquals(mllib, r.auc(), 1e-9);
  }

  @Test
  void theSameRowsSeedAndRepeatsGiveTheSameResultHoweverPartitionedAndAnotherSeedOtherShuffles(SparkSession spark) {
    PermutationImportance.Result a = PermutationImportance.measure(model, test, FEATURES, "label", 7, 3, 500, f -> {});
    PermutationImportance.Result b =
        PermutationImportance.measure(model, test.repartition(5).orderBy(functions.rand(9)), FEATURES, "label", 7, 3, 500, f -> {});
    assertEquals(a, b);
    // sampled: 500 of the 1,200 rows
    assertEquals(500, a.rows());
    assertEquals(1200, a.of());
    assertTrue(a.sampled());
    PermutationImportance.Result c = PermutationImportance.measure(model, test, FEATURES, "label", 8, 3, 500, f -> {});
    assertNotEquals(a.features().get(0).shuffledAucs()[0], c.features().get(0).shuffledAucs()[0]);
  }

  @Test
  void progressNamesEachFeatureInTurn() {
    List<String> told = new ArrayList<>();
    PermutationImportance.measure(model, test, List.of("noise", "strong"), "label", 1, 1, 100, told::add);
    assertEquals(List.of("noise", "strong"), told);
  }

  @Test
  void theExactAucCountsATieAsHalf() {
    // positives 0.9, 0.5; negatives 0.5, 0.1: pairs (0.9>0.5) (0.9>0.1) (0.5=0.5: half) (0.5>0.1) → 3.5 / 4
    assertEquals(3.5 / 4, PermutationImportance.auc(new double[][] {{0.9, 1}, {0.5, 1}, {0.5, 0}, {0.1, 0}}), 1e-12);
    assertEquals(0.0, PermutationImportance.auc(new double[][] {{0.1, 1}, {0.9, 0}}), 1e-12);
    assertEquals(0.5, PermutationImportance.auc(new double[][] {{0.3, 1}, {0.3, 0}, {0.3, 0}}), 1e-12);
  }

  @Test
  void aPermutationHoldsEveryIndexOnce() {
    int[] p = PermutationImportance.permutation(1000, new SplittableRandom(3));
    int[] sorted = p.clone();
    java.util.Arrays.sort(sorted);
    int[] identity = new int[1000];
    java.util.Arrays.setAll(identity, i -> i);
    assertArrayEquals(identity, sorted);
    assertNotEquals(java.util.Arrays.toString(identity), java.util.Arrays.toString(p));
  }

  @Test
  void badArgumentsAndRowsOfOneOutcomeAreClearErrors(SparkSession spark) {
    var missing = assertThrows(LakelineException.ConfigError.class,
        () -> PermutationImportance.measure(model, test, List.of("strong", "colur"), "label"));
    assertTrue(missing.getMessage().contains("'colur'") && missing.getMessage().contains("Did you mean 'colour'?"),
        missing.getMessage());
    var repeats = assertThrows(LakelineException.ConfigError.class,
        () -> PermutationImportance.measure(model, test, FEATURES, "label", 1, 0, 100, f -> {}));
    assertEquals("The number of shuffles per feature must be 1 to 50, not 0.", repeats.getMessage());
    var few = assertThrows(LakelineException.ConfigError.class,
        () -> PermutationImportance.measure(model, test, FEATURES, "label", 1, 1, 10, f -> {}));
    assertEquals("Permutation importance needs at least 20 rows to measure on, not 10.", few.getMessage());
    // rows without a label are left out, as training leaves them out
    PermutationImportance.Result labelled = PermutationImportance.measure(model, test.withColumn("label",
        functions.when(functions.col("id").mod(4).equalTo(0), functions.lit(null)).otherwise(functions.col("label"))),
        List.of("noise"), "label", 1, 1, 5000, f -> {});
    assertEquals(test.where("id % 4 <> 0").count(), labelled.of());
    var one = assertThrows(LakelineException.DataRejected.class,
        () -> PermutationImportance.measure(model, test.where("label = 1"), FEATURES, "label"));
    assertTrue(one.getMessage().startsWith("The ") && one.getMessage().contains("hold one outcome only"), one.getMessage());
  }
}
