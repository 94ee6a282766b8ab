package dev.lakeline.jobs.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.config.ConfigLoader;
import dev.lakeline.core.config.ConfigSources;
import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.jobs.loans.LoanCatalog;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.lakeline.training.ClassWeight;
import dev.lakeline.training.ModelCard;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ThresholdChoice;
import dev.lakeline.training.TrainingSpec;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What makes a training run "the same inputs" again: never where the lakehouse is, or how it is reached. */
@SparkTest
class TrainingRunKeyTest {
  private static final dev.lakeline.transformations.Pipeline ON_DEMAND = LoanCatalog.onDemand();
  /** The demo's td1 manifest, its statistics left out. */
  private static final String MANIFEST = """
      {"identity":{"view":"loan_default","viewVersion":1,"filter":"issue_date >= DATE'2023-06-01' AND issue_date < DATE'2024-05-31' AND is_default IS NOT NULL",
      "sourceVersions":{"card_spend v1":1,"credit_reports v1":1,"loans v1":1},"split":{"kind":"RANDOM","validationFraction":0.0,
      "testFraction":0.2,"validationStart":null,"testStart":null,"gapSeconds":0,"entityColumns":[]},"seed":7},"number":1,
      "features":["applicant_id","loan_amount","int_rate"],"labels":["is_default"],"keys":["loan_id","issue_date"],
      "spine":{"group":"loans v1","deltaVersion":1,"filter":"issue_date >= DATE'2023-06-01' AND issue_date < DATE'2024-05-31' AND is_default IS NOT NULL",
      "eventTime":"issue_date","keys":["loan_id"]},"joins":[{"group":"credit_reports v1","deltaVersion":1,"baseKeys":["applicant_id"],
      "groupKeys":["applicant_id"],"eventTime":"report_date","strict":false,"staticJoin":false,"features":["annual_income","revol_util"],
      "prefix":"","maxAge":null,"defaults":{},"inner":false}],"rowsPerSplit":{"test":1772,"train":6906},"statistics":{}}
      """;

  @Test
  void aLakehouseCopiedOrReachedByAnotherUriHasTheSameRunKey(SparkSession spark, TestLakehouse lh, @TempDir Path copy)
      throws IOException {
    String td1 = "training_datasets/loan_default/v1/td1/manifest.json";
    for (Path root : new Path[] {lh.root(), copy}) {
      Files.createDirectories(root.resolve(td1).getParent());
      Files.writeString(root.resolve(td1), MANIFEST);
    }
    var spec = LoanCatalog.trainingSpec("logistic_regression", 7L);
    String here = TrainingPipeline.runKey(dataset(spark, lh.root().toString()), spec, ON_DEMAND);

    assertEquals(here, TrainingPipeline.runKey(dataset(spark, copy.toString()), spec, ON_DEMAND),
        "a copy of the lakehouse: the same inputs, so a rerun there reuses the version instead of training another");
    assertEquals(here, TrainingPipeline.runKey(dataset(spark, "file:" + lh.root()), spec, ON_DEMAND), "file:/lake is /lake");
    assertNotEquals(here, TrainingPipeline.runKey(dataset(spark, copy.toString()), LoanCatalog.trainingSpec("gbt", 7L), ON_DEMAND),
        "another algorithm is another run");
  }

