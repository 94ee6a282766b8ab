package dev.lakeline.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class TrainerTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("x", DataTypes.DoubleType)
          .add("colour", DataTypes.StringType)
          .add("label", DataTypes.IntegerType);

  /** label = 1 mostly when x is high or the colour is red. */
  private static Dataset<Row> data(SparkSession spark, int n, long seed) {
    Random r = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x = r.nextGaussian();
      String colour = r.nextBoolean() ? "red" : "blue";
      double logit = 2 * x + ("red".equals(colour) ? 1.0 : -1.0);
      int label = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      rows.add(RowFactory.create("r" + i, i % 17 == 0 ? null : x, colour, label));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static final TrainingSpec SPEC = new TrainingSpec("logistic_regression", List.of("x"), List.of("colour"), "label", 1L);

  @Test
  void learnsASignalAndScoresUnseenCategoriesAndNulls(SparkSession spark, TestLakehouse lh) {
    Trainer.Trained trained = Trainer.train(data(spark, 800, 1), data(spark, 300, 2), SPEC);
    assertTrue(trained.metrics().get("areaUnderROC") > 0.75, "AUC " + trained.metrics());
    assertEquals(300.0, trained.metrics().get("test_rows"));
    assertEquals("logistic_regression", SPEC.algorithm());

    ModelVersion v = ModelRegistry.open(spark, lh.layout()).register("m", trained.model(),
        new ModelCard("k", SPEC.algorithm(), trained.params(), trained.metrics(), "td", Map.of(), List.of("x", "colour"), "label", "2024-01-01", Map.of()));
    Dataset<Row> fresh = spark.createDataFrame(
        List.of(RowFactory.create("a", null, "green", null), RowFactory.create("b", 3.0, "red", null)), SCHEMA);
    List<Row> scored = BatchScorer.score(v, fresh, List.of("id")).orderBy("id").collectAsList();
    assertEquals(2, scored.size());
    double unseen = scored.get(0).getDouble(1);
    double high = scored.get(1).getDouble(1);
    assertTrue(unseen >= 0 && unseen <= 1, "a null feature and an unseen category still score: " + unseen);
    assertTrue(high > 0.9, "x=3, red should score high: " + high);
    assertEquals(1, scored.get(1).getInt(2));
    assertEquals("m", scored.get(1).getString(3));
  }

  @Test
  void gbtIsAvailable(SparkSession spark) {
    TrainingSpec gbt = new TrainingSpec("gbt", List.of("x"), List.of("colour"), "label", 3L);
    assertTrue(Trainer.train(data(spark, 400, 3), data(spark, 200, 4), gbt).metrics().get("areaUnderROC") > 0.7);
  }

  @Test
  void noLabelledRowsIsARejectionNotACrash(SparkSession spark) {
    Dataset<Row> unlabelled = data(spark, 20, 5).withColumn("label", org.apache.spark.sql.functions.lit(null).cast("int"));
    var e = assertThrows(LakelineException.DataRejected.class, () -> Trainer.train(unlabelled, unlabelled, SPEC));
    assertTrue(e.getMessage().contains("no labelled rows"), e.getMessage());
  }

  @Test
  void anUnknownAlgorithmIsAConfigError() {
    assertThrows(LakelineException.ConfigError.class, () -> new TrainingSpec("xgboost", List.of("x"), List.of(), "label", 1));
  }
}
