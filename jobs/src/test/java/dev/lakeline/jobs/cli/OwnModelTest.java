package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.InsertOptions;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.training.ModelCard;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ModelVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model of another domain than the demo's, from its own model file: customers dated by a TIMESTAMP (the demo's
 * loans have a DATE), their usage joined point-in-time, a label of their own, trained, scored and monitored by the
 * same commands as the demo's model.
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

  @Test
  void aModelFileOfAnotherDomainIsTrainedScoredAndMonitoredByTheSameCommands(SparkSession spark, TestLakehouse lh, @TempDir Path dir)
      throws IOException {
    Files.createDirectories(dir.resolve("views"));
    Files.writeString(dir.resolve("views/churn.yaml"), VIEW);
    Path model = Files.writeString(dir.resolve("churn.yaml"), MODEL);
    // 600 customers over the 90 days from 2024-01-01 (12:00 UTC), a basic plan and a short tenure churn more
    Dataset<Row> customers = spark.sql("""
        SELECT concat('c', id) AS customer_id, timestamp_seconds(1704110400 + (id % 90) * 86400) AS snapshot_ts,
               CASE WHEN id % 3 = 0 THEN 'basic' ELSE 'pro' END AS plan, CAST(30 + (id * 37) % 900 AS INT) AS tenure_days,
               CASE WHEN (id * 37) % 900 < 300 AND id % 3 = 0 THEN 1 WHEN id % 7 = 0 THEN 1 ELSE 0 END AS churned
        FROM range(600)""");
    Dataset<Row> usage = spark.sql("""
        SELECT concat('c', id) AS customer_id, timestamp_seconds(1704110400 + (id % 90) * 86400 - 86400) AS usage_ts,
               CAST((id * 13) % 500 AS DOUBLE) + 0.5 AS minutes_7d
        FROM range(600)""");
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    store.createFeatureGroup(FeatureGroupSpec.of("customers", List.of("customer_id"), "snapshot_ts"), customers.schema())
        .insert(customers, InsertOptions.append("customers:2024-03-31"));
    store.createFeatureGroup(FeatureGroupSpec.of("usage", List.of("customer_id"), "usage_ts"), usage.schema())
        .insert(usage, InsertOptions.append("usage:2024-03-31"));
    String[] own = {"--model-file", model.toString(), "--set", "model.name=churn", "--set", "training.label-delay-days=0"};

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
    assertEquals(List.of("snapshot_ts", "2024-01-01T12:00:00Z", "2024-02-29T12:00:00Z"), List.of(rows.eventTime(), rows.earliest(), rows.latest()));
    assertEquals(dev.lakeline.featurestore.SplitSpec.random(0, 0.2), rows.split());
    assertEquals(7, rows.seed());
    assertEquals(1, store.listTrainingDatasets("churn", 1).size());
    long trainingRows = store.listTrainingDatasets("churn", 1).get(0).read().count();
    assertEquals(customers.where("snapshot_ts < TIMESTAMP'2024-03-01 00:00:00Z'").count(), trainingRows);
    assertTrue(v1.card().metrics().get("areaUnderROC") > 0.6, "the label follows the plan and tenure: " + v1.card().metrics());

    // the 30 UTC days up to 2024-03-31: scored with the model's own on-demand step, the ids and the kept plan
    Cli infer = Cli.inLakehouse(lh, concat(new String[] {"infer", "--date", "2024-03-31"}, own));
    assertEquals(0, infer.exitCode(), infer.err() + infer.out());
    Dataset<Row> predictions = spark.read().format("delta").load(lh.layout().predictions("churn"));
    assertEquals(List.of("customer_id", "plan", "snapshot_ts", "score", "prediction", "model_name", "model_version", "run_date"),
        List.of(predictions.columns()));
    Dataset<Row> window = customers.where("snapshot_ts >= TIMESTAMP'2024-03-02 00:00:00Z' AND snapshot_ts < TIMESTAMP'2024-04-01 00:00:00Z'");
    assertEquals(window.count(), predictions.count());
    assertTrue(predictions.select("customer_id").exceptAll(window.select("customer_id")).isEmpty());

    // the labels known by then joined to the predictions by the base group's key
    Cli monitor = Cli.inLakehouse(lh, concat(new String[] {"monitor", "--date", "2024-03-31"}, own));
    assertEquals(0, monitor.exitCode(), monitor.err() + monitor.out());
    Row performance = spark.read().format("delta").load(lh.layout().system("monitoring_performance")).where("model_name = 'churn'").first();
    assertEquals(window.count(), performance.getLong(performance.fieldIndex("labelled")), "every scored customer's label is known");
    assertEquals(window.where("churned = 1").count(), performance.getLong(performance.fieldIndex("positives")));
    assertNotNull(performance.get(performance.fieldIndex("auc")));

    // a model file that names a label the view does not have: refused before a dataset is made
    Files.writeString(model, MODEL.replace("label: churned", "label: plan_changed"));
    Cli wrong = Cli.inLakehouse(lh, concat(new String[] {"train", "--date", "2024-03-02"}, own));
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), wrong.exitCode(), wrong.err() + wrong.out());
    assertTrue(wrong.err().contains("label 'plan_changed' is not a label of feature view churn v1, whose labels are [churned]"),
        wrong.err());
    assertFalse(wrong.hasStackTrace(), wrong.err());
    assertEquals(1, store.listTrainingDatasets("churn", 1).size(), "no second training dataset");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
