package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestSpark;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ModelVersion;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The whole loop through the command line at a small scale, then a rerun that must change nothing. */
@SparkTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoEndToEndTest {
  private static final String DATE = "2024-06-30";
  private Path root;
  private StorageLayout layout;
  private SparkSession spark;
  private Cli first;

  @BeforeAll
  void runDemo(@TempDir Path dir) {
    root = dir;
    spark = TestSpark.session();
    layout = new StorageLayout(root.toString());
    first = Cli.run("demo", "--scale", "0.1", "--date", DATE, "--lakehouse", root.toString(), "--config", CommonOptions.BUNDLED_CONFIG);
  }

  private long version(String path) {
    return DeltaCommits.currentVersion(spark, path);
  }

  private long rows(String path) {
    return spark.read().format("delta").load(path).count();
  }

  @Test
  @Order(1)
  void theDemoSucceedsAndPrintsASummary() {
    assertEquals(0, first.exitCode(), first.err() + first.out());
    String out = first.out();
    for (String expected : new String[] {"demo summary", "feature group loans v1", "predictions loan_default", "test metrics:", "AUC", "wall time", "training pipeline", root.toString()}) {
      assertTrue(out.contains(expected), "summary lacks '" + expected + "':\n" + out);
    }
  }

  @Test
  @Order(2)
  void featureGroupsHoldTheGeneratedData() {
    assertEquals(1, version(layout.featureGroup("loans", 1)), "v0 creates the group, v1 is the first batch");
    assertEquals(1, version(layout.featureGroup("credit_reports", 1)));
    assertEquals(1, version(layout.featureGroup("card_spend", 1)));
    assertEquals(1_000, rows(layout.featureGroup("loans", 1)));
    assertEquals(spark.read().parquet(layout.raw("credit_reports")).count(), rows(layout.featureGroup("credit_reports", 1)));
    long spendKeys = spark.read().parquet(layout.raw("card_transactions"))
        .selectExpr("applicant_id", "to_date(txn_ts) AS day").distinct().count();
    assertEquals(spendKeys, rows(layout.featureGroup("card_spend", 1)), "one snapshot per applicant and active day");
  }

  @Test
  @Order(3)
  void theTrainingDatasetJoinsTheReportValidAtIssueNotTheLatest() {
    String td = layout.trainingDataset("loan_default", 1, 1) + "/data";
    List<Row> training = spark.read().format("delta").load(td).select("applicant_id", "issue_date", "annual_income").collectAsList();
    Map<String, TreeMap<LocalDate, Double>> reports = new HashMap<>();
    for (Row r : spark.read().format("delta").load(layout.featureGroup("credit_reports", 1))
        .select("applicant_id", "report_date", "annual_income").collectAsList()) {
      reports.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getDate(1).toLocalDate(), r.getDouble(2));
    }
    int differsFromLatest = 0;
    int checked = 0;
    for (Row r : training) {
      TreeMap<LocalDate, Double> history = reports.getOrDefault(r.getString(0), new TreeMap<>());
      Map.Entry<LocalDate, Double> valid = history.floorEntry(r.getDate(1).toLocalDate());
      Double expected = valid == null ? null : valid.getValue();
      assertEquals(expected, r.isNullAt(2) ? null : r.getDouble(2), "loan of " + r.getString(0) + " issued " + r.getDate(1));
      if (expected != null && !expected.equals(history.lastEntry().getValue())) {
        differsFromLatest++;
      }
      checked++;
    }
    assertTrue(checked > 500, "training rows: " + checked);
    assertTrue(differsFromLatest > checked / 10, "the as-of report should often differ from the latest: " + differsFromLatest);
  }

  @Test
  @Order(4)
  void modelVersionOneBeatsChance() {
    List<ModelVersion> versions = ModelRegistry.open(spark, layout).versions("loan_default");
    assertEquals(List.of(1), versions.stream().map(ModelVersion::version).toList());
    Map<String, Double> metrics = versions.get(0).card().metrics();
    assertTrue(metrics.get("areaUnderROC") > 0.6, "AUC " + metrics);
    assertTrue(metrics.get("test_rows") > 50, "test rows " + metrics);
    assertNotNull(versions.get(0).load(), "the saved PipelineModel loads");
    assertEquals(LocalDate.parse(DATE).toString(), versions.get(0).card().logicalDate());
    // the bundled configuration promotes a version whose AUC reaches 0.6 to @champion
    ModelRegistry registry = ModelRegistry.open(spark, layout);
    assertEquals(Map.of("champion", 1), registry.aliases("loan_default"));
    assertTrue(registry.aliasLog("loan_default").get(0).reason().contains("no champion before"), registry.aliasLog("loan_default").toString());
    assertTrue(registry.scores(versions.get(0)).orElseThrow().totalPositives() > 0, "the test scores are kept with the version");
  }

  @Test
  @Order(5)
  void predictionsCoverTheLoansOfTheInferenceWindow() {
    String path = layout.predictions("loan_default");
    assertEquals(0, version(path));
    long expected = spark.read().format("delta").load(layout.featureGroup("loans", 1))
        .where("issue_date > DATE'2024-05-31' AND issue_date <= DATE'2024-06-30'").count();
    var predictions = spark.read().format("delta").load(path);
    assertEquals(expected, predictions.count());
    assertEquals(expected, predictions.select("loan_id").distinct().count());
    assertEquals(0, predictions.where("score < 0 OR score > 1 OR score IS NULL OR model_version <> 1").count());
  }

  @Test
  @Order(6)
  void aRerunChangesNothing() {
    Map<String, Long> before = snapshot();
    Cli again = Cli.run("demo", "--scale", "0.1", "--date", DATE, "--lakehouse", root.toString(), "--config", CommonOptions.BUNDLED_CONFIG);
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(before, snapshot());
    assertEquals(1, ModelRegistry.open(spark, layout).versions("loan_default").size(), "no second model version");
    assertTrue(again.out().contains("already trained from these inputs"), again.out());
    assertTrue(again.out().contains("champion is already v1"), again.out());
    assertEquals(1, ModelRegistry.open(spark, layout).aliasLog("loan_default").size(), "no second alias move");
    assertFalse(new java.io.File(layout.trainingDataset("loan_default", 1, 2)).exists(), "no second training dataset");
  }

  private Map<String, Long> snapshot() {
    Map<String, Long> m = new TreeMap<>();
    List<String> tables = new ArrayList<>(List.of(
        layout.featureGroup("loans", 1), layout.featureGroup("credit_reports", 1), layout.featureGroup("card_spend", 1), layout.predictions("loan_default")));
    for (String t : tables) {
      m.put(t + "#version", version(t));
      m.put(t + "#rows", rows(t));
    }
    return m;
  }
}
