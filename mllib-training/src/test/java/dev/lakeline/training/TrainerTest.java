package dev.lakeline.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.featurestore.ModelTransformation;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.MinMaxScalerModel;
import org.apache.spark.ml.feature.RobustScalerModel;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
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
    return generated(spark, n, seed, 2.0, 1.0, 0.0, 17);
  }

  /**
   * n rows whose label is 1 with probability sigmoid(slope x ± red + intercept), + for red; x is missing in every
   * {@code nullEvery}-th row (0: none).
   */
  private static Dataset<Row> generated(SparkSession spark, int n, long seed, double slope, double red, double intercept,
      int nullEvery) {
    Random r = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x = r.nextGaussian();
      String colour = r.nextBoolean() ? "red" : "blue";
      double logit = slope * x + ("red".equals(colour) ? red : -red) + intercept;
      int label = r.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
      rows.add(RowFactory.create("r" + i, nullEvery > 0 && i % nullEvery == 0 ? null : x, colour, label));
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
  void theTestScoresAreKeptWithTheVersionAndAgreeWithMllibsMetrics(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> test = data(spark, 600, 5);
    Trainer.Trained trained = Trainer.train(data(spark, 800, 1), test, SPEC);
    ScoreDistribution scores = trained.scores();
    long positives = test.where("label = 1").count();
    assertEquals(600 - positives, scores.totalNegatives());
    assertEquals(positives, scores.totalPositives());
    // binned to 1/1000, the curve's area is MLlib's areaUnderROC up to the ties the bins make
    assertEquals(trained.metrics().get("areaUnderROC"), scores.areaUnderRoc(), 0.003, scores.toString());
    long[] confusion = scores.confusion(0.5);
    double accuracy = (confusion[0] + confusion[3]) / 600.0;
    assertEquals(trained.metrics().get("accuracy"), accuracy, 0.01, "predicted positive from 0.5 up, as MLlib's threshold");
    List<double[]> calibration = scores.calibration(10);
    assertEquals(10, calibration.size(), "ten groups of about 60 rows");
    for (int i = 1; i < calibration.size(); i++) {
      assertTrue(calibration.get(i)[0] > calibration.get(i - 1)[0], "groups in score order");
    }

    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    ModelCard card = new ModelCard("k", SPEC.algorithm(), trained.params(), trained.metrics(), "td", Map.of(), List.of("x"), "label", "2024-01-01", Map.of());
    ModelVersion with = registry.register("m", trained.model(), card, scores);
    ModelVersion without = registry.register("m", trained.model(), new ModelCard("k2", SPEC.algorithm(), trained.params(),
        trained.metrics(), "td", Map.of(), List.of("x"), "label", "2024-01-01", Map.of()));
    assertEquals(scores, registry.scores(with).orElseThrow(), "read back as written");
    assertTrue(registry.scores(without).isEmpty());
    assertTrue(registry.validationScores(with).isEmpty(), "a fixed threshold: no validation scores");
  }

  /**
   * The spec of {@code algorithm} on x and colour, for the tests of thresholds and class weights that fit both
   * algorithms: GBT with 8 trees instead of its default 30, which only make it slower here (gbtIsAvailable fits the
   * default).
   */
  private static TrainingSpec fitted(String algorithm) {
    TrainingSpec spec = new TrainingSpec(algorithm, List.of("x"), List.of("colour"), "label", 1L);
    return algorithm.equals("gbt") ? spec.withParams(Map.of("maxIter", 8)) : spec;
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
  void aTestSplitWithoutLabelledRowsIsARejectionNotMetricsWithoutAuc(SparkSession spark) {
    Dataset<Row> train = data(spark, 200, 9);
    Dataset<Row> unlabelled = data(spark, 20, 10).withColumn("label", functions.lit(null).cast("int"));
    for (Dataset<Row> test : List.of(train.limit(0), unlabelled)) {
      var e = assertThrows(LakelineException.DataRejected.class, () -> Trainer.train(train, test, SPEC));
      assertTrue(e.getMessage().startsWith("The test split has no labelled rows, so a model trained on it could not be "
          + "evaluated (no AUC). Nothing was trained."), e.getMessage());
    }
  }

  @Test
  void aTestSplitOfOneOutcomeIsARejectionNotAnAucOfZeroOrOne(SparkSession spark) {
    Dataset<Row> train = data(spark, 400, 11);
    Dataset<Row> test = data(spark, 300, 12);
    // MLlib gives such a split an AUC of 0 (negatives only) or 1 (positives only): a 1 would win every promotion
    for (String outcome : List.of("0", "1")) {
      var e = assertThrows(LakelineException.DataRejected.class, () -> Trainer.train(train, test.where("label = " + outcome), SPEC));
      assertTrue(e.getMessage().startsWith("The label 'label' has one value only (" + outcome + ") in the test split, so the "
          + "model could not be evaluated"), e.getMessage());
    }
  }

  @Test
  void aLabelOtherThanZeroOrOneIsRefusedBeforeFitting(SparkSession spark) {
    Dataset<Row> three = data(spark, 300, 13).withColumn("label", functions.expr("CASE WHEN id LIKE '%7' THEN 2 ELSE label END"));
    for (String algorithm : List.of("logistic_regression", "gbt")) {
      TrainingSpec spec = new TrainingSpec(algorithm, List.of("x"), List.of("colour"), "label", 1L);
      var e = assertThrows(LakelineException.DataRejected.class, () -> Trainer.train(three, three, spec));
      assertTrue(e.getMessage().startsWith("The label 'label' has the value 2: a binary classifier learns a 0/1 label"), e.getMessage());
    }
    Dataset<Row> text = data(spark, 100, 14).withColumn("label", functions.col("label").cast("string"));
    var e = assertThrows(LakelineException.ConfigError.class, () -> Trainer.train(text, text, SPEC));
    assertTrue(e.getMessage().startsWith("The label 'label' is of type string: training needs a 0/1 number"), e.getMessage());
    Dataset<Row> textX = data(spark, 100, 15).withColumn("x", functions.col("x").cast("string"));
    var x = assertThrows(LakelineException.ConfigError.class, () -> Trainer.train(textX, textX, SPEC));
    assertTrue(x.getMessage().startsWith("The numeric feature(s) [x (string)] are not numbers."), x.getMessage());
    Dataset<Row> flag = data(spark, 100, 15).withColumn("colour", functions.expr("colour = 'red'"));
    var b = assertThrows(LakelineException.ConfigError.class, () -> Trainer.train(flag, flag, SPEC));
    assertTrue(b.getMessage().startsWith("The categorical feature(s) [colour (boolean)] are neither strings nor numbers, which MLlib's encoders take."),
        b.getMessage());
  }

  @Test
  void aNumericFeatureWithoutAnyValueInTheTrainSplitIsARejectionNotAnImputerCrash(SparkSession spark) {
    TrainingSpec spec = new TrainingSpec("logistic_regression", List.of("x", "empty"), List.of("colour"), "label", 1L);
    Dataset<Row> test = data(spark, 200, 17).withColumn("empty", functions.lit(1.0));
    for (String value : List.of("CAST(NULL AS DOUBLE)", "CAST('NaN' AS DOUBLE)")) {
      Dataset<Row> train = data(spark, 300, 16).withColumn("empty", functions.expr(value));
      var e = assertThrows(LakelineException.DataRejected.class, () -> Trainer.train(train, test, spec));
      assertTrue(e.getMessage().startsWith("The numeric feature(s) [empty] have no value in any of the training split's"),
          e.getMessage());
    }
    // a constant feature is no error: it carries no signal, and its scaler leaves it at 0
    Dataset<Row> constant = data(spark, 300, 16).withColumn("empty", functions.lit(5.0));
    assertTrue(Trainer.train(constant, test, spec.withTransformations(Map.of("empty", ModelTransformation.STANDARD_SCALER)))
        .metrics().get("areaUnderROC") > 0.75);
  }

  @Test
  void theLabelCannotAlsoBeAFeature() {
    var e = assertThrows(LakelineException.ConfigError.class,
        () -> new TrainingSpec("logistic_regression", List.of("x", "label"), List.of(), "label", 1L));
    assertTrue(e.getMessage().startsWith("The label 'label' is also listed as a feature"), e.getMessage());
  }

  @Test
  void theTestMetricsJudgeTheDecisionsAndTheScoresAsProbabilities(SparkSession spark) {
    Dataset<Row> test = data(spark, 600, 7);
    Trainer.Trained trained = Trainer.train(data(spark, 800, 6), test, SPEC);
    Map<String, Double> m = trained.metrics();

    // counted over the scored rows here, one by one
    long tp = 0, fp = 0, fn = 0, right = 0;
    double brier = 0, logLoss = 0;
    List<Row> rows = trained.model().transform(test)
        .select(functions.col("label").cast("double"), functions.col("prediction"),
            org.apache.spark.ml.functions.vector_to_array(functions.col("probability"), "float64").getItem(1))
        .collectAsList();
    for (Row r : rows) {
      double y = r.getDouble(0), predicted = r.getDouble(1), p = r.getDouble(2);
      tp += predicted == 1 && y == 1 ? 1 : 0;
      fp += predicted == 1 && y == 0 ? 1 : 0;
      fn += predicted == 0 && y == 1 ? 1 : 0;
      right += predicted == y ? 1 : 0;
      brier += (p - y) * (p - y);
      logLoss -= Math.log(y == 1 ? p : 1 - p);
    }
    assertTrue(tp > 0 && fp > 0 && fn > 0, "both kinds of mistake, so the metrics differ: " + tp + " " + fp + " " + fn);
    assertEquals(tp / (double) (tp + fp), m.get("precision"), 1e-12);
    assertEquals(tp / (double) (tp + fn), m.get("recall"), 1e-12);
    assertEquals(right / 600.0, m.get("accuracy"), 1e-12);
    assertEquals(brier / 600, m.get("brierScore"), 1e-9);
    assertEquals(logLoss / 600, m.get("logLoss"), 1e-9);
    // and as MLlib's own evaluator has them
    org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator mllib =
        new org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator().setLabelCol("label");
    Dataset<Row> scored = trained.model().transform(test.withColumn("label", functions.col("label").cast("double")));
    assertEquals(mllib.setMetricName("logLoss").evaluate(scored), m.get("logLoss"), 1e-9);
    assertEquals(mllib.setMetricName("accuracy").evaluate(scored), m.get("accuracy"), 1e-12);
    assertEquals(mllib.setMetricName("precisionByLabel").setMetricLabel(1.0).evaluate(scored), m.get("precision"), 1e-12);
    assertEquals(mllib.setMetricName("recallByLabel").setMetricLabel(1.0).evaluate(scored), m.get("recall"), 1e-12);
  }

  @Test
  void aLowerDecisionThresholdPredictsMorePositivesInTheModelItselfForBothAlgorithms(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> train = data(spark, 800, 8);
    Dataset<Row> test = data(spark, 400, 9);
    for (String algorithm : List.of("logistic_regression", "gbt")) {
      TrainingSpec spec = fitted(algorithm);
      Trainer.Trained half = Trainer.train(train, test, spec);
      Trainer.Trained low = Trainer.train(train, test, spec.withThreshold(0.3));
      assertEquals(0.5, Trainer.threshold(half.params()), algorithm);
      assertEquals(0.3, Trainer.threshold(low.params()), 1e-12, algorithm + " " + low.params());
      assertTrue(low.metrics().get("recall") > half.metrics().get("recall"), algorithm + ": " + low.metrics() + " " + half.metrics());
      assertTrue(low.metrics().get("precision") < half.metrics().get("precision"), algorithm);
      assertEquals(half.metrics().get("areaUnderROC"), low.metrics().get("areaUnderROC"), 1e-12, "the same scores rank alike");

      // the threshold is saved inside the model: batch predictions read back from the registry use it
      ModelVersion v = ModelRegistry.open(spark, lh.layout()).register("t_" + algorithm, low.model(),
          new ModelCard("k", algorithm, low.params(), low.metrics(), "td", Map.of(), List.of("x", "colour"), "label", "2024-01-01", Map.of()));
      List<Row> scored = BatchScorer.score(v, test, List.of("id")).collectAsList();
      long between = 0;
      for (Row r : scored) {
        double score = r.getDouble(1);
        assertEquals(score >= 0.3 ? 1 : 0, r.getInt(2), algorithm + " score " + score);
        between += score >= 0.3 && score < 0.5 ? 1 : 0;
      }
      assertTrue(between > 0, algorithm + ": some scores lie between the two thresholds, so the test can tell them apart");
    }
  }

  @Test
  void aDecisionThresholdOutsideZeroToOneIsAConfigError() {
    TrainingSpec spec = new TrainingSpec("logistic_regression", List.of("x"), List.of(), "label", 1L);
    for (double t : new double[] {0, 1, -0.2, 1.5, Double.NaN}) {
      var e = assertThrows(LakelineException.ConfigError.class, () -> spec.withThreshold(t));
      assertTrue(e.getMessage().startsWith("The decision threshold must lie strictly between 0 and 1"), e.getMessage());
    }
    assertEquals(0.5, Trainer.threshold(Map.of()));
    assertEquals(0.5, Trainer.threshold(Map.of("threshold", "not a number")));
    assertEquals(0.25, Trainer.threshold(Map.of("thresholds", "[0.75, 0.25]")));
  }

  @Test
  void evaluatingRowsOfOneOutcomeGivesNoAreas(SparkSession spark) {
    Trainer.Trained trained = Trainer.train(data(spark, 400, 18), data(spark, 200, 19), SPEC);
    Map<String, Double> m = Trainer.evaluate(trained.model(), data(spark, 200, 20).where("label = 1"), "label");
    assertTrue(!m.containsKey("areaUnderROC") && !m.containsKey("areaUnderPR"), m.toString());
    assertEquals(1.0, m.get("test_positive_rate"));
    assertTrue(m.containsKey("recall"), m.toString());
    assertEquals(1.0, m.get("precision"), "every row is positive, so is every row predicted positive");
    assertTrue(m.containsKey("logLoss") && m.containsKey("brierScore"), m.toString());
  }

  @Test
  void theHyperparametersReachTheFittedEstimatorAndTheCard(SparkSession spark) {
    Dataset<Row> train = data(spark, 800, 8);
    Dataset<Row> test = data(spark, 300, 9);
    TrainingSpec lr = new TrainingSpec("logistic_regression", List.of("x"), List.of("colour"), "label", 1L);
    assertEquals(Map.of("maxIter", 100.0, "regParam", 0.001, "elasticNetParam", 0.0), lr.params());
    Trainer.Trained ridge = Trainer.train(train, test, lr);
    Trainer.Trained lasso = Trainer.train(train, test, lr.withParams(Map.of("regParam", 0.3, "elasticNetParam", 1.0)));
    LogisticRegressionModel lassoModel = stage(lasso.model(), LogisticRegressionModel.class);
    assertEquals(0.3, lassoModel.getRegParam());
    assertEquals(1.0, lassoModel.getElasticNetParam());
    assertEquals(100, lassoModel.getMaxIter(), "the others keep their defaults");
    assertEquals("0.3", lasso.params().get("regParam"));
    assertEquals("1.0", lasso.params().get("elasticNetParam"));
    assertTrue(zeros(lassoModel) > zeros(stage(ridge.model(), LogisticRegressionModel.class)),
        "a strong L1 penalty drops coefficients: " + lassoModel.coefficients() + " against "
            + stage(ridge.model(), LogisticRegressionModel.class).coefficients());

    TrainingSpec gbt = new TrainingSpec("gbt", List.of("x"), List.of("colour"), "label", 1L);
    assertEquals(Map.of("maxIter", 30.0, "maxDepth", 4.0, "stepSize", 0.1), gbt.params());
    GBTClassificationModel deep = stage(Trainer.train(train, test, gbt).model(), GBTClassificationModel.class);
    Trainer.Trained small = Trainer.train(train, test, gbt.withParams(Map.of("maxIter", 5.0, "maxDepth", 2.0, "stepSize", 0.5)));
    GBTClassificationModel shallow = stage(small.model(), GBTClassificationModel.class);
    assertEquals(30, deep.getNumTrees());
    assertEquals(5, shallow.getNumTrees());
    assertTrue(java.util.Arrays.stream(deep.trees()).anyMatch(t -> t.depth() > 2), "the default trees grow deeper than 2");
    assertTrue(java.util.Arrays.stream(shallow.trees()).allMatch(t -> t.depth() <= 2));
    assertEquals(0.5, shallow.getStepSize());
    assertEquals("2", small.params().get("maxDepth"));
    assertEquals("none", small.params().get("classWeight"));
  }

  private static long zeros(LogisticRegressionModel m) {
    return java.util.Arrays.stream(m.coefficients().toArray()).filter(c -> c == 0).count();
  }

  @Test
  void badHyperparametersAreConfigErrorsNamingTheParameterAndWhatItTakes() {
    TrainingSpec lr = new TrainingSpec("logistic_regression", List.of("x"), List.of(), "label", 1L);
    TrainingSpec gbt = new TrainingSpec("gbt", List.of("x"), List.of(), "label", 1L);
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("lr maxDepth=3", "logistic_regression has no hyperparameter 'maxDepth': its hyperparameters are [maxIter, regParam, elasticNetParam].");
    expected.put("gbt regParam=0.1", "gbt has no hyperparameter 'regParam': its hyperparameters are [maxIter, maxDepth, stepSize].");
    expected.put("lr maxIter=2.5", "The logistic_regression hyperparameter maxIter must be a whole number from 1 to 10000, got 2.5.");
    expected.put("lr regParam=-1", "The logistic_regression hyperparameter regParam must be a number >= 0, got -1.0.");
    expected.put("lr elasticNetParam=1.5", "The logistic_regression hyperparameter elasticNetParam must be a number from 0 (L2) to 1 (L1), got 1.5.");
    expected.put("gbt maxDepth=31", "The gbt hyperparameter maxDepth must be a whole number from 1 to 30 (MLlib's limit), got 31.0.");
    expected.put("gbt stepSize=0", "The gbt hyperparameter stepSize must be a number > 0 and <= 1, got 0.0.");
    expected.forEach((given, message) -> {
      String[] p = given.split("[ =]");
      TrainingSpec spec = p[0].equals("lr") ? lr : gbt;
      var e = assertThrows(LakelineException.ConfigError.class, () -> spec.withParams(Map.of(p[1], Double.parseDouble(p[2]))));
      assertEquals(message, e.getMessage(), given);
    });
    // whole numbers as Integers, as Python's ints arrive through Py4J
    assertEquals(50.0, gbt.withParams(Map.of("maxIter", 50)).params().get("maxIter"));
    Map<String, Object> none = new java.util.HashMap<>();
    none.put("stepSize", null);
    var missing = assertThrows(LakelineException.ConfigError.class,
        () -> new TrainingSpec("gbt", List.of("x"), List.of(), "label", 1L, Map.of(), 0.5, (Map) none, null));
    assertEquals("The gbt hyperparameter stepSize must be a number, got nothing.", missing.getMessage());
    assertEquals(ClassWeight.BALANCED, ClassWeight.of(" Balanced"));
    var e = assertThrows(LakelineException.ConfigError.class, () -> ClassWeight.of("auto"));
    assertEquals("Unknown class weight 'auto': use none or balanced.", e.getMessage());
  }

  /** As {@link #data}, with about one positive in eight and no missing x. */
  private static Dataset<Row> rare(SparkSession spark, int n, long seed) {
    return generated(spark, n, seed, 1.5, 0.5, -2.5, 0);
  }

  @Test
  void aBalancedClassWeightWeighsEachOutcomeAlikeAndFindsMoreOfTheRarePositives(SparkSession spark) {
    Dataset<Row> train = rare(spark, 1200, 10);
    Dataset<Row> test = rare(spark, 600, 11);
    long n = train.count();
    long positives = train.where("label = 1").count();
    assertTrue(positives > 50 && positives < n / 4, positives + " of " + n);
    for (String algorithm : List.of("logistic_regression", "gbt")) {
      TrainingSpec spec = fitted(algorithm);
      Trainer.Trained plain = Trainer.train(train, test, spec);
      Trainer.Trained balanced = Trainer.train(train, test, spec.withClassWeight(ClassWeight.BALANCED));

      assertEquals("none", plain.params().get("classWeight"), algorithm);
      assertTrue(!plain.params().containsKey("classWeights") && !plain.params().containsKey("weightCol"), plain.params().toString());
      assertEquals("balanced", balanced.params().get("classWeight"), algorithm);
      assertEquals(java.util.Arrays.toString(new double[] {n / (2.0 * (n - positives)), n / (2.0 * positives)}),
          balanced.params().get("classWeights"), "n / (2 n_c) for outcomes 0 and 1");
      assertTrue(!balanced.params().containsKey("weightCol"), "the internal column is not a parameter to show");
      assertTrue(balanced.metrics().get("recall") > plain.metrics().get("recall") + 0.2,
          algorithm + ": " + balanced.metrics() + " against " + plain.metrics());
      assertTrue(balanced.metrics().get("brierScore") > plain.metrics().get("brierScore"),
          algorithm + ": weighted scores are worse probabilities");
      assertEquals(plain.metrics().get("test_positive_rate"), balanced.metrics().get("test_positive_rate"), "the same test rows");
    }
  }

  /** The score (probability of 1) and the label of each labelled row of {@code rows}, under {@code model}. */
  private static List<double[]> scores(org.apache.spark.ml.PipelineModel model, Dataset<Row> rows) {
    List<double[]> out = new ArrayList<>();
    for (Row r : model.transform(rows).select(
        org.apache.spark.ml.functions.vector_to_array(org.apache.spark.sql.functions.col("probability"), "float64").getItem(1),
        org.apache.spark.sql.functions.col("label").cast("double")).collectAsList()) {
      out.add(new double[] {r.getDouble(0), r.getDouble(1)});
    }
    return out;
  }

  /** Rows predicted positive, true positives and positives when a score above {@code t} predicts 1. */
  private static long[] counts(List<double[]> scores, double t) {
    long[] c = new long[3];
    for (double[] s : scores) {
      c[0] += s[0] > t ? 1 : 0;
      c[1] += s[0] > t && s[1] == 1 ? 1 : 0;
      c[2] += s[1] == 1 ? 1 : 0;
    }
    return c;
  }

  private static double f1(long[] c) {
    return 2.0 * c[1] / (c[0] + c[2]);
  }

  @Test
  void aThresholdChosenOnValidationRowsIsTheGridsBestAndTheModelPredictsWithIt(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> train = rare(spark, 1200, 12);
    Dataset<Row> validation = rare(spark, 600, 13);
    Dataset<Row> test = rare(spark, 600, 14);
    for (String algorithm : List.of("logistic_regression", "gbt")) {
      TrainingSpec spec = fitted(algorithm);
      Trainer.Trained bestF1 = Trainer.train(train, validation, test, spec.withThresholdChoice(ThresholdChoice.bestF1()));
      double t = Trainer.threshold(bestF1.params());
      assertEquals("best-f1", bestF1.params().get("thresholdChoice"), algorithm);
      // the oracle: every threshold of the grid, counted directly on the validation rows' scores
      List<double[]> scores = scores(bestF1.model(), validation);
      double best = 0;
      for (int k = 1; k < 10_000; k++) {
        best = Math.max(best, f1(counts(scores, k / 10_000.0)));
      }
      long[] at = counts(scores, t);
      assertEquals(best, f1(at), 1e-12, algorithm + ": threshold " + t);
      assertEquals(best, bestF1.metrics().get("validation_f1"), 1e-12, algorithm);
      assertEquals(at[1] / (double) at[2], bestF1.metrics().get("validation_recall"), 1e-12, algorithm);
      assertEquals(at[1] / (double) at[0], bestF1.metrics().get("validation_precision"), 1e-12, algorithm);
      assertEquals(600.0, bestF1.metrics().get("validation_rows"), algorithm);
      assertTrue(t < 0.5, algorithm + ": with one positive in eight the best F1 lies below 0.5, got " + t);
      // the validation scores kept for the report give the oracle's counts at the chosen threshold, and its best F1
      ScoreDistribution kept = bestF1.validationScores();
      assertEquals(600, kept.totalNegatives() + kept.totalPositives(), algorithm);
      assertEquals(at[2], kept.totalPositives(), algorithm);
      long[] confusion = kept.confusion(t);
      assertEquals(at[0], confusion[1] + confusion[3], algorithm + ": predicted positive at " + t);
      assertEquals(at[1], confusion[3], algorithm + ": true positives at " + t);
      assertEquals(best, kept.byThreshold().stream().mapToDouble(p -> p[3]).max().orElseThrow(), 1e-12, algorithm);

      // the highest threshold that catches 80 % of the validation positives: no threshold predicting fewer rows does
      Trainer.Trained recall = Trainer.train(train, validation, test, spec.withThresholdChoice(ThresholdChoice.targetRecall(0.8)));
      double tr = Trainer.threshold(recall.params());
      List<double[]> recallScores = scores(recall.model(), validation);
      long[] atRecall = counts(recallScores, tr);
      assertTrue(atRecall[1] >= 0.8 * atRecall[2], algorithm + ": " + java.util.Arrays.toString(atRecall));
      int highest = 9_999;
      while (counts(recallScores, highest / 10_000.0)[1] < 0.8 * atRecall[2]) {
        highest--;
      }
      assertEquals(counts(recallScores, highest / 10_000.0)[0], atRecall[0], algorithm + ": threshold " + tr);
      assertEquals("target-recall 0.8", recall.params().get("thresholdChoice"));

      if (algorithm.equals("logistic_regression")) {
        // the lowest cost with a missed positive at 4 false alarms: no threshold of the grid costs less
        Trainer.Trained cheapest = Trainer.train(train, validation, test, spec.withThresholdChoice(ThresholdChoice.minCost(4)));
        double tc = Trainer.threshold(cheapest.params());
        List<double[]> costScores = scores(cheapest.model(), validation);
        java.util.function.DoubleUnaryOperator cost = x -> {
          long[] c = counts(costScores, x);
          return (c[0] - c[1]) + 4.0 * (c[2] - c[1]);
        };
        double lowest = Double.POSITIVE_INFINITY;
        for (int k = 1; k < 10_000; k++) {
          lowest = Math.min(lowest, cost.applyAsDouble(k / 10_000.0));
        }
        assertEquals(lowest, cost.applyAsDouble(tc), 1e-9, "threshold " + tc);
        assertEquals(lowest / 600, cheapest.metrics().get("validation_cost"), 1e-12);
        assertEquals("min-cost 4.0", cheapest.params().get("thresholdChoice"));
        assertTrue(tc < 0.5, "a missed positive costing more than a false alarm lowers the threshold: " + tc);
      }

      // the model is saved with the chosen threshold: the test metrics and batch predictions use it
      long[] tested = counts(scores(bestF1.model(), test), t);
      assertEquals(tested[1] / (double) tested[2], bestF1.metrics().get("recall"), 1e-12, algorithm);
      ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
      ModelVersion v = registry.register("chosen_" + algorithm, bestF1,
          new ModelCard("k", algorithm, bestF1.params(), bestF1.metrics(), "td", Map.of(), List.of("x", "colour"), "label",
              "2024-01-01", Map.of()), null);
      assertEquals(kept, registry.validationScores(v).orElseThrow(), "kept with the version");
      assertEquals(bestF1.scores(), registry.scores(v).orElseThrow());
      for (Row r : BatchScorer.score(v, test, List.of("id")).collectAsList()) {
        assertEquals(r.getDouble(1) > t ? 1 : 0, r.getInt(2), algorithm + " score " + r.getDouble(1) + ", threshold " + t);
      }
    }
  }

  @Test
  void aThresholdChosenOnOutOfFoldScoresIsTheGridsBestOnScoresOfModelsThatDidNotSeeTheRow(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> train = rare(spark, 1200, 12);
    Dataset<Row> test = rare(spark, 600, 14);
    TrainingSpec spec = new TrainingSpec("logistic_regression", List.of("x"), List.of("colour"), "label", 3L);
    Trainer.Trained cv = Trainer.train(train, null, test, spec.withThresholdChoice(ThresholdChoice.bestF1().withFolds(4)));
    double t = Trainer.threshold(cv.params());
    assertEquals("best-f1", cv.params().get("thresholdChoice"));
    assertEquals("4", cv.params().get("thresholdFolds"));

    // the oracle: each fold scored by the pipeline fitted on the other three, every row counted at every grid threshold
    Dataset<Row> folded = ThresholdSearch.withFolds(train, 3L, 4);
    List<double[]> outOfFold = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      org.apache.spark.ml.PipelineModel others = Trainer.pipeline(spec).fit(folded.where(functions.col(ThresholdSearch.FOLD).notEqual(i)));
      List<double[]> scored = scores(others, folded.where(functions.col(ThresholdSearch.FOLD).equalTo(i)));
      assertTrue(scored.size() > 200 && scored.size() < 400, "fold " + i + " holds about a quarter: " + scored.size());
      outOfFold.addAll(scored);
    }
    assertEquals(1200, outOfFold.size(), "every train row is scored once");
    double best = 0;
    for (int k = 1; k < 10_000; k++) {
      best = Math.max(best, f1(counts(outOfFold, k / 10_000.0)));
    }
    long[] at = counts(outOfFold, t);
    assertEquals(best, f1(at), 1e-12, "threshold " + t);
    assertEquals(best, cv.metrics().get("validation_f1"), 1e-12);
    assertEquals(at[1] / (double) at[0], cv.metrics().get("validation_precision"), 1e-12);
    assertEquals(at[1] / (double) at[2], cv.metrics().get("validation_recall"), 1e-12);
    assertEquals(1200.0, cv.metrics().get("validation_rows"), "the choice saw every train row, out of fold");
    ScoreDistribution kept = cv.validationScores();
    assertEquals(at[2], kept.totalPositives());
    long[] confusion = kept.confusion(t);
    assertEquals(at[0], confusion[1] + confusion[3], "predicted positive at " + t);
    assertEquals(at[1], confusion[3], "true positives at " + t);

    // the model itself is fitted on every train row, then given the threshold: the fixed-threshold fit's coefficients
    Trainer.Trained fixed = Trainer.train(train, test, spec);
    LogisticRegressionModel chosen = stage(cv.model(), LogisticRegressionModel.class);
    assertEquals(stage(fixed.model(), LogisticRegressionModel.class).coefficients(), chosen.coefficients());
    assertEquals(t, chosen.getThreshold(), 0);
    assertEquals(fixed.metrics().get("areaUnderROC"), cv.metrics().get("areaUnderROC"), 1e-12, "the same scores on test");
    assertTrue(t < 0.5 && cv.metrics().get("recall") > fixed.metrics().get("recall"), t + ": " + cv.metrics());
    // and in-sample scores, which the choice must not use, differ from the kept ones
    List<double[]> inSample = scores(fixed.model(), train);
    assertTrue(f1(counts(inSample, t)) != f1(at) || counts(inSample, t)[0] != at[0], "out-of-fold, not in-sample scores");

    // the same rows get the same folds and the same choice however they are partitioned; another seed deals them anew
    assertEquals(kept, Trainer.train(train.repartition(5), null, test,
        spec.withThresholdChoice(ThresholdChoice.bestF1().withFolds(4))).validationScores(), "partitioning does not matter");
    assertTrue(!folded.where(functions.col(ThresholdSearch.FOLD).equalTo(0)).select("id").collectAsList()
        .equals(ThresholdSearch.withFolds(train, 4L, 4).where(functions.col(ThresholdSearch.FOLD).equalTo(0)).select("id")
            .collectAsList()), "the seed deals the folds");

    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    ModelVersion v = registry.register("out_of_fold", cv,
        new ModelCard("k", "logistic_regression", cv.params(), cv.metrics(), "td", Map.of(), List.of("x", "colour"), "label",
            "2024-01-01", Map.of()), null);
    assertEquals(kept, registry.validationScores(v).orElseThrow(), "kept with the version");
  }

  @Test
  void outOfFoldChoicesRefuseFoldsThatCannotBeFittedBeforeAnythingIsTrained(SparkSession spark) {
    TrainingSpec spec = SPEC.withThresholdChoice(ThresholdChoice.bestF1().withFolds(3));
    Dataset<Row> rows = data(spark, 300, 16);
    // one positive: the fold that holds it leaves the other folds' pipeline none
    Row positive = rows.where("label = 1").first();
    Dataset<Row> onePositive = rows.where("label = 0").union(spark.createDataFrame(List.of(positive), SCHEMA));
    var one = assertThrows(LakelineException.DataRejected.class, () -> Trainer.train(onePositive, null, rows, spec));
    assertTrue(one.getMessage().matches("The threshold is chosen on out-of-fold scores of 3 folds \\(best-f1\\), and fold [123] "
        + "holds every positive row of the train split \\(1 of its " + onePositive.count() + " rows\\), so the pipeline fitted "
        + "on the other folds would see one outcome only\\. Nothing was trained\\. Use fewer folds \\(training.threshold-folds\\), "
        + "more rows, or a validation split\\."), one.getMessage());
    // x known in one row only: the fold that holds it leaves the other folds' imputer no median
    Dataset<Row> oneX = rows.withColumn("x", functions.when(functions.col("id").equalTo("r1"), functions.col("x")));
    var empty = assertThrows(LakelineException.DataRejected.class, () -> Trainer.train(oneX, null, rows, spec));
    assertTrue(empty.getMessage().contains("holds every value of the numeric feature 'x' in the train split"), empty.getMessage());

    var fixedFolds = assertThrows(LakelineException.ConfigError.class, () -> ThresholdChoice.FIXED.withFolds(5));
    assertTrue(fixedFolds.getMessage().startsWith("A fixed threshold is not chosen on anything, so it takes no folds (got 5)."),
        fixedFolds.getMessage());
    for (int bad : new int[] {1, -2, ThresholdChoice.MAX_FOLDS + 1}) {
      var e = assertThrows(LakelineException.ConfigError.class, () -> ThresholdChoice.bestF1().withFolds(bad));
      assertEquals("A threshold chosen on out-of-fold scores needs 2 to 20 folds, got " + bad + " (0: choose on the validation "
          + "split instead).", e.getMessage());
    }
    assertTrue(ThresholdChoice.bestF1().withFolds(5).outOfFold() && !ThresholdChoice.bestF1().withFolds(5).fromValidation());
    assertEquals(ThresholdChoice.bestF1(), ThresholdChoice.bestF1().withFolds(5).withFolds(0));
  }

  @Test
  void choosingAThresholdNeedsValidationRowsWithAPositive(SparkSession spark) {
    TrainingSpec spec = SPEC.withThresholdChoice(ThresholdChoice.bestF1());
    Dataset<Row> rows = data(spark, 200, 15);
    var none = assertThrows(LakelineException.ConfigError.class, () -> Trainer.train(rows, rows, spec));
    assertTrue(none.getMessage().contains("The threshold choice best-f1 picks the threshold on validation rows, and none "
        + "were given"), none.getMessage());
    var negatives = assertThrows(LakelineException.DataRejected.class,
        () -> Trainer.train(rows, rows.where("label = 0"), rows, spec));
    assertTrue(negatives.getMessage().startsWith("The validation split's " + rows.where("label = 0").count()
        + " labelled rows hold no positive, so a threshold cannot be chosen on them (best-f1)."), negatives.getMessage());
    var unknown = assertThrows(LakelineException.ConfigError.class, () -> ThresholdChoice.of("auto", 0.5));
    assertEquals("Unknown threshold choice 'auto': use fixed, best-f1, target-recall or min-cost.", unknown.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> ThresholdChoice.targetRecall(0));
    assertThrows(LakelineException.ConfigError.class, () -> ThresholdChoice.targetRecall(1.2));
    Trainer.Trained fixed = Trainer.train(rows, rows, SPEC);
    assertEquals("fixed", fixed.params().get("thresholdChoice"));
    assertEquals(null, fixed.validationScores(), "no validation split, nothing to keep");
  }

  @Test
  void anUnknownAlgorithmIsAConfigError() {
    assertThrows(LakelineException.ConfigError.class, () -> new TrainingSpec("xgboost", List.of("x"), List.of(), "label", 1));
  }

  private static <T> T stage(org.apache.spark.ml.PipelineModel model, Class<T> type) {
    return java.util.Arrays.stream(model.stages()).filter(type::isInstance).map(type::cast).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + java.util.Arrays.toString(model.stages())));
  }

  @Test
  void declaredTransformationsAreFittedOnTheTrainSplitAndTravelInTheModel(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> train = data(spark, 600, 6).na().drop();
    TrainingSpec spec = SPEC.withTransformations(Map.of(
        "x", ModelTransformation.STANDARD_SCALER, "colour", ModelTransformation.LABEL_ENCODER, "unused", ModelTransformation.ROBUST_SCALER));
    assertEquals(Map.of("x", ModelTransformation.STANDARD_SCALER, "colour", ModelTransformation.LABEL_ENCODER),
        spec.transformations(), "declarations for features the spec does not train on are left out");

    Trainer.Trained trained = Trainer.train(train, data(spark, 300, 7), spec);
    assertTrue(trained.metrics().get("areaUnderROC") > 0.75, "AUC " + trained.metrics());
    Row moments = train.agg(functions.avg("x"), functions.stddev_samp("x")).first();
    StandardScalerModel scaler = stage(trained.model(), StandardScalerModel.class);
    assertEquals(moments.getDouble(0), scaler.mean().apply(0), 1e-9, "the mean of the train split");
    assertEquals(moments.getDouble(1), scaler.std().apply(0), 1e-9, "its standard deviation");
    LogisticRegressionModel lr = stage(trained.model(), LogisticRegressionModel.class);
    assertEquals(2, lr.coefficients().size(), "x scaled, and colour as one index (label_encoder), not one-hot slots");

    // the fitted parameters are saved with the model version and scoring applies them
    ModelVersion v = ModelRegistry.open(spark, lh.layout()).register("scaled", trained.model(),
        new ModelCard("k2", spec.algorithm(), trained.params(), trained.metrics(), "td", Map.of(), List.of("x", "colour"), "label", "2024-01-01", Map.of()));
    StandardScalerModel loaded = stage(v.load(), StandardScalerModel.class);
    assertEquals(scaler.mean(), loaded.mean());
    Dataset<Row> five = train.where("id IN ('r1', 'r2', 'r3', 'r4', 'r5')");
    List<Row> scored = BatchScorer.score(v, five, List.of("id")).orderBy("id").collectAsList();
    List<Row> direct = trained.model().transform(five).select("id", "probability").orderBy("id").collectAsList();
    for (int i = 0; i < 5; i++) {
      assertEquals(((org.apache.spark.ml.linalg.Vector) direct.get(i).get(1)).apply(1), scored.get(i).getDouble(1), 1e-12);
    }
  }

  @Test
  void minMaxAndRobustScalersLearnTheirRangesFromTheTrainSplit(SparkSession spark) {
    Dataset<Row> train = data(spark, 400, 8).na().drop();
    Row range = train.agg(functions.min("x"), functions.max("x")).first();

    Trainer.Trained minMax = Trainer.train(train, train, SPEC.withTransformations(Map.of("x", ModelTransformation.MIN_MAX_SCALER)));
    MinMaxScalerModel m = stage(minMax.model(), MinMaxScalerModel.class);
    assertEquals(range.getDouble(0), m.originalMin().apply(0), 1e-12);
    assertEquals(range.getDouble(1), m.originalMax().apply(0), 1e-12);

    Trainer.Trained robust = Trainer.train(train, train, SPEC.withTransformations(Map.of("x", ModelTransformation.ROBUST_SCALER)));
    RobustScalerModel rs = stage(robust.model(), RobustScalerModel.class);
    double median = train.stat().approxQuantile("x", new double[] {0.5}, 0.001)[0];
    assertEquals(median, rs.median().apply(0), 0.05, "centred on the train split's median");
    assertTrue(robust.metrics().get("areaUnderROC") > 0.75, "AUC " + robust.metrics());
  }

  @Test
  void aTransformationOfTheWrongKindOrForAnUnknownFeatureIsAConfigError() {
    var scaledCategory = assertThrows(LakelineException.ConfigError.class, () -> new TrainingSpec(
        "logistic_regression", List.of("x"), List.of("colour"), "label", 1L, Map.of("colour", ModelTransformation.STANDARD_SCALER)));
    assertTrue(scaledCategory.getMessage().contains("standard_scaler of 'colour' needs a numeric feature"), scaledCategory.getMessage());
    var encodedNumber = assertThrows(LakelineException.ConfigError.class, () -> new TrainingSpec(
        "logistic_regression", List.of("x"), List.of("colour"), "label", 1L, Map.of("x", ModelTransformation.ONE_HOT_ENCODER)));
    assertTrue(encodedNumber.getMessage().contains("Pick a transformation of the right kind"), encodedNumber.getMessage());
    var unknown = assertThrows(LakelineException.ConfigError.class, () -> new TrainingSpec(
        "logistic_regression", List.of("x"), List.of("colour"), "label", 1L, Map.of("y", ModelTransformation.MIN_MAX_SCALER)));
    assertTrue(unknown.getMessage().contains("Add the feature to the spec"), unknown.getMessage());
  }
}
