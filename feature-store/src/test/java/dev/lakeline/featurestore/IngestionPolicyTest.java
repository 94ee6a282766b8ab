package dev.lakeline.featurestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.validation.Decision;
import dev.lakeline.validation.Expectation;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.IngestionPolicy;
import dev.lakeline.validation.ValidationReport;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** STRICT, ALWAYS and QUARANTINE through a feature group, with reports and quarantine tables. */
@SparkTest
class IngestionPolicyTest {
  private static final String BATCH =
      "('a', '2024-01-01 00:00:00', 5.0), ('b', '2024-01-01 00:00:00', -1.0), ('c', '2024-01-01 00:00:00', 7.0), ('d', '2024-01-01 00:00:00', NULL)";

  private static Dataset<Row> batch(SparkSession spark) {
    return spark.sql(
        "SELECT CAST(id AS STRING) AS id, CAST(ts AS TIMESTAMP) AS ts, CAST(amount AS DOUBLE) AS amount FROM VALUES "
            + BATCH + " AS t(id, ts, amount)");
  }

  private static FeatureGroup group(SparkSession spark, TestLakehouse lh, IngestionPolicy policy) {
    ExpectationSuite suite = new ExpectationSuite("amounts",
        List.of(Expectation.of("expect_column_values_to_be_between", Map.of("column", "amount", "min_value", 0))), policy);
    return FeatureStore.open(spark, lh.layout())
        .createFeatureGroup(FeatureGroupSpec.of("payments", List.of("id"), "ts").withSuite(suite), batch(spark).schema());
  }

  @Test
  void strictRejectsTheBatchAndLeavesAReport(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = group(spark, lh, IngestionPolicy.STRICT);
    var e = assertThrows(LakelineException.DataRejected.class, () -> g.insert(batch(spark), InsertOptions.append("b1")));
    assertTrue(e.getMessage().contains("amount") && e.getMessage().contains("Nothing was written"), e.getMessage());
    assertEquals(0, g.deltaVersion());
    List<ValidationReport> reports = g.validationHistory(10);
    assertEquals(1, reports.size());
    assertEquals(Decision.REJECTED, reports.get(0).decision());
    assertNull(reports.get(0).deltaVersion());
    assertEquals("b1", reports.get(0).batchId());
  }

  @Test
  void alwaysCommitsEverythingAndRecordsTheFailures(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = group(spark, lh, IngestionPolicy.ALWAYS);
    InsertResult r = g.insert(batch(spark), InsertOptions.append("b1").withRunId("run-1"));
    assertEquals(Decision.INGESTED, r.decision());
    assertEquals(4, g.read().count());
    assertTrue(!r.validation().success());
    ValidationReport report = g.validationHistory(10).get(0);
    assertEquals(r.reportId(), report.reportId());
    assertEquals(Long.valueOf(r.deltaVersion()), report.deltaVersion());
    assertEquals(r.reportId(), g.history(1).get(0).reportId(), "the commit carries the report id");
    assertEquals("run-1", g.history(1).get(0).runId());
  }

  @Test
  void quarantineCommitsThePassingRowsAndHoldsBackTheOthersWithReasons(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = group(spark, lh, IngestionPolicy.QUARANTINE);
    InsertResult r = g.insert(batch(spark), InsertOptions.append("b1"));
    assertEquals(Decision.QUARANTINED, r.decision());
    assertEquals(3, r.rows(), "a, c and d (a null amount is not out of range)");
    assertEquals(1, r.quarantinedRows());
    assertEquals(r.rows() + r.quarantinedRows(), batch(spark).count(), "passing + quarantined = batch");
    Row held = g.quarantined().head();
    assertEquals("b", held.getString(held.fieldIndex("id")));
    List<String> reasons = held.getList(held.fieldIndex("failed_expectations"));
    assertTrue(reasons.get(0).contains("amount"), reasons.toString());
    assertEquals("b1", held.getString(held.fieldIndex("batch_id")));
    assertEquals(r.reportId(), held.getString(held.fieldIndex("report_id")));

    InsertResult replay = g.insert(batch(spark), InsertOptions.append("b1"));
    assertTrue(replay.skipped());
    assertEquals(3, g.read().count());
    assertEquals(1, g.quarantined().count(), "a replay quarantines nothing twice");
  }

  private static Dataset<Row> badKeys(SparkSession spark) {
    return spark.sql(
        "SELECT CAST(id AS STRING) AS id, CAST(ts AS TIMESTAMP) AS ts, CAST(amount AS DOUBLE) AS amount FROM VALUES "
            + "('a', '2024-01-01 00:00:00', 5.0), ('a', '2024-01-01 00:00:00', 6.0), (NULL, '2024-01-01 00:00:00', 7.0) "
            + "AS t(id, ts, amount)");
  }

  @Test
  void theKeyContractRejectsTheBatchWhateverThePolicy(SparkSession spark, TestLakehouse lh) {
    for (IngestionPolicy policy : List.of(IngestionPolicy.ALWAYS, IngestionPolicy.QUARANTINE)) {
      FeatureGroup g = FeatureStore.open(spark, lh.layout()).createFeatureGroup(
          FeatureGroupSpec.of("keys_" + policy.name().toLowerCase(), List.of("id"), "ts")
              .withSuite(new ExpectationSuite("none", List.of(), policy)),
          badKeys(spark).schema());
      for (InsertOptions options : List.of(InsertOptions.append("b1"), InsertOptions.upsert("b2"))) {
        var e = assertThrows(LakelineException.DataRejected.class, () -> g.insert(badKeys(spark), options), policy + " " + options.mode());
        assertTrue(e.getMessage().contains("key") && e.getMessage().contains("Nothing was written"), e.getMessage());
        assertTrue(e.getMessage().contains("expect_column_values_to_not_be_null(id)"), e.getMessage());
        assertTrue(e.getMessage().contains("expect_compound_columns_to_be_unique(id, ts)"), e.getMessage());
      }
      assertEquals(0, g.deltaVersion(), policy + ": nothing reached the table");
      assertEquals(0, g.quarantined().count(), policy + ": nothing was held back either");
      List<ValidationReport> reports = g.validationHistory(10);
      assertEquals(2, reports.size());
      assertTrue(reports.stream().allMatch(r -> r.decision() == Decision.REJECTED && r.deltaVersion() == null));
    }
  }
}
