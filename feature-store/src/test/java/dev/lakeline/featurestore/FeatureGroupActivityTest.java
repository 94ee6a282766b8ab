package dev.lakeline.featurestore;

import static dev.lakeline.testkit.TestSpark.inZone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Upserts, the activity view and time travel of a feature group. */
@SparkTest
class FeatureGroupActivityTest {
  private static Dataset<Row> batch(SparkSession spark, String values) {
    return spark.sql(
        "SELECT CAST(id AS STRING) AS id, CAST(ts AS TIMESTAMP) AS ts, CAST(score AS DOUBLE) AS score FROM VALUES "
            + values + " AS t(id, ts, score)");
  }

  private static FeatureGroup group(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> shape = batch(spark, "('a', '2024-01-01 00:00:00', 1.0)");
    return FeatureStore.open(spark, lh.layout()).createFeatureGroup(FeatureGroupSpec.of("scores", List.of("id"), "ts"), shape.schema());
  }

  @Test
  void upsertReplacesRowsWithTheSameKeyAndEventTimeAndInsertsTheRest(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = group(spark, lh);
    g.insert(batch(spark, "('a', '2024-01-01 00:00:00', 1.0), ('b', '2024-01-01 00:00:00', 2.0)"), InsertOptions.append("load:1"));
    InsertResult r = g.insert(
        batch(spark, "('a', '2024-01-01 00:00:00', 10.0), ('a', '2024-01-02 00:00:00', 11.0)"),
        InsertOptions.upsert("fix:1").withRunId("run-7"));
    assertEquals(2, r.deltaVersion());
    DataFrameAssertions.assertSameRows(
        batch(spark, "('a', '2024-01-01 00:00:00', 10.0), ('b', '2024-01-01 00:00:00', 2.0), ('a', '2024-01-02 00:00:00', 11.0)"),
        g.read());

    List<CommitInfo> history = g.history(10);
    assertEquals(List.of(2L, 1L, 0L), history.stream().map(CommitInfo::version).toList(), "newest first");
    CommitInfo upsert = history.get(0);
    assertEquals("MERGE", upsert.operation());
    assertEquals(1, upsert.rowsAdded());
    assertEquals(1, upsert.rowsUpdated());
    assertEquals("fix:1", upsert.batchId());
    assertEquals("run-7", upsert.runId());
    assertEquals(2, history.get(1).rowsAdded());
    assertEquals("load:1", history.get(1).batchId());
  }

  @Test
  void replayingAnUpsertIsANoOp(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = group(spark, lh);
    g.insert(batch(spark, "('a', '2024-01-01 00:00:00', 1.0)"), InsertOptions.upsert("u:1"));
    InsertResult again = g.insert(batch(spark, "('a', '2024-01-01 00:00:00', 1.0)"), InsertOptions.upsert("u:1"));
    assertTrue(again.skipped());
    assertEquals(1, g.deltaVersion());
  }

  @Test
  void timeTravelByVersionAndTimestamp(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = group(spark, lh);
    g.insert(batch(spark, "('a', '2024-01-01 00:00:00', 1.0)"), InsertOptions.append("b1"));
    g.insert(batch(spark, "('b', '2024-01-01 00:00:00', 2.0)"), InsertOptions.append("b2"));
    assertEquals(1, g.readVersion(1).count());
    assertEquals(2, g.readVersion(2).count());
    var missing = assertThrows(LakelineException.NotFound.class, () -> g.readVersion(9));
    assertTrue(missing.getMessage().contains("from 0 to 2"), missing.getMessage());

    // the first batch's commit time, as UTC wall-clock time (what the command line shows and takes)
    String afterFirst = g.history(10).get(1).timestamp().toInstant().toString().replace('T', ' ').replace("Z", "");
    assertEquals(1, g.readAsOf(afterFirst).count(), "as of the first batch's commit time");
    assertEquals(1, inZone(spark, "America/New_York", () -> g.readAsOf(afterFirst).count()), "UTC whatever the session's zone");
    assertThrows(LakelineException.NotFound.class, () -> g.readAsOf("2001-01-01"));
    assertThrows(LakelineException.ConfigError.class, () -> g.readAsOf("yesterday"));

    // the JVM's zone does not move the time either: 02:30 on 2024-03-10 is in New York's daylight-saving gap, which
    // java.sql.Timestamp's parsing moved to 03:30
    java.util.TimeZone jvmZone = java.util.TimeZone.getDefault();
    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
    try {
      var gap = assertThrows(LakelineException.NotFound.class, () -> g.readAsOf("2024-03-10 02:30:00"));
      assertTrue(gap.getMessage().contains("did not exist at 2024-03-10 02:30:00 UTC: its first commit is from "
          + g.history(10).get(2).committedUtc() + " UTC"), gap.getMessage());
      assertEquals(1, g.readAsOf(afterFirst).count(), "UTC whatever the JVM's zone");
    } finally {
      java.util.TimeZone.setDefault(jvmZone);
    }
  }
}
