package dev.lakeline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.InsertResult;
import dev.lakeline.featurestore.SplitSpec;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.training.FeatureDrift;
import dev.lakeline.training.ModelCard;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.training.TrainingSpec;
import dev.lakeline.validation.Decision;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The notebook facade drives the whole loop with plain arguments, on real Delta tables, Deequ and MLlib. */
@SparkTest
class LakelineTest {
  private static final String SUITE = """
      expectation_suite_name: loans
      expectations:
        - expectation_type: expect_column_values_to_be_between
          kwargs: {column: loan_amount, min_value: 0, max_value: 100000}
      """;

  private static final String VIEW = """
      name: loan_default
      version: 1
      base: {group: loans, version: 1}
      features: [loan_amount, purpose]
      labels: [is_default]
      joins:
        - group: credit_reports
          keys: [applicant_id]
          features: [annual_income]
      """;

  /**
   * 400 loans of 40 applicants, one every 10 hours from 2024-01-01; the label follows the amount, so a model can
   * learn it.
   */
  private static Dataset<Row> loans(SparkSession spark) {
    return spark.range(0, 400).selectExpr(
        "concat('L', id) AS loan_id",
        "concat('A', id % 40) AS applicant_id",
        "timestamp_seconds(1704067200 + id * 36000) AS issue_ts",
        "CAST(1000 + (id * 37) % 9000 AS DOUBLE) AS loan_amount",
        "CASE WHEN id % 3 = 0 THEN 'car' ELSE 'home' END AS purpose",
        "CASE WHEN (id * 37) % 9000 > 6000 THEN 1 ELSE 0 END AS is_default");
  }

  /** Two reports per applicant: income 50,000 from 2023-12-01, 80,000 from 2024-01-10. */
  private static Dataset<Row> creditReports(SparkSession spark) {
    return spark.range(0, 80).selectExpr(
        "concat('A', id % 40) AS applicant_id",
        "CASE WHEN id < 40 THEN TIMESTAMP'2023-12-01 00:00:00' ELSE TIMESTAMP'2024-01-10 00:00:00' END AS report_ts",
        "CAST(CASE WHEN id < 40 THEN 50000 ELSE 80000 END AS DOUBLE) AS annual_income");
  }

