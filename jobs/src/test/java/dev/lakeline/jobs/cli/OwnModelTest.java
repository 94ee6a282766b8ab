package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.InsertOptions;
import dev.lakeline.jobs.Lakeline;
import dev.lakeline.jobs.ModelFileJobs;
import dev.lakeline.jobs.pipelines.InferencePipeline;
import dev.lakeline.jobs.pipelines.ModelMonitoring;
import dev.lakeline.jobs.pipelines.TrainingPipeline;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.training.ModelCard;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ModelVersion;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A model of another domain than the demo's, from its own model file: customers dated by a TIMESTAMP or a TIMESTAMP_NTZ
 * (the demo's loans have a DATE), their usage joined, a label of their own, trained, scored and monitored by the same
 * commands as the demo's model, and by a notebook's {@link Lakeline#modelFile}, which reuses what the commands made.
 */
@SparkTest
class OwnModelTest {
  private static final String VIEW = """
      name: churn
      version: 1
      base: {group: customers, version: 1}
      features: [plan, tenure_days]
      labels: [churned]
      joins:
        - group: usage
          keys: [customer_id]
          features: [minutes_7d]
      transformations: {tenure_days: standard_scaler}
      """;

  private static final String MODEL = """
      description: Customers that leave within the quarter
      feature_view: {name: churn, version: 1, file: views/churn.yaml}
      label: churned
      keep_columns: [plan]
      features:
        numeric: [tenure_days, minutes_7d, minutes_per_day]
        categorical: [plan]
      on_demand:
        - step: ratio
          numerator: minutes_7d
          denominator: tenure_days
          output: minutes_per_day
      """;

  /** How the base group, customers, dates its rows. */
  enum BaseTime {
    /** A TIMESTAMP; the usage (dated too) is joined point-in-time. */
    TIMESTAMP,
    /**
     * A TIMESTAMP_NTZ, read as UTC: a group made before a new group's event time had to be a TIMESTAMP or a DATE. The
     * point-in-time join compares those two only, so the usage (undated here) is joined on key alone.
     */
    TIMESTAMP_NTZ;

    /** The start of {@code day} (UTC) as a literal of this type. */
    String at(String day) {
      return this == TIMESTAMP ? "TIMESTAMP'" + day + " 00:00:00Z'" : "TIMESTAMP_NTZ'" + day + " 00:00:00'";
    }
  }

  @ParameterizedTest
  @EnumSource(BaseTime.class)
  void aModelFileOfAnotherDomainIsTrainedScoredAndMonitoredByTheSameCommands(
      BaseTime time, SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("views"));
    Files.writeString(dir.resolve("views/churn.yaml"), time == BaseTime.TIMESTAMP ? VIEW : VIEW.replace(
        "features: [minutes_7d]\n", "features: [minutes_7d]\n    static: true\n"));
    Path model = Files.writeString(dir.resolve("churn.yaml"), MODEL);
    // 600 customers over the 90 days from 2024-01-01 (12:00 UTC), a basic plan and a short tenure churn more
    Dataset<Row> customers = spark.sql("""
        SELECT concat('c', id) AS customer_id, CAST(timestamp_seconds(1704110400 + (id % 90) * 86400) AS TIME) AS snapshot_ts,
               CASE WHEN id % 3 = 0 THEN 'basic' ELSE 'pro' END AS plan, CAST(30 + (id * 37) % 900 AS INT) AS tenure_days,
               concat('r', id % 4) AS region,
               CASE WHEN (id * 37) % 900 < 300 AND id % 3 = 0 THEN 1 WHEN id % 7 = 0 THEN 1 ELSE 0 END AS churned
        FROM range(600)""".replace("AS TIME)", "AS " + time.name() + ")"));
    Dataset<Row> usage = spark.sql("""
        SELECT concat('c', id) AS customer_id, timestamp_seconds(1704110400 + (id % 90) * 86400 - 86400) AS usage_ts,
               CAST((id * 13) % 500 AS DOUBLE) + 0.5 AS minutes_7d
        FROM range(600)""");
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    FeatureGroupSpec customersSpec = FeatureGroupSpec.of("customers", List.of("customer_id"), "snapshot_ts");
    if (time == BaseTime.TIMESTAMP_NTZ) {
      // as such a group was made: its definition in the Delta table's properties
      DeltaTable.createIfNotExists(spark).location(lh.layout().featureGroup("customers", 1)).addColumns(customers.schema())
          .property("lakeline.feature_group.spec",
              "{\"name\": \"customers\", \"version\": 1, \"primaryKey\": [\"customer_id\"], \"eventTime\": \"snapshot_ts\"}")
          .execute();
      usage = usage.drop("usage_ts");
    } else {
      store.createFeatureGroup(customersSpec, customers.schema());
    }
    store.getFeatureGroup("customers", 1).insert(customers, InsertOptions.append("customers:2024-03-31"));
    store.createFeatureGroup(FeatureGroupSpec.of("usage", List.of("customer_id"), time == BaseTime.TIMESTAMP ? "usage_ts" : null),
        usage.schema()).insert(usage, InsertOptions.append("usage:2024-03-31"));
    String[] own = own(model);

    // ids that the view's rows do not carry: refused before anything is written, even the view
    Files.writeString(model, MODEL.replace("keep_columns:", "id_columns: [region]\nkeep_columns:"));
    Cli notCarried = Cli.inLakehouse(lh, concat(new String[] {"train", "--date", "2024-03-01"}, own));
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), notCarried.exitCode(), notCarried.err() + notCarried.out());
    assertTrue(notCarried.err().contains("id_columns: 'region' is a column of the base group customers, but feature view churn "
        + "v1's rows do not carry it (they have [customer_id, snapshot_ts, plan, tenure_days, minutes_7d])"), notCarried.err());
    assertFalse(notCarried.hasStackTrace(), notCarried.err());
    assertThrows(LakelineException.NotFound.class, () -> store.getFeatureView("churn", 1), "the view was not created");
    Files.writeString(model, MODEL.replace("keep_columns:", "id_columns: [churned]\nkeep_columns:"));
    Cli label = Cli.inLakehouse(lh, concat(new String[] {"train", "--date", "2024-03-01", "--dry-run"}, own));
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), label.exitCode(), label.err() + label.out());
    assertTrue(label.err().contains("id_columns: 'churned' is a label of feature view churn v1"), label.err());
    Files.writeString(model, MODEL);

    Cli plan = Cli.inLakehouse(lh, concat(new String[] {"train", "--date", "2024-03-01", "--dry-run"}, own));
    assertEquals(0, plan.exitCode(), plan.err() + plan.out());
    assertTrue(plan.out().contains("model file: " + model + " (feature view churn v1, label churned, 4 features)"), plan.out());

    // the 60 days before 2024-03-01: the customers of days 0 to 59, in UTC
    Cli train = Cli.inLakehouse(lh, concat(new String[] {"train", "--date", "2024-03-01", "--set", "training.history-days=60"}, own));
    assertEquals(0, train.exitCode(), train.err() + train.out());
    ModelVersion v1 = ModelRegistry.open(spark, lh.layout()).resolve("churn", "latest");
    assertEquals(1, v1.version());
    assertEquals("churned", v1.card().label());
    assertEquals(List.of("tenure_days", "minutes_7d", "minutes_per_day", "plan"), v1.card().features());
    // the card's input schema as training saw it (the on-demand ratio among it) with the view's declared transformation,
    // and how its rows were chosen and split
    assertEquals(List.of(new ModelCard.Input("tenure_days", "int", "numeric", "standard_scaler"),
        new ModelCard.Input("minutes_7d", "double", "numeric", null), new ModelCard.Input("minutes_per_day", "double", "numeric", null),
        new ModelCard.Input("plan", "string", "categorical", null)), v1.card().inputs());
    ModelCard.TrainingData rows = v1.card().trainingData();
    assertTrue(rows.filter().contains("2024-01-01") && rows.filter().contains("2024-03-01") && rows.filter().contains("IS NOT NULL"),
        rows.filter());
    // as the dataset's statistics wrote them: an instant, or for a TIMESTAMP_NTZ the local time (read as UTC)
    String zone = time == BaseTime.TIMESTAMP ? ":00Z" : "";
    assertEquals(List.of("snapshot_ts", "2024-01-01T12:00" + zone, "2024-02-29T12:00" + zone),
        List.of(rows.eventTime(), rows.earliest(), rows.latest()));
    assertEquals(dev.lakeline.featurestore.SplitSpec.random(0, 0.2), rows.split());
    assertEquals(7, rows.seed());
    assertEquals(1, store.listTrainingDatasets("churn", 1).size());
    long trainingRows = store.listTrainingDatasets("churn", 1).get(0).read().count();
    assertEquals(customers.where("snapshot_ts < " + time.at("2024-03-01")).count(), trainingRows);
    assertTrue(v1.card().metrics().get("areaUnderROC") > 0.6, "the label follows the plan and tenure: " + v1.card().metrics());

    // a notebook with the same model file and settings: the same dataset and version, not a new one
    ModelFileJobs notebook = Lakeline.open(spark, lh.uri()).modelFile(model.toString(), "churn")
        .withSetting("training.label-delay-days", "0").withSetting("training.history-days", "60");
    TrainingPipeline.Result again = notebook.train("2024-03-01");
    assertTrue(again.reused());
    assertEquals(1, again.model().version());
    assertEquals(1, store.listTrainingDatasets("churn", 1).size());
    // which features v1 leans on, on its own test split with the model file's on-demand ratio computed
    dev.lakeline.jobs.pipelines.SameRows.Importance importance = notebook.importance("1");
    assertEquals(v1.card().features().stream().sorted().toList(),
        importance.result().features().stream().map(dev.lakeline.training.PermutationImportance.Feature::feature).sorted().toList());
    long test = store.listTrainingDatasets("churn", 1).get(0).test().count();
    assertTrue(importance.rows().startsWith(String.format(java.util.Locale.ROOT, "the %,d rows of v1's test split (churn v1 td",
        test)), importance.rows());
    assertEquals(test, importance.result().rows());
    assertEquals(v1.card().metrics().get("areaUnderROC"), importance.result().auc(), 2e-3, "the AUC as scored: the card's");
    assertTrue(importance.result().features().get(0).drop() > 0.02, "the label follows the plan and tenure: " + importance.result());

    // the 30 UTC days up to 2024-03-31, scored by the notebook with the model's own on-demand step, the ids and the kept
    // plan; the command then finds the date's predictions written
    String predictionsPath = lh.layout().predictions("churn");
    InferencePipeline.Result scored = notebook.infer("2024-03-31");
    Dataset<Row> window = customers.where("snapshot_ts >= " + time.at("2024-03-02") + " AND snapshot_ts < " + time.at("2024-04-01"));
    assertEquals(window.count(), scored.rows());
    Cli infer = Cli.inLakehouse(lh, concat(new String[] {"infer", "--date", "2024-03-31"}, own));
    assertEquals(0, infer.exitCode(), infer.err() + infer.out());
    assertTrue(infer.out().contains("(unchanged)"), infer.out());
    assertEquals(scored.deltaVersion(), DeltaCommits.currentVersion(spark, predictionsPath));
    Dataset<Row> predictions = spark.read().format("delta").load(predictionsPath);
    assertEquals(List.of("customer_id", "plan", "snapshot_ts", "score", "prediction", "model_name", "model_version", "run_date"),
        List.of(predictions.columns()));
    assertEquals(time.name(), predictions.schema().apply("snapshot_ts").dataType().sql());
    assertEquals(window.count(), predictions.count());
    assertTrue(predictions.select("customer_id").exceptAll(window.select("customer_id")).isEmpty());

    // the labels known by then joined to the predictions by the base group's key
    Cli monitor = Cli.inLakehouse(lh, concat(new String[] {"monitor", "--date", "2024-03-31"}, own));
    assertEquals(0, monitor.exitCode(), monitor.err() + monitor.out());
    Row performance = spark.read().format("delta").load(lh.layout().system("monitoring_performance")).where("model_name = 'churn'").first();
    assertEquals(window.count(), performance.getLong(performance.fieldIndex("labelled")), "every scored customer's label is known");
    assertEquals(window.where("churned = 1").count(), performance.getLong(performance.fieldIndex("positives")));
    assertNotNull(performance.get(performance.fieldIndex("auc")));

    if (time == BaseTime.TIMESTAMP) { // the predictions table's columns do not depend on how the base is dated: once
      keptColumnsChangeTheTable(spark, lh, model, notebook, customers, window);
    }

    // a model file that names a label the view does not have: refused when it is loaded
    Files.writeString(model, MODEL.replace("label: churned", "label: plan_changed"));
    Cli wrong = Cli.inLakehouse(lh, concat(new String[] {"train", "--date", "2024-03-02"}, own));
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), wrong.exitCode(), wrong.err() + wrong.out());
    assertTrue(wrong.err().contains("label 'plan_changed' is not a label of feature view churn v1, whose labels are [churned]"),
        wrong.err());
    assertFalse(wrong.hasStackTrace(), wrong.err());
    assertEquals(1, store.listTrainingDatasets("churn", 1).size(), "no second training dataset");
  }

  /**
   * Kept columns changed after the predictions table was made: an added one is added to the table (null in the runs
   * before), a removed one stays (null in the runs after); the batches pass the predictions suite, and monitor judges
   * every run. A kept column of another type than the table's is refused before anything is written.
   */
  private static void keptColumnsChangeTheTable(
      SparkSession spark, TestLakehouse lh, Path model, ModelFileJobs notebook, Dataset<Row> customers, Dataset<Row> window)
      throws IOException {
    BaseTime time = BaseTime.TIMESTAMP;
    String predictionsPath = lh.layout().predictions("churn");
    String[] own = own(model);
    Files.writeString(model, MODEL.replace("keep_columns: [plan]", "keep_columns: [plan, tenure_days]"));
    Cli added = Cli.inLakehouse(lh, concat(new String[] {"infer", "--date", "2024-03-30"}, own));
    assertEquals(0, added.exitCode(), added.err() + added.out());
    Files.writeString(model, MODEL.replace("keep_columns: [plan]", "keep_columns: [tenure_days]"));
    Cli removed = Cli.inLakehouse(lh, concat(new String[] {"infer", "--date", "2024-03-29"}, own));
    assertEquals(0, removed.exitCode(), removed.err() + removed.out());
    Dataset<Row> predictions = spark.read().format("delta").load(predictionsPath);
    assertEquals(List.of("customer_id", "plan", "snapshot_ts", "score", "prediction", "model_name", "model_version", "run_date",
        "tenure_days"), List.of(predictions.columns()));
    assertEquals(List.of("2024-03-29 0 " + count(customers, time, "2024-02-29", "2024-03-30"),
            "2024-03-30 " + count(customers, time, "2024-03-01", "2024-03-31") + " " + count(customers, time, "2024-03-01", "2024-03-31"),
            "2024-03-31 " + window.count() + " 0"),
        predictions.groupBy("run_date").agg(org.apache.spark.sql.functions.expr("count(plan)"),
            org.apache.spark.sql.functions.expr("count(tenure_days)")).orderBy("run_date").collectAsList().stream()
            .map(r -> r.get(0) + " " + r.get(1) + " " + r.get(2)).toList(),
        "per run: the rows with a plan, and with a tenure");
    ModelMonitoring.Result monitored = notebook.monitor("2024-03-31");
    assertEquals(List.of(count(customers, time, "2024-03-01", "2024-03-30"), count(customers, time, "2024-03-01", "2024-03-31"),
        window.count()), monitored.performance().stream().map(ModelMonitoring.RunPerformance::labelled).toList(),
        "the customers of each run, but those of 2024-02-29 that v1 was trained on");

    // a kept column of another type than the table's (as if tenure_days had been kept as a string): nothing is written
    predictions.withColumn("tenure_days", predictions.col("tenure_days").cast("string")).write().format("delta")
        .mode("overwrite").option("overwriteSchema", "true").partitionBy("run_date").save(predictionsPath);
    long before = DeltaCommits.currentVersion(spark, predictionsPath);
    long driftBefore = DeltaCommits.currentVersion(spark, lh.layout().system("monitoring_drift"));
    Cli typed = Cli.inLakehouse(lh, concat(new String[] {"infer", "--date", "2024-03-28"}, own));
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), typed.exitCode(), typed.err() + typed.out());
    assertTrue(typed.err().contains("The predictions table " + predictionsPath + " has the column 'tenure_days' as string (written "
        + "by earlier runs), but this batch's 'tenure_days' is int, a kept column (keep_columns of " + model + "). A Delta table's "
        + "column keeps its type, so nothing was written. Remove it from keep_columns"), typed.err());
    assertFalse(typed.hasStackTrace(), typed.err());
    assertEquals(before, DeltaCommits.currentVersion(spark, predictionsPath));
    assertEquals(driftBefore, DeltaCommits.currentVersion(spark, lh.layout().system("monitoring_drift")));

  }

  /** The customers dated in [from, to) (UTC days). */
  private static long count(Dataset<Row> customers, BaseTime time, String from, String to) {
    return customers.where("snapshot_ts >= " + time.at(from) + " AND snapshot_ts < " + time.at(to)).count();
  }

  /** The options that name the model file, the model and its labels' delay (none: each customer's label is known at once). */
  private static String[] own(Path model) {
    return new String[] {"--model-file", model.toString(), "--set", "model.name=churn", "--set", "training.label-delay-days=0"};
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
