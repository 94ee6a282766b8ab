package dev.lakeline.testkit.delta;

import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static dev.lakeline.testkit.delta.Batches.rows;
import static dev.lakeline.testkit.delta.Batches.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.ContentFingerprint;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reruns of a slice replacement after other commits, as the monitor job makes them (windows of run dates that
 * overlap from one date to the next): a rerun with the same content is skipped only while the table's slice still
 * holds exactly the batch's rows.
 */
@SparkTest
class DeltaCommitsSliceRerunTest {
  private static final String SLICE_A = "day BETWEEN 'd1' AND 'd3'";
  private static final String ROWS_A = "('d1', 1, 1.0), ('d2', 2, 2.0), ('d3', 3, 3.0)";

  /** A fingerprint that no rows have: a rerun that claims it is skipped only if the check never reads the slice. */
  private static final ContentFingerprint CLAIMED = new ContentFingerprint(3, "3:42:42");

  private String path;

  @BeforeEach
  void createEmptyTable(SparkSession spark, TestLakehouse lake) {
    path = lake.layout().featureGroup("monitoring", 1);
    DeltaCommits.createIfAbsent(spark, path, rows(spark, "(NULL, NULL, NULL)").schema()); // version 0, nullable
  }

  private CommitRequest batchA(SparkSession spark) {
    return CommitRequest.replaceWhere(path, rows(spark, ROWS_A), SLICE_A, "monitor:a");
  }

  @Test
  void aRerunAfterAnotherBatchReplacedAnOverlappingSliceCommitsAgain(SparkSession spark) {
    DeltaCommits.commit(spark, batchA(spark)); // version 1
    DeltaCommits.commit(
        spark,
        CommitRequest.replaceWhere(
            path, rows(spark, "('d2', 2, 0.0), ('d3', 3, NULL), ('d4', 4, 4.0)"), "day BETWEEN 'd2' AND 'd4'", "monitor:b"));

    CommitResult rerun = DeltaCommits.commit(spark, batchA(spark));

    assertFalse(rerun.skipped());
    assertEquals(3, rerun.version());
    assertSameRows(rows(spark, ROWS_A), table(spark, path).where(SLICE_A));
    assertSameRows(rows(spark, ROWS_A + ", ('d4', 4, 4.0)"), table(spark, path));
  }

  @Test
  void aRerunAfterAnotherBatchAppendedIntoTheSliceCommitsAgain(SparkSession spark) {
    DeltaCommits.commit(spark, batchA(spark));
    DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d2', 9, 9.0)"), "late:d2"));

    CommitResult rerun = DeltaCommits.commit(spark, batchA(spark));

    assertFalse(rerun.skipped());
    assertSameRows(rows(spark, ROWS_A), table(spark, path));
  }

  @Test
  void aRerunRightAfterItsOwnCommitIsSkippedWithoutReadingTheSlice(SparkSession spark) {
    CommitResult first = DeltaCommits.commit(spark, batchA(spark), CLAIMED);

    CommitResult rerun = DeltaCommits.commit(spark, batchA(spark), CLAIMED);

    assertTrue(rerun.skipped());
    assertEquals(first.version(), rerun.version());
    assertEquals(1, DeltaCommits.currentVersion(spark, path));
  }

  @Test
  void aRerunAfterOnlyAnOptimizeIsSkippedWithoutReadingTheSlice(SparkSession spark) {
    CommitRequest a = CommitRequest.replaceWhere(path, rows(spark, ROWS_A).repartition(3), SLICE_A, "monitor:a");
    CommitResult first = DeltaCommits.commit(spark, a, CLAIMED);
    DeltaTable.forPath(spark, path).optimize().executeCompaction();
    assertEquals(first.version() + 1, DeltaCommits.currentVersion(spark, path)); // OPTIMIZE committed

    CommitResult rerun = DeltaCommits.commit(spark, a, CLAIMED);

    assertTrue(rerun.skipped());
    assertEquals(first.version(), rerun.version());
    assertEquals(first.version() + 1, DeltaCommits.currentVersion(spark, path));
  }

  @Test
  void aRerunAfterAnotherBatchReplacedADisjointSliceIsSkipped(SparkSession spark) {
    CommitResult first = DeltaCommits.commit(spark, batchA(spark));
    DeltaCommits.commit(
        spark,
        CommitRequest.replaceWhere(path, rows(spark, "('d5', 5, 5.0), ('d6', 6, 6.0)"), "day BETWEEN 'd5' AND 'd6'", "monitor:c"));

    CommitResult rerun = DeltaCommits.commit(spark, batchA(spark));

    assertTrue(rerun.skipped());
    assertEquals(first.version(), rerun.version());
    assertEquals(2, DeltaCommits.currentVersion(spark, path));
  }

  @Test
  void aRerunWithADeferredFingerprintReadsTheBatchOnceForBothChecks(SparkSession spark) {
    ContentFingerprint deferred = ContentFingerprint.deferred(3);
    CommitResult first = DeltaCommits.commit(spark, batchA(spark), deferred);
    DeltaCommits.commit(
        spark,
        CommitRequest.replaceWhere(path, rows(spark, "('d5', 5, 5.0), ('d6', 6, 6.0)"), "day BETWEEN 'd5' AND 'd6'", "monitor:c"));
    org.apache.spark.util.LongAccumulator read = spark.sparkContext().longAccumulator("batch rows read");
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> counted =
        rows(spark, ROWS_A).filter((org.apache.spark.api.java.function.FilterFunction<org.apache.spark.sql.Row>) r -> {
          read.add(1);
          return true;
        });

    // the same content as the first commit (compared with its files), and the slice still holds it (compared with
    // the table's rows): the batch's fingerprint serves both
    CommitResult rerun = DeltaCommits.commit(spark, CommitRequest.replaceWhere(path, counted, SLICE_A, "monitor:a"), deferred);

    assertTrue(rerun.skipped());
    assertEquals(first.version(), rerun.version());
    assertEquals(3, read.value(), "each of the batch's 3 rows read once");
  }
}