  @Test
  void theWholeLoopIsOneCallPerStep(SparkSession spark, TestLakehouse lh) {
    Lakeline lake = Lakeline.open(spark, lh.uri());
    assertEquals(lh.layout().root(), lake.root());

    Dataset<Row> loans = loans(spark);
    lake.createFeatureGroup("loans", 1, List.of("loan_id"), "issue_ts", loans.schema(), SUITE);
    lake.createFeatureGroup("credit_reports", 1, List.of("applicant_id"), "report_ts", creditReports(spark).schema());
    InsertResult inserted = lake.insert("loans", 1, loans, "loans:2024-06-30");
    assertEquals(Decision.INGESTED, inserted.decision());
    assertEquals(400, inserted.rows());
    assertFalse(inserted.skipped());
    assertEquals(80, lake.insert("credit_reports", 1, creditReports(spark), "reports:2024-06-30").rows());
    InsertResult again = lake.insert("loans", 1, loans, "loans:2024-06-30");
    assertTrue(again.skipped(), "the same batch again commits nothing");
    assertEquals(400, lake.featureGroup("loans", 1).read().count());

    lake.createFeatureView(VIEW);
    assertEquals(List.of("loan_amount", "purpose", "annual_income"), lake.featureView("loan_default", 1).featureColumns());
    TrainingDataset td = lake.createTrainingDataset("loan_default", 1, "issue_ts < TIMESTAMP'2024-06-01'", 0.25, 7);
    assertEquals(td.path(), lake.trainingDataset("loan_default", 1, 1).path());
    long labelled = loans.where("issue_ts < TIMESTAMP'2024-06-01'").count();
    assertEquals(labelled, td.read().count());
    assertEquals(labelled, td.manifest().rowsPerSplit().values().stream().mapToLong(Long::longValue).sum());
    // point in time: each loan has the income of the report valid at its issue time
    Map<String, Long> incomes = td.read().groupBy("annual_income").count().collectAsList().stream()
        .collect(Collectors.toMap(r -> String.valueOf(r.getDouble(0)), r -> r.getLong(1)));
    long beforeSecondReport = loans.where("issue_ts < TIMESTAMP'2024-01-10 00:00:00'").count();
    assertEquals(Map.of("50000.0", beforeSecondReport, "80000.0", labelled - beforeSecondReport), incomes);

    TrainingSpec spec = new TrainingSpec("logistic_regression", List.of("loan_amount", "annual_income"), List.of("purpose"), "is_default", 7);
    ModelVersion v1 = lake.train("loan_default", td, spec, "2024-06-30");
    assertEquals(1, v1.version());
    assertEquals("2024-06-30", v1.card().logicalDate());
    // what a reviewer needs: each input with its Spark type, kind and declared transformation; how the rows were chosen
    assertEquals(List.of(new ModelCard.Input("loan_amount", "double", "numeric", null),
        new ModelCard.Input("annual_income", "double", "numeric", null), new ModelCard.Input("purpose", "string", "categorical", null)),
        v1.card().inputs());
    assertEquals(new ModelCard.TrainingData("issue_ts < TIMESTAMP'2024-06-01'", "issue_ts", "2024-01-01T00:00:00Z",
        "2024-05-31T16:00:00Z", SplitSpec.random(0, 0.25), 7), v1.card().trainingData());
    assertEquals(v1.card(), lake.registry().get("loan_default", 1).card(), "the card as stored reads back the same");
    assertEquals(dev.lakeline.core.Versions.commit(), v1.card().versions().get("commit"), "the card names the code's commit");
    assertTrue(v1.card().metrics().get("areaUnderROC") > 0.9, "the label follows the amount: " + v1.card().metrics());
    assertEquals(1, lake.train("loan_default", td, spec, "2024-06-30").version(), "same inputs, same version");
    // lineage: v1 back to the group versions its dataset read, and the reports' commit forward to that dataset and v1
    dev.lakeline.jobs.lineage.Lineage.ModelLineage back = lake.lineage("loan_default", "latest");
    assertEquals("loan_default v1 td1", back.dataset().label());
    assertEquals(List.of(new dev.lakeline.jobs.lineage.Lineage.GroupRead("loans v1", 1, "spine"),
        new dev.lakeline.jobs.lineage.Lineage.GroupRead("credit_reports v1", 1, "joined")), back.reads());
    assertEquals("reports:2024-06-30", back.commits().get("credit_reports v1").get(0).batchId());
    dev.lakeline.jobs.lineage.Lineage.Impact forward = lake.impact("credit_reports", 1, 1);
    assertEquals(List.of(td.path()), forward.datasets().stream().map(a -> a.dataset().path()).toList());
    assertEquals(80L, forward.datasets().get(0).rowsOfCommit(), "every report row is the first batch's");
    assertEquals(List.of("loan_default v1"), forward.models().stream().map(dev.lakeline.jobs.lineage.Lineage.ModelNode::label).toList());
    dev.lakeline.jobs.lineage.Lineage.Impact creation = lake.impact("credit_reports", 1, 0); // it wrote no rows
    assertEquals(List.of(), creation.datasets());
    assertEquals(List.of(td.path()), creation.withoutItsRows().stream().map(a -> a.dataset().path()).toList());
    assertEquals(List.of(), creation.models());
    // the amount is what the label follows: shuffling it costs the model most of its AUC
    dev.lakeline.training.PermutationImportance.Result importance = lake.importance(v1, td.test());
    assertEquals("loan_amount", importance.features().get(0).feature(), importance.features().toString());
    assertTrue(importance.features().get(0).drop() > 0.2, importance.features().toString());
    assertEquals(List.of("annual_income", "loan_amount", "purpose"),
        importance.features().stream().map(dev.lakeline.training.PermutationImportance.Feature::feature).sorted().toList());
    assertEquals(td.test().count(), importance.rows());
    assertThrows(LakelineException.ConfigError.class, () -> lake.importance(v1, null));
    assertEquals(1, lake.registry().versions("loan_default").size());

    ModelVersion latest = lake.model("loan_default", "latest");
    assertEquals(v1.path(), latest.path());
    assertEquals(v1.path(), lake.model("loan_default", 1).path());
    Dataset<Row> features = lake.batchData("loan_default", 1, "issue_ts >= TIMESTAMP'2024-06-01'");
    assertFalse(List.of(features.columns()).contains("is_default"), "batch data leaves the labels out");
    List<Row> scored = lake.score(latest, features, List.of("loan_id")).collectAsList();
    assertEquals(loans.count() - labelled, scored.size());
    assertEquals(List.of("loan_id", "score", "prediction", "model_name", "model_version"),
        List.of(lake.score(latest, features, List.of("loan_id")).columns()));
    for (Row r : scored) {
      assertTrue(r.getDouble(1) >= 0 && r.getDouble(1) <= 1, r.toString());
      assertTrue(r.getInt(2) == 0 || r.getInt(2) == 1, r.toString());
      assertEquals(1, r.getInt(4));
    }

    // the batch against the training data: the features in the spec's order, then the scores
    List<FeatureDrift> drift = lake.drift(latest, lake.score(latest, features, List.of(features.columns())));
    assertEquals(List.of("loan_amount", "annual_income", "purpose", "score"), drift.stream().map(FeatureDrift::feature).toList());
    for (FeatureDrift d : drift) {
      assertEquals(loans.count() - labelled, d.rows(), d.toString());
      assertTrue(d.psi() >= 0, d.toString());
    }
    List<FeatureDrift> same = lake.drift(latest, td.train());
    assertEquals(List.of(0.0, 0.0, 0.0), same.stream().map(FeatureDrift::psi).toList(), "the training split against itself");

    // with its training dataset gone, a version is still found by the group versions its card records
    dev.lakeline.core.storage.LakeFiles.of(spark).delete(td.path());
    dev.lakeline.jobs.lineage.Lineage.Impact orphan = lake.impact("credit_reports", 1, 1);
    assertEquals(List.of(), orphan.datasets());
    assertEquals(List.of("loan_default v1"), orphan.models().stream().map(dev.lakeline.jobs.lineage.Lineage.ModelNode::label).toList());
    assertEquals(List.of(), lake.impact("credit_reports", 1, 0).models(), "nothing of the creation commit's");
    assertEquals(List.of(new dev.lakeline.jobs.lineage.Lineage.GroupRead("credit_reports v1", 1, "read"),
        new dev.lakeline.jobs.lineage.Lineage.GroupRead("loans v1", 1, "read")), lake.lineage("loan_default", "1").reads());
  }

