package dev.lakeline.testkit.delta;

import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static dev.lakeline.testkit.delta.Batches.rows;
import static dev.lakeline.testkit.delta.Batches.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SparkTest
class DeltaCommitsReplaceWhereTest {
  private String path;

  @BeforeEach
  void createTableWithTwoDays(SparkSession spark, TestLakehouse lake) {
    path = lake.layout().featureGroup("loans", 1);
    DeltaCommits.commit(
        spark,
        CommitRequest.overwrite(
                path, rows(spark, "('d1', 1, 1.0), ('d1', 2, 2.0), ('d2', 3, 3.0), ('d2', 4, 4.0)"), "backfill")
            .withPartitionColumns(List.of("day")));
  }

  @Test
  void aSliceIsReplacedAndOtherSlicesAreUntouched(SparkSession spark) {
    CommitResult result =
        DeltaCommits.commit(
            spark, CommitRequest.replaceWhere(path, rows(spark, "('d2', 3, 30.0), ('d2', 5, 50.0)"), "day = 'd2'", "job:d2"));

    assertFalse(result.skipped());
    assertEquals(1, result.version());
    assertEquals(2, result.rows());
    assertSameRows(
        rows(spark, "('d1', 1, 1.0), ('d1', 2, 2.0), ('d2', 3, 30.0), ('d2', 5, 50.0)"), table(spark, path));
  }

  @Test
  void rerunningASliceWithTheSameContentIsSkipped(SparkSession spark) {
    CommitRequest slice = CommitRequest.replaceWhere(path, rows(spark, "('d2', 3, 30.0)"), "day = 'd2'", "job:d2");
    CommitResult first = DeltaCommits.commit(spark, slice);

    CommitResult rerun = DeltaCommits.commit(spark, slice);

    assertTrue(rerun.skipped());
    assertEquals(first.version(), rerun.version());
    assertEquals(1, DeltaCommits.currentVersion(spark, path));
  }

  @Test
  void aSliceRerunWithNewContentReplacesTheSliceAgain(SparkSession spark) {
    DeltaCommits.commit(spark, CommitRequest.replaceWhere(path, rows(spark, "('d2', 3, 30.0)"), "day = 'd2'", "job:d2"));

    CommitResult corrected =
        DeltaCommits.commit(spark, CommitRequest.replaceWhere(path, rows(spark, "('d2', 3, 31.0)"), "day = 'd2'", "job:d2"));

    assertFalse(corrected.skipped());
    assertEquals(2, corrected.version());
    assertSameRows(rows(spark, "('d1', 1, 1.0), ('d1', 2, 2.0), ('d2', 3, 31.0)"), table(spark, path));
  }

  @Test
  void aSliceWithANewColumnAddsItInTheSameCommitOnlyWhenAsked(SparkSession spark) {
    var withNote = rows(spark, "('d3', 6, 6.0)").selectExpr("day", "id", "'late' AS note", "amount");
    CommitRequest slice = CommitRequest.replaceWhere(path, withNote, "day = 'd3'", "job:d3");
    org.junit.jupiter.api.Assertions.assertThrows(org.apache.spark.sql.AnalysisException.class, () -> DeltaCommits.commit(spark, slice));
    assertEquals(0, DeltaCommits.currentVersion(spark, path), "a batch with a column the table lacks is refused");

    CommitResult added = DeltaCommits.commit(spark, slice.withMergeSchema());

    assertEquals(1, added.version(), "the column and the rows in one commit");
    assertEquals(List.of("day", "id", "amount", "note"), List.of(table(spark, path).columns()));
    assertEquals(List.of("late"), table(spark, path).where("note IS NOT NULL").select("note").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList(), "null in the rows written before");
    assertTrue(DeltaCommits.commit(spark, slice.withMergeSchema()).skipped(), "a rerun changes nothing");
    // a batch without a column of the table: null in its rows, with or without mergeSchema
    DeltaCommits.commit(spark, CommitRequest.replaceWhere(path, rows(spark, "('d4', 7, 7.0)"), "day = 'd4'", "job:d4").withMergeSchema());
    assertEquals(1, table(spark, path).where("day = 'd4' AND note IS NULL").count());
  }

  @Test
  void aNewSliceIsAdded(SparkSession spark) {
    DeltaCommits.commit(spark, CommitRequest.replaceWhere(path, rows(spark, "('d3', 6, 6.0)"), "day = 'd3'", "job:d3"));

    assertEquals(5, table(spark, path).count());
    assertEquals(2, table(spark, path).where("day = 'd1'").count());
    assertEquals(2, table(spark, path).where("day = 'd2'").count());
  }
}
