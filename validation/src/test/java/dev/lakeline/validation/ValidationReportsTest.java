package dev.lakeline.validation;

import static dev.lakeline.validation.Frames.e;
import static dev.lakeline.validation.Frames.frame;
import static dev.lakeline.validation.Frames.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class ValidationReportsTest {
  private static final ExpectationSuite SUITE = new ExpectationSuite("loans", List.of(
      e("expect_column_values_to_be_between", "column", "amount", "min_value", 0),
      e("expect_column_values_to_not_be_null", "column", "id")));

  private static GateResult gate(SparkSession spark, IngestionPolicy policy) {
    return Gate.evaluate(frame(spark, "id INT, amount INT", row(1, 5), row(2, -3), row(3, -4)), SUITE, policy);
  }

  private static ValidationReport report(SparkSession spark, String batch, IngestionPolicy policy, Long version) {
    try (GateResult g = gate(spark, policy)) {
      ValidationReport r = ValidationReport.of(g, "loans", 1, "run-1", batch, "2024-05-01");
      return g.decision() == Decision.REJECTED ? r : r.withDeltaVersion(version);
    }
  }

  @Test
  void appendsAndReadsBackNewestFirst(SparkSession spark, TestLakehouse lakehouse) {
    ValidationReports reports = ValidationReports.open(spark, lakehouse.layout());
    assertTrue(reports.path().endsWith("/_lakeline/validation_reports"), reports.path());
    assertEquals(List.of(), reports.history("loans", 10));

    ValidationReport rejected = report(spark, "b1", IngestionPolicy.STRICT, null);
    ValidationReport quarantined = report(spark, "b2", IngestionPolicy.QUARANTINE, 7L);
    ValidationReport ingested = report(spark, "b3", IngestionPolicy.ALWAYS, 8L);
    reports.append(rejected);
    reports.append(quarantined);
    reports.append(ingested);

    List<ValidationReport> history = reports.history("loans", 2);
    assertEquals(List.of("b3", "b2"), history.stream().map(ValidationReport::batchId).toList());
    assertEquals(ingested.result().toJson(), history.get(0).result().toJson());
    assertEquals(ingested.withDeltaVersion(8L).reportId(), history.get(0).reportId());

    ValidationReport back = reports.get(rejected.reportId());
    assertEquals(Decision.REJECTED, back.decision());
    assertNull(back.deltaVersion());
    assertEquals(IngestionPolicy.STRICT, back.policy());
    assertEquals("2024-05-01", back.logicalDate());
    assertEquals(rejected.result().toJson(), back.result().toJson());
    assertEquals(Decision.QUARANTINED, reports.get(quarantined.reportId()).decision());
    assertEquals(7L, reports.get(quarantined.reportId()).deltaVersion());
    assertEquals(List.of(), reports.history("other", 10));
  }

  @Test
  void summaryColumnsAndNestedResultsAreQueryable(SparkSession spark, TestLakehouse lakehouse) {
    ValidationReports reports = ValidationReports.open(spark, lakehouse.layout());
    reports.append(report(spark, "b1", IngestionPolicy.QUARANTINE, 3L));
    Row row = spark.sql("SELECT decision, success, evaluated, successful, unsuccessful, success_percent, rows, delta_version, "
        + "failed_expectations FROM delta.`" + reports.path() + "`").head();
    assertEquals("QUARANTINED", row.getString(0));
    assertFalse(row.getBoolean(1));
    assertEquals(2, row.getInt(2));
    assertEquals(1, row.getInt(3));
    assertEquals(1, row.getInt(4));
    assertEquals(50.0, row.getDouble(5), 1e-9);
    assertEquals(3L, row.getLong(6));
    assertEquals(3L, row.getLong(7));
    assertEquals(List.of("expect_column_values_to_be_between(amount)"), row.getList(8));
    Row expectation = spark.sql("SELECT r.label, r.unexpected_count, r.partial_unexpected_list FROM delta.`" + reports.path()
        + "` LATERAL VIEW explode(results) AS r WHERE NOT r.success").head();
    assertEquals("expect_column_values_to_be_between(amount)", expectation.getString(0));
    assertEquals(2L, expectation.getLong(1));
    assertEquals("[-3,-4]", expectation.getString(2));
  }

  @Test
  void appendingTheSameReportTwiceIsANoOp(SparkSession spark, TestLakehouse lakehouse) {
    ValidationReports reports = ValidationReports.open(spark, lakehouse.layout());
    ValidationReport r = report(spark, "b1", IngestionPolicy.ALWAYS, 1L);
    CommitResult first = reports.append(r);
    CommitResult again = reports.append(r);
    assertFalse(first.skipped());
    assertTrue(again.skipped());
    assertEquals(first.version(), again.version());
    assertEquals(1, reports.history("loans", 10).size());
    // the same id with other content is never a second row: the first report stands
    assertTrue(reports.append(r.withDeltaVersion(2L)).skipped());
    assertEquals(1L, reports.get(r.reportId()).deltaVersion());
  }

  @Test
  void unknownReportIsNotFound(SparkSession spark, TestLakehouse lakehouse) {
    ValidationReports reports = ValidationReports.open(spark, lakehouse.layout());
    assertThrows(LakelineException.NotFound.class, () -> reports.get("nope"));
    reports.append(report(spark, "b1", IngestionPolicy.ALWAYS, 1L));
    LakelineException.NotFound e = assertThrows(LakelineException.NotFound.class, () -> reports.get("nope"));
    assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
  }

  @Test
  void reportIdsAreStablePerBatchAndRun() {
    assertEquals(ValidationReport.idFor("loans", 1, "b1", "r1"), ValidationReport.idFor("loans", 1, "b1", "r1"));
    assertNotEquals(ValidationReport.idFor("loans", 1, "b1", "r1"), ValidationReport.idFor("loans", 1, "b1", "r2"));
    assertNotEquals(ValidationReport.idFor("loans", 1, "b1", "r1"), ValidationReport.idFor("loans", 2, "b1", "r1"));
  }

  @Test
  void aRejectedReportHasNoDeltaVersion(SparkSession spark) {
    ValidationReport rejected = report(spark, "b1", IngestionPolicy.STRICT, null);
    assertThrows(LakelineException.ConfigError.class, () -> rejected.withDeltaVersion(3L));
  }

  @Test
  void summaryNamesTheBatchTheDecisionAndEachFailure(SparkSession spark) {
    String summary = report(spark, "b9", IngestionPolicy.QUARANTINE, 12L).summary();
    List<String> lines = summary.lines().toList();
    assertTrue(lines.get(0).contains("loans v1, batch b9, run run-1, date 2024-05-01"), summary);
    assertTrue(lines.get(1).contains("decision QUARANTINED under QUARANTINE; Delta version 12"), summary);
    assertTrue(lines.get(2).contains("1 of 2 expectations passed (50.00%) on 3 rows"), summary);
    assertEquals(6, lines.size(), summary);
    assertTrue(lines.get(4).contains("[ERROR] expect_column_values_to_be_between(amount): 2 of 3")
        && lines.get(4).contains("unexpected values: -3, -4"), summary);
    assertTrue(lines.get(5).contains("held back in quarantine: the rows that broke expect_column_values_to_be_between(amount) (2 rows)"), summary);
  }

  /**
   * Under QUARANTINE a row that breaks an expectation is held back even when the expectation passes thanks to
   * {@code mostly}: the summary must say which expectation held rows back, or a QUARANTINED batch whose
   * expectations all passed would come with no reason at all.
   */
  @Test
  void summaryOfAQuarantinedBatchNamesWhatHeldRowsBackAlsoWithinMostly(SparkSession spark) {
    ExpectationSuite suite = new ExpectationSuite("loans", List.of(
        e("expect_column_values_to_be_between", "column", "amount", "min_value", 0, "mostly", 0.5),
        e("expect_column_values_to_not_be_null", "column", "id")), IngestionPolicy.QUARANTINE);
    try (GateResult g = Gate.evaluate(frame(spark, "id INT, amount INT", row(1, 5), row(2, 6), row(3, -4)), suite)) {
      assertEquals(Decision.QUARANTINED, g.decision());
      assertTrue(g.validation().success());
      String summary = ValidationReport.of(g, "loans", 1, "run-1", "b1", null).withDeltaVersion(3L).summary();
      List<String> lines = summary.lines().toList();
      assertTrue(lines.get(2).contains("2 of 2 expectations passed"), summary);
      assertEquals(4, lines.size(), summary);
      assertTrue(lines.get(3).contains("held back in quarantine") && lines.get(3).contains("expect_column_values_to_be_between(amount)")
          && lines.get(3).contains("1 row") && lines.get(3).contains("within its mostly"), summary);
      assertFalse(lines.get(3).contains("not_be_null"), summary);
    }
  }

  @Test
  void eachRowRecordsTheVersionItWasCommittedAs(SparkSession spark, TestLakehouse lakehouse) {
    ValidationReports reports = ValidationReports.open(spark, lakehouse.layout());
    CommitResult first = reports.append(report(spark, "b1", IngestionPolicy.ALWAYS, 1L));
    ValidationReport pending = report(spark, "b2", IngestionPolicy.ALWAYS, 2L);
    CommitResult second = reports.open(pending.reportId()).write(pending).commit();

    List<Row> rows = spark.sql("SELECT batch_id, commit_version FROM delta.`" + reports.path() + "` ORDER BY batch_id").collectAsList();
    assertEquals(List.of(first.version(), second.version()), rows.stream().map(r -> r.getLong(1)).toList());
    assertEquals(first.version() + 1, second.version());
    String properties = io.delta.tables.DeltaTable.forPath(spark, reports.path()).detail().first().getAs("properties").toString();
    assertFalse(properties.contains("enableRowTracking"), "no row tracking: " + properties);
  }

  /** A reports table made by an earlier Lakeline (row tracking, no commit_version) gets the column and keeps its order. */
  @Test
  void aTableFromBeforeCommitVersionGetsTheColumnAndKeepsItsOrder(SparkSession spark, TestLakehouse lakehouse) {
    String path = lakehouse.layout().system(ValidationReports.TABLE);
    io.delta.tables.DeltaTable.createIfNotExists(spark).location(path)
        .addColumns(new org.apache.spark.sql.types.StructType(java.util.Arrays.stream(ReportRows.SCHEMA.fields())
            .filter(f -> !f.name().equals(ReportRows.COMMIT_VERSION)).toArray(org.apache.spark.sql.types.StructField[]::new)))
        .property("delta.enableRowTracking", "true").execute();
    for (String batch : List.of("old1", "old2")) {
      spark.createDataFrame(List.of(ReportRows.toRow(report(spark, batch, IngestionPolicy.ALWAYS, 1L), 0)), ReportRows.SCHEMA)
          .drop(ReportRows.COMMIT_VERSION).write().format("delta").mode("append").save(path);
    }

    ValidationReports reports = ValidationReports.open(spark, lakehouse.layout());
    reports.append(report(spark, "new3", IngestionPolicy.ALWAYS, 2L));

    assertEquals(List.of("new3", "old2", "old1"), reports.history("loans", 10).stream().map(ValidationReport::batchId).toList());
    assertTrue(List.of(spark.read().format("delta").load(path).columns()).contains(ReportRows.COMMIT_VERSION));
  }
}