  @Test
  void aRejectedBatchLeavesTheGroupUntouched(SparkSession spark, TestLakehouse lh) {
    Lakeline lake = Lakeline.open(spark, lh.uri());
    Dataset<Row> loans = loans(spark).limit(10);
    FeatureGroup group = lake.createFeatureGroup("loans", 1, List.of("loan_id"), "issue_ts", loans.schema(), SUITE);
    lake.insert("loans", 1, loans, "b1");
    long version = group.deltaVersion();
    Dataset<Row> bad = loans.selectExpr("concat(loan_id, 'x') AS loan_id", "applicant_id", "issue_ts",
        "-loan_amount AS loan_amount", "purpose", "is_default");
    LakelineException.DataRejected e =
        assertThrows(LakelineException.DataRejected.class, () -> lake.insert("loans", 1, bad, "b2"));
    assertTrue(e.getMessage().contains("loan_amount"), e.getMessage());
    assertEquals(version, group.deltaVersion());
    assertEquals(10, group.read().count());
  }

  @Test
  void badArgumentsAreClearErrors(SparkSession spark, TestLakehouse lh) {
    assertThrows(LakelineException.ConfigError.class, () -> Lakeline.open(spark, " "));
    Lakeline lake = Lakeline.open(spark, lh.uri());
    LakelineException.NotFound noGroup = assertThrows(LakelineException.NotFound.class, () -> lake.featureGroup("loans", 1));
    assertTrue(noGroup.getMessage().contains("loans v1 does not exist"), noGroup.getMessage());
    assertThrows(LakelineException.NotFound.class, () -> lake.model("loan_default", "latest"));
    LakelineException.ConfigError noView =
        assertThrows(LakelineException.ConfigError.class, () -> lake.createFeatureView("version: 1\n"));
    assertTrue(noView.getMessage().contains("base"), noView.getMessage());
    // the messages speak of the definition the notebook passed, not of the temporary file it was staged in
    assertTrue(noView.getMessage().startsWith("The feature view definition: "), noView.getMessage());
    LakelineException.ConfigError notYaml =
        assertThrows(LakelineException.ConfigError.class, () -> lake.createFeatureView("name: v\nversion: [1\n"));
    assertTrue(notYaml.getMessage().startsWith("The feature view definition is not valid YAML at line 2"), notYaml.getMessage());
    Dataset<Row> loans = loans(spark);
    LakelineException.ConfigError badSuite = assertThrows(LakelineException.ConfigError.class,
        () -> lake.createFeatureGroup("loans", 1, List.of("loan_id"), "issue_ts", loans.schema(), "expectations: 3"));
    assertTrue(badSuite.getMessage().contains("feature group loans"), badSuite.getMessage());
  }

