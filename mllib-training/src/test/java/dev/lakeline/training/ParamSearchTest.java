package dev.lakeline.training;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Hyperparameter search by cross-validation on the train split. */
@SparkTest
class ParamSearchTest {
  private static final StructType SCHEMA = new StructType()
      .add("x", DataTypes.DoubleType)
      .add("noise", DataTypes.DoubleType)
      .add("label", DataTypes.IntegerType);

  /** The label follows x; noise is noise. */
  private static Dataset<Row> rows(SparkSession spark, int n, long seed) {
    Random r = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x = r.nextGaussian();
      out.add(RowFactory.create(x, r.nextGaussian(), r.nextDouble() < 1 / (1 + Math.exp(-2 * x)) ? 1 : 0));
    }
    return spark.createDataFrame(out, SCHEMA);
  }

  private static final TrainingSpec SPEC = new TrainingSpec("logistic_regression", List.of("x", "noise"), List.of(), "label", 3L);

  @Test
  void theGridIsReadFromTextAndEveryCombinationListedInOrder() {
    ParamSearch s = ParamSearch.parse(" regParam=0.0001, 0.01,1 ; elasticNetParam=0,0.5", 3);
    assertEquals(Map.of("regParam", List.of(0.0001, 0.01, 1.0), "elasticNetParam", List.of(0.0, 0.5)), s.grid());
    assertEquals("regParam=0.0001,0.01,1; elasticNetParam=0,0.5", s.gridText());
    assertEquals("regParam=0.0001,0.01,1; elasticNetParam=0,0.5 (3 folds)", s.toString());
    assertEquals(ParamSearch.parse(s.gridText(), 3), s, "the text reads back");
    List<Map<String, Double>> c = s.combinations();
    assertEquals(6, c.size());
    assertEquals(Map.of("regParam", 0.0001, "elasticNetParam", 0.0), c.get(0));
    assertEquals(Map.of("regParam", 0.0001, "elasticNetParam", 0.5), c.get(1));
    assertEquals(Map.of("regParam", 1.0, "elasticNetParam", 0.5), c.get(5));
    assertEquals("regParam=0.0001, elasticNetParam=0.5", ParamSearch.combinationText(c.get(1)));
    // from Python, whole numbers arrive as integers
    assertEquals(ParamSearch.parse("maxDepth=2,4", 2), ParamSearch.of(Map.of("maxDepth", List.of(2, 4)), 2));
  }

  @Test
  void aGridThatCannotBeSearchedIsAConfigErrorNamingWhy() {
    assertEquals("'regParam' in the hyperparameter search's values of x is not a number.",
        assertThrows(LakelineException.ConfigError.class, () -> ParamSearch.parse("x=regParam", 3)).getMessage());
    assertTrue(assertThrows(LakelineException.ConfigError.class, () -> ParamSearch.parse("0.1,0.2", 3)).getMessage()
        .contains("is not name=value,value,…"));
    assertEquals("The hyperparameter search names regParam twice: list all its values once.",
        assertThrows(LakelineException.ConfigError.class, () -> ParamSearch.parse("regParam=1;regParam=2", 3)).getMessage());
    assertEquals("The hyperparameter search lists a value of regParam twice (0.1,0.1): list each once.",
        assertThrows(LakelineException.ConfigError.class, () -> ParamSearch.parse("regParam=0.1,0.10", 3)).getMessage());
    assertEquals("A hyperparameter search needs 2 to 10 folds, not 1.",
        assertThrows(LakelineException.ConfigError.class, () -> ParamSearch.parse("regParam=1", 1)).getMessage());
    assertTrue(assertThrows(LakelineException.ConfigError.class, () -> ParamSearch.parse(" ; ", 3)).getMessage()
        .startsWith("A hyperparameter search needs at least one hyperparameter"));
    String many = "regParam=1,2,3,4,5,6,7,8,9; elasticNetParam=0,0.1,0.2,0.3,0.4,0.5,0.6,0.7";
    assertTrue(assertThrows(LakelineException.ConfigError.class, () -> ParamSearch.parse(many, 3)).getMessage()
        .startsWith("The hyperparameter search has 72 combinations"));
    // the spec checks each combination against its algorithm, before any fit
    assertEquals("logistic_regression has no hyperparameter 'maxDepth': its hyperparameters are [maxIter, regParam, "
        + "elasticNetParam].", assertThrows(LakelineException.ConfigError.class,
        () -> SPEC.withSearch(ParamSearch.parse("maxDepth=2,4", 3))).getMessage());
    assertEquals("The logistic_regression hyperparameter elasticNetParam must be a number from 0 (L2) to 1 (L1), got 2.0.",
        assertThrows(LakelineException.ConfigError.class,
            () -> SPEC.withSearch(ParamSearch.parse("elasticNetParam=0,2", 3))).getMessage());
  }

  @Test
  void theSpecsTextNamesASearchOnlyWhenThereIsOne() {
    assertTrue(!SPEC.toString().contains("search"), SPEC.toString());
    assertTrue(SPEC.toString().endsWith(", thresholdChoice=" + ThresholdChoice.FIXED + "]"), SPEC.toString());
    assertTrue(SPEC.withSearch(ParamSearch.parse("regParam=0.1,1", 4)).toString()
        .endsWith(", thresholdChoice=" + ThresholdChoice.FIXED + ", search=regParam=0.1,1 (4 folds)]"));
  }

  @Test
  void theCombinationWithTheBestMeanAucOverTheHeldOutFoldsIsFittedOnEveryTrainRow(SparkSession spark) {
    Dataset<Row> train = rows(spark, 600, 1);
    Dataset<Row> test = rows(spark, 300, 2);
    // L1 at 1.0 drops every coefficient (a constant score, AUC 0.5 on each fold); at 0.001 it keeps x
    ParamSearch search = ParamSearch.parse("regParam=1,0.001; elasticNetParam=1", 3);
    Trainer.Trained trained = Trainer.train(train, test, SPEC.withSearch(search));
    assertEquals("0.001", trained.params().get("regParam"), trained.params().toString());
    assertEquals("1.0", trained.params().get("elasticNetParam"));
    assertEquals("regParam=1,0.001; elasticNetParam=1", trained.params().get("searchGrid"));
    assertEquals("3", trained.params().get("searchFolds"));

    // the oracle: each fold left out in turn, each combination fitted by hand on the other folds and scored on it
    Dataset<Row> folded = ThresholdSearch.withFolds(train, SPEC.seed(), 3);
    BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator().setLabelCol("label");
    double[][] expected = new double[2][3];
    List<Map<String, Double>> combinations = search.combinations();
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < 3; i++) {
        PipelineModel m = Trainer.pipeline(SPEC.withParams(combinations.get(c)))
            .fit(folded.where(col(ThresholdSearch.FOLD).notEqual(i)));
        expected[c][i] = auc.evaluate(m.transform(folded.where(col(ThresholdSearch.FOLD).equalTo(i))));
      }
    }
    assertArrayEquals(new double[] {0.5, 0.5, 0.5}, expected[0], 1e-12, "a constant score ranks nothing");
    double mean = (expected[1][0] + expected[1][1] + expected[1][2]) / 3;
    assertTrue(mean > 0.75, "x ranks: " + mean);
    assertEquals(mean, trained.metrics().get("search_auc"), 1e-12);
    assertEquals(String.format(java.util.Locale.ROOT, "regParam=1, elasticNetParam=1: 0.5000; regParam=0.001, "
        + "elasticNetParam=1: %.4f (chosen)", mean), trained.params().get("searchResults"));

    // the model: the chosen combination fitted on every train row, as a plain fit of it
    LogisticRegressionModel searched = (LogisticRegressionModel) trained.model().stages()[trained.model().stages().length - 1];
    Trainer.Trained plain = Trainer.train(train, test, SPEC.withParams(Map.of("regParam", 0.001, "elasticNetParam", 1.0)));
    LogisticRegressionModel fitted = (LogisticRegressionModel) plain.model().stages()[plain.model().stages().length - 1];
    assertArrayEquals(fitted.coefficients().toArray(), searched.coefficients().toArray(), 1e-12);
    assertEquals(plain.metrics().get("areaUnderROC"), trained.metrics().get("areaUnderROC"), 1e-12);
  }

  @Test
  void aFoldThatHoldsEveryPositiveIsRefusedBeforeAnyFit(SparkSession spark) {
    List<Row> few = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      few.add(RowFactory.create((double) i, 0.0, i == 7 ? 1 : 0));
    }
    Dataset<Row> train = spark.createDataFrame(few, SCHEMA);
    var e = assertThrows(LakelineException.DataRejected.class,
        () -> Trainer.train(train, rows(spark, 50, 4), SPEC.withSearch(ParamSearch.parse("regParam=0.1,1", 3))));
    assertTrue(e.getMessage().startsWith("The hyperparameters are searched on 3 folds of the train split (30 rows), and fold ")
        && e.getMessage().contains(" holds every positive row, so the pipeline fitted on the other folds would see one "
            + "outcome only. Nothing was trained. Use fewer folds (training.search.folds) or more rows."), e.getMessage());
  }
}