  @Test
  void aVersionKeyedByItsDatasetsOldPathIsFoundFromACopyOfTheLakehouse(SparkSession spark, TestLakehouse lh, @TempDir Path copy)
      throws IOException {
    String td1 = "training_datasets/loan_default/v1/td1/manifest.json";
    Files.createDirectories(copy.resolve(td1).getParent());
    Files.writeString(copy.resolve(td1), MANIFEST);
    TrainingDataset here = dataset(spark, copy.toString());
    var spec = LoanCatalog.trainingSpec("logistic_regression", 7L);
    // registered by an earlier build in the lakehouse's first place: its key named the dataset by that path
    String then = "/data/old-lake/training_datasets/loan_default/v1/td1";
    ModelRegistry registry = ModelRegistry.open(spark, lh.layout());
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {new SQLTransformer().setStatement("SELECT * FROM __THIS__")})
        .fit(spark.range(1).toDF("x"));
    registry.register("loan_default", model, new ModelCard(TrainingPipeline.runKey(then, here, spec, ON_DEMAND), "logistic_regression",
        Map.of(), Map.of("areaUnderROC", 0.77), then, Map.of("loans v1", 1L), List.of("x"), "is_default", "2024-06-30", Map.of()));
    assertEquals(1, TrainingPipeline.trainedBefore(registry, "loan_default", here, spec, ON_DEMAND).orElseThrow().version(),
        "the same inputs: reused, not trained again");
    assertTrue(TrainingPipeline.trainedBefore(registry, "loan_default", here, LoanCatalog.trainingSpec("gbt", 7L), ON_DEMAND).isEmpty());
  }

  private static LakelineConfig config(Map<String, String> sets) {
    Map<String, String> all = new java.util.HashMap<>(sets);
    all.put("model.name", "m");
    return ConfigLoader.load(new ConfigSources(null, null, Map.of(), all));
  }

  @Test
  void theHyperparametersAndClassWeightComeFromTheConfigAndMakeAnotherRun(SparkSession spark, TestLakehouse lh) throws IOException {
    for (String algorithm : List.of("logistic_regression", "gbt")) {
      assertEquals(TrainingSpec.defaultParams(algorithm), TrainingPipeline.hyperparameters(config(Map.of("training.algorithm", algorithm))),
          "the configuration's defaults are the spec's");
    }
    assertEquals(Map.of("maxIter", 50.0, "maxDepth", 4.0, "stepSize", 0.05), TrainingPipeline.hyperparameters(config(Map.of(
        "training.algorithm", "gbt", "training.gbt.max-iter", "50", "training.gbt.step-size", "0.05",
        "training.logistic-regression.reg-param", "9"))), "only the algorithm's own keys");

    String td1 = "training_datasets/loan_default/v1/td1/manifest.json";
    Files.createDirectories(lh.root().resolve(td1).getParent());
    Files.writeString(lh.root().resolve(td1), MANIFEST);
    TrainingDataset td = dataset(spark, lh.root().toString());
    var spec = LoanCatalog.trainingSpec("logistic_regression", 7L);
    String plain = TrainingPipeline.runKey(td, spec, ON_DEMAND);
    assertNotEquals(plain, TrainingPipeline.runKey(td, spec.withParams(Map.of("regParam", 0.01)), ON_DEMAND));
    assertNotEquals(plain, TrainingPipeline.runKey(td, spec.withClassWeight(ClassWeight.BALANCED), ON_DEMAND));
    assertEquals(plain, TrainingPipeline.runKey(td, spec.withParams(Map.of("regParam", 0.001)), ON_DEMAND), "the default given again");
    String bestF1 = TrainingPipeline.runKey(td, spec.withThresholdChoice(ThresholdChoice.bestF1()), ON_DEMAND);
    assertNotEquals(plain, bestF1, "a chosen threshold is another model");
    assertNotEquals(bestF1, TrainingPipeline.runKey(td, spec.withThresholdChoice(ThresholdChoice.targetRecall(0.7)), ON_DEMAND));
    assertEquals(plain, TrainingPipeline.runKey(td, spec.withThresholdChoice(ThresholdChoice.FIXED), ON_DEMAND));
    String cost4 = TrainingPipeline.runKey(td, spec.withThresholdChoice(ThresholdChoice.minCost(4)), ON_DEMAND);
    assertNotEquals(bestF1, cost4);
    assertNotEquals(cost4, TrainingPipeline.runKey(td, spec.withThresholdChoice(ThresholdChoice.minCost(5)), ON_DEMAND));
    String folds5 = TrainingPipeline.runKey(td, spec.withThresholdChoice(ThresholdChoice.bestF1().withFolds(5)), ON_DEMAND);
    assertNotEquals(bestF1, folds5, "out-of-fold scores are another choice than the validation split's");
    assertNotEquals(folds5, TrainingPipeline.runKey(td, spec.withThresholdChoice(ThresholdChoice.bestF1().withFolds(3)), ON_DEMAND));
    assertEquals("ThresholdChoice[kind=MIN_COST, targetRecall=0.0, falseNegativeCost=5.0, folds=4]",
        ThresholdChoice.minCost(5).withFolds(4).toString());
    assertEquals(ThresholdChoice.bestF1().withFolds(5), TrainingPipeline.thresholdChoice(config(Map.of(
        "training.threshold-choice", "best-f1", "training.threshold-folds", "5"))));
    // the keys hold the choice as text: the kinds from before min-cost and the folds read as they did, so their versions
    // are reused
    assertEquals("ThresholdChoice[kind=FIXED, targetRecall=0.0]", ThresholdChoice.FIXED.toString());
    assertEquals("ThresholdChoice[kind=TARGET_RECALL, targetRecall=0.7]", ThresholdChoice.targetRecall(0.7).toString());
    assertEquals("ThresholdChoice[kind=MIN_COST, targetRecall=0.0, falseNegativeCost=5.0]", ThresholdChoice.minCost(5).toString());
    assertTrue(spec.toString().contains(", thresholdChoice=ThresholdChoice[kind=FIXED, targetRecall=0.0]"), spec.toString());
    // a hyperparameter search is another model; a spec without one reads as before searches existed (above)
    String searched = TrainingPipeline.runKey(td, spec.withSearch(dev.lakeline.training.ParamSearch.parse("regParam=0.01,0.1", 3)),
        ON_DEMAND);
    assertNotEquals(plain, searched);
    assertNotEquals(searched, TrainingPipeline.runKey(td,
        spec.withSearch(dev.lakeline.training.ParamSearch.parse("regParam=0.01,0.1", 4)), ON_DEMAND));
    assertEquals(plain, TrainingPipeline.runKey(td, spec.withSearch(null), ON_DEMAND));
    assertEquals(dev.lakeline.training.ParamSearch.parse("maxDepth=3,5; stepSize=0.1", 4), TrainingPipeline.search(config(Map.of(
        "training.algorithm", "gbt", "training.search.grid", "maxDepth=3,5; stepSize=0.1", "training.search.folds", "4"))));
    assertEquals(null, TrainingPipeline.search(config(Map.of("training.search.folds", "4"))), "no grid, no search");
    assertEquals(ThresholdChoice.minCost(5), TrainingPipeline.thresholdChoice(config(Map.of(
        "training.threshold-choice", "min-cost", "training.false-negative-cost", "5"))));
    assertEquals(ThresholdChoice.targetRecall(0.7), TrainingPipeline.thresholdChoice(config(Map.of(
        "training.threshold-choice", "target-recall", "training.target-recall", "0.7"))));
    assertEquals(ThresholdChoice.FIXED, TrainingPipeline.thresholdChoice(config(Map.of("training.target-recall", "0.7"))),
        "the target is read only for target-recall");
  }

  @Test
  void theConfigurationOffersTheLibrarysOwnChoices() {
    // core, which declares the keys, cannot see mllib-training: the allowed values are listed in both, and pinned here
    assertEquals(java.util.Arrays.stream(ClassWeight.values()).map(ClassWeight::id).toList(),
        LakelineKeys.TRAINING_CLASS_WEIGHT.allowed());
    List<ThresholdChoice.Kind> kinds = LakelineKeys.TRAINING_THRESHOLD_CHOICE.allowed().stream()
        .map(id -> ThresholdChoice.of(id, 0.5).kind()).toList();
    assertEquals(List.of(ThresholdChoice.Kind.values()), kinds);
    assertEquals(TrainingSpec.DEFAULT_THRESHOLD, LakelineKeys.TRAINING_DECISION_THRESHOLD.defaultValue());
  }

  private static TrainingDataset dataset(SparkSession spark, String root) {
    return FeatureStore.open(spark, new StorageLayout(root)).getTrainingDataset("loan_default", 1, 1);
  }
}