  @Test
  void trainingNeedsAnExplicitLogicalDate(SparkSession spark, TestLakehouse lh) {
    Lakeline lake = withLoanView(spark, lh, loans(spark).limit(40));
    TrainingDataset td = lake.createTrainingDataset("loan_default", 1, null, 0.25, 7);
    TrainingSpec spec = new TrainingSpec("logistic_regression", List.of("loan_amount"), List.of(), "is_default", 7);
    for (String date : new String[] {null, "yesterday", "2024-13-01"}) {
      LakelineException.ConfigError e =
          assertThrows(LakelineException.ConfigError.class, () -> lake.train("loan_default", td, spec, date));
      assertTrue(e.getMessage().contains("YYYY-MM-DD"), e.getMessage());
    }
    assertTrue(lake.registry().versions("loan_default").isEmpty(), "nothing was trained");
  }

  @Test
  void aDatasetWithoutTestRowsIsRefusedNotTrainedWithoutAuc(SparkSession spark, TestLakehouse lh) {
    Lakeline lake = withLoanView(spark, lh, loans(spark).limit(40));
    TrainingDataset td = lake.createTrainingDataset("loan_default", 1, null, 0.001, 7);
    assertEquals(0L, td.manifest().rowsPerSplit().get("test"), "0.1 % of 40 rows: none for test");
    TrainingSpec spec = new TrainingSpec("logistic_regression", List.of("loan_amount"), List.of(), "is_default", 7);
    LakelineException.DataRejected e =
        assertThrows(LakelineException.DataRejected.class, () -> lake.train("loan_default", td, spec, "2024-06-30"));
    assertTrue(e.getMessage().contains("The test split has no labelled rows"), e.getMessage());
    assertTrue(lake.registry().versions("loan_default").isEmpty(), "no version registered");
  }

  @Test
  void columnsMissingForTrainingOrScoringAreClearErrors(SparkSession spark, TestLakehouse lh) {
    Lakeline lake = withLoanView(spark, lh, loans(spark));
    TrainingDataset td = lake.createTrainingDataset("loan_default", 1, null, 0.25, 7);
    // a misspelt feature or label is the same one-line error as any missing column, not MLlib's or Spark's
    LakelineException.ConfigError feature = assertThrows(LakelineException.ConfigError.class, () -> lake.train("loan_default", td,
        new TrainingSpec("logistic_regression", List.of("loan_amountx"), List.of(), "is_default", 7), "2024-06-30"));
    assertTrue(feature.getMessage().contains("'loan_amountx'") && feature.getMessage().contains("Did you mean 'loan_amount'"),
        feature.getMessage());
    LakelineException.ConfigError label = assertThrows(LakelineException.ConfigError.class, () -> lake.train("loan_default", td,
        new TrainingSpec("logistic_regression", List.of("loan_amount"), List.of(), "is_defaultx", 7), "2024-06-30"));
    assertTrue(label.getMessage().contains("'is_defaultx'"), label.getMessage());
    assertTrue(lake.registry().versions("loan_default").isEmpty(), "nothing was trained");

    ModelVersion model = lake.train("loan_default", td,
        new TrainingSpec("logistic_regression", List.of("loan_amount", "annual_income"), List.of(), "is_default", 7)
            .withTransformations(Map.of("loan_amount", dev.lakeline.featurestore.ModelTransformation.ROBUST_SCALER)), "2024-06-30");
    // the card names the declared transformation of each input; a dataset of all rows has no filter
    assertEquals(List.of(new ModelCard.Input("loan_amount", "double", "numeric", "robust_scaler"),
        new ModelCard.Input("annual_income", "double", "numeric", null)), model.card().inputs());
    String filter = model.card().trainingData().filter();
    assertTrue(filter == null || filter.isBlank(), filter);
    Dataset<Row> withoutIncome = lake.batchData("loan_default", 1, null).drop("annual_income");
    LakelineException.ConfigError input = assertThrows(LakelineException.ConfigError.class,
        () -> lake.score(model, withoutIncome, List.of("loan_id")));
    assertTrue(input.getMessage().contains("Scoring with loan_default v1 needs column 'annual_income'"), input.getMessage());
    // a batch scored before already has the columns the model writes: named, not MLlib's "Column prediction already exists"
    Dataset<Row> features = lake.batchData("loan_default", 1, null);
    Dataset<Row> scored = lake.score(model, features, List.of(features.columns()));
    LakelineException.ConfigError twice = assertThrows(LakelineException.ConfigError.class,
        () -> lake.score(model, scored, List.of("loan_id")));
    assertTrue(twice.getMessage().contains("already has the column(s) [prediction]"), twice.getMessage());
    // keeping a column named as one the scoring adds would give two columns of that name
    Dataset<Row> named = features.withColumnRenamed("loan_amount", "score");
    LakelineException.ConfigError clash = assertThrows(LakelineException.ConfigError.class,
        () -> lake.score(model, named.withColumn("loan_amount", named.col("score")), List.of("loan_id", "score")));
    assertTrue(clash.getMessage().contains("the column(s) [score] to keep have the names of columns the scoring adds"),
        clash.getMessage());
    assertEquals(List.of("loan_id", "score", "prediction", "model_name", "model_version"),
        List.of(lake.score(model, features, List.of("loan_id", "loan_id")).columns()), "a column named twice is kept once");
  }

