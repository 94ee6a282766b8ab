package dev.lakeline.testkit.delta;

import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static dev.lakeline.testkit.delta.Batches.historyLength;
import static dev.lakeline.testkit.delta.Batches.rows;
import static dev.lakeline.testkit.delta.Batches.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class DeltaCommitsAppendTest {
  @Test
  void appendingTheSameBatchTwiceWritesItOnce(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().predictions("loan_default");
    CommitResult first = DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d1', 1, 0.5)"), "infer:d1"));

    CommitResult second = DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d1', 1, 0.5)"), "infer:d1"));

    assertFalse(first.skipped());
    assertTrue(second.skipped());
    assertEquals(first.version(), second.version());
    assertEquals(1, historyLength(spark, path));
    assertEquals(1, table(spark, path).count());
  }

  @Test
  void batchesWithOtherIdsAreAppended(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().predictions("loan_default");
    DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d1', 1, 0.5)"), "infer:d1"));

    CommitResult second = DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d1', 1, 0.5)"), "infer:d2"));

    assertFalse(second.skipped());
    assertEquals(1, second.version());
    assertSameRows(rows(spark, "('d1', 1, 0.5), ('d1', 1, 0.5)"), table(spark, path));
  }

  @Test
  void appendingTheSameBatchWithOtherContentIsAConflict(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().predictions("loan_default");
    DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d1', 1, 0.5)"), "infer:d1"));
    CommitRequest changed = CommitRequest.append(path, rows(spark, "('d1', 1, 0.7)"), "infer:d1");

    LakelineException.Conflict e =
        assertThrows(LakelineException.Conflict.class, () -> DeltaCommits.commit(spark, changed));

    assertEquals(ExitCode.CONFLICT, e.exitCode());
    assertTrue(e.getMessage().contains("infer:d1"), e.getMessage());
    assertTrue(e.getMessage().contains(path), e.getMessage());
    assertEquals(0, DeltaCommits.currentVersion(spark, path));
    assertSameRows(rows(spark, "('d1', 1, 0.5)"), table(spark, path));
  }

  @Test
  void aBatchIdThatIsAPrefixOfAnotherIsADifferentBatch(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().predictions("loan_default");
    DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d1', 1, 0.5)"), "infer:d1-late"));

    CommitResult result = DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d1', 2, 0.1)"), "infer:d1"));

    assertFalse(result.skipped());
    assertEquals(2, table(spark, path).count());
  }
}