  @Test
  void theTransformationLibrarysStepsApplyToANotebooksDataFrame(SparkSession spark, TestLakehouse lh) {
    Lakeline lake = Lakeline.open(spark, lh.uri());
    Dataset<Row> txns = spark.sql("SELECT * FROM VALUES ('c1', TIMESTAMP'2024-01-01 10:00:00Z', 5.0D), "
        + "('c1', TIMESTAMP'2024-01-01 12:00:00Z', 7.0D), ('c2', TIMESTAMP'2024-01-01 11:00:00Z', 1.0D) AS t(card, ts, amount)");
    String steps = """
        steps:
          - step: rolling_aggregates
            entity: card
            time: ts
            value: amount
            windows: [4h]
            aggregates: [count, sum]
        """;

    Dataset<Row> out = lake.transform(txns, steps);

    assertEquals(List.of("c1 1 5.0", "c1 2 12.0", "c2 1 1.0"), out.orderBy("card", "ts")
        .selectExpr("concat_ws(' ', card, amount_count_4h, amount_sum_4h)").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList());
    LakelineException.ConfigError missing = assertThrows(LakelineException.ConfigError.class,
        () -> lake.transform(txns.drop("amount"), steps));
    assertTrue(missing.getMessage().contains("'amount'"), missing.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> lake.transform(txns, null));
  }

  @Test
  void nullArgumentsAreClearErrorsNamingTheArgument(SparkSession spark, TestLakehouse lh) {
    Lakeline lake = Lakeline.open(spark, lh.uri());
    Dataset<Row> loans = loans(spark).limit(10);
    LakelineException.ConfigError key = assertThrows(LakelineException.ConfigError.class,
        () -> lake.createFeatureGroup("loans", 1, null, "issue_ts", loans.schema()));
    assertTrue(key.getMessage().contains("needs a primary key"), key.getMessage());
    lake.createFeatureGroup("loans", 1, List.of("loan_id"), "issue_ts", loans.schema());
    LakelineException.ConfigError batch = assertThrows(LakelineException.ConfigError.class, () -> lake.insert("loans", 1, null, "b1"));
    assertTrue(batch.getMessage().contains("batch"), batch.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> lake.upsert("loans", 1, null, "b1"));
    LakelineException.ConfigError lists = assertThrows(LakelineException.ConfigError.class,
        () -> new TrainingSpec("logistic_regression", null, null, "is_default", 7));
    assertTrue(lists.getMessage().contains("numericFeatures"), lists.getMessage());
    LakelineException.ConfigError noLabel = assertThrows(LakelineException.ConfigError.class,
        () -> new TrainingSpec("logistic_regression", List.of("loan_amount"), List.of(), null, 7));
    assertTrue(noLabel.getMessage().contains("label"), noLabel.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> lake.createTrainingDataset("loan_default", 1, null));
    ModelVersion model = new ModelVersion("m", 1, lh.uri() + "/models/m/v1", null);
    LakelineException.ConfigError features = assertThrows(LakelineException.ConfigError.class, () -> lake.score(model, null, List.of()));
    assertTrue(features.getMessage().contains("features"), features.getMessage());
    LakelineException.ConfigError keep = assertThrows(LakelineException.ConfigError.class, () -> lake.score(model, loans, null));
    assertTrue(keep.getMessage().contains("keepColumns"), keep.getMessage());
    LakelineException.ConfigError lineage = assertThrows(LakelineException.ConfigError.class, () -> lake.lineage("m", null));
    assertTrue(lineage.getMessage().contains("reference"), lineage.getMessage());
  }

  @Test
  void aModelFileIsLoadedAndCheckedWhenANotebookNamesIt(SparkSession spark, TestLakehouse lh) {
    Lakeline lake = Lakeline.open(spark, lh.uri());
    ModelFileJobs demo = lake.modelFile(dev.lakeline.jobs.pipelines.ModelDefinition.BUNDLED, "loan_default");
    assertEquals("loan_default v1", demo.definition().viewLabel());
    assertEquals(lh.layout().root(), demo.config().lakehouseRoot());
    assertEquals(7L, demo.config().get(dev.lakeline.core.config.LakelineKeys.TRAINING_SEED), "the jobs' configuration: their run keys");
    assertEquals(60, demo.withSetting("training.history-days", "60").config().get(dev.lakeline.core.config.LakelineKeys.TRAINING_HISTORY_DAYS));
    assertEquals(365, demo.config().get(dev.lakeline.core.config.LakelineKeys.TRAINING_HISTORY_DAYS), "withSetting returns a copy");

    LakelineException.ConfigError key = assertThrows(LakelineException.ConfigError.class,
        () -> demo.withSetting("training.histroy-days", "60"));
    assertTrue(key.getMessage().contains("training.history-days"), key.getMessage());
    LakelineException.NotFound file = assertThrows(LakelineException.NotFound.class,
        () -> lake.modelFile(lh.root().resolve("churn.yaml").toString(), "churn"));
    assertTrue(file.getMessage().contains("churn.yaml does not exist"), file.getMessage());
    LakelineException.ConfigError name = assertThrows(LakelineException.ConfigError.class,
        () -> lake.modelFile(dev.lakeline.jobs.pipelines.ModelDefinition.BUNDLED, null));
    assertTrue(name.getMessage().contains("the model's name"), name.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> lake.modelFile(dev.lakeline.jobs.pipelines.ModelDefinition.BUNDLED, "a/b"));
    LakelineException.ConfigError date = assertThrows(LakelineException.ConfigError.class, () -> demo.train("June"));
    assertTrue(date.getMessage().contains("YYYY-MM-DD"), date.getMessage());
    // as the jobs: a lakehouse that holds none of Lakeline's folders is not taken for an empty one
    Lakeline elsewhere = Lakeline.open(spark, lh.root().resolve("typo").toString());
    assertThrows(LakelineException.NotFound.class,
        () -> elsewhere.modelFile(dev.lakeline.jobs.pipelines.ModelDefinition.BUNDLED, "loan_default").train("2024-06-30"));
  }

  @Test
  void aLabelWithOneClassIsRefusedNotASparkStackTrace(SparkSession spark, TestLakehouse lh) {
    Lakeline lake = withLoanView(spark, lh, loans(spark).limit(40)); // the first 40 loans all have is_default = 0
    TrainingDataset td = lake.createTrainingDataset("loan_default", 1, null, 0.25, 7);
    TrainingSpec spec = new TrainingSpec("logistic_regression", List.of("loan_amount"), List.of(), "is_default", 7);
    LakelineException.DataRejected e =
        assertThrows(LakelineException.DataRejected.class, () -> lake.train("loan_default", td, spec, "2024-06-30"));
    assertTrue(e.getMessage().contains("is_default") && e.getMessage().contains("one value"), e.getMessage());
    assertTrue(lake.registry().versions("loan_default").isEmpty(), "no version registered");
  }

  /** A lakehouse with the loans and credit_reports groups, {@code loans} and the credit reports inserted, and VIEW. */
  private static Lakeline withLoanView(SparkSession spark, TestLakehouse lh, Dataset<Row> loans) {
    Lakeline lake = Lakeline.open(spark, lh.uri());
    lake.createFeatureGroup("loans", 1, List.of("loan_id"), "issue_ts", loans.schema());
    lake.createFeatureGroup("credit_reports", 1, List.of("applicant_id"), "report_ts", creditReports(spark).schema());
    lake.insert("loans", 1, loans, "b1");
    lake.insert("credit_reports", 1, creditReports(spark), "b1");
    lake.createFeatureView(VIEW);
    return lake;
  }
}
