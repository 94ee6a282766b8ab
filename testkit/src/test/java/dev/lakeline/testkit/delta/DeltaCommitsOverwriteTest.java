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
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class DeltaCommitsOverwriteTest {
  @Test
  void anOverwriteCreatesTheTableAndReturnsItsVersion(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().featureGroup("loans", 1);
    Dataset<Row> batch = rows(spark, "('2024-01-01', 1, 10.0), ('2024-01-01', 2, 20.0)");
    assertFalse(DeltaCommits.exists(spark, path));

    CommitResult result = DeltaCommits.commit(spark, CommitRequest.overwrite(path, batch, "features:loans:2024-01-01"));

    assertTrue(DeltaCommits.exists(spark, path));
    assertEquals(new CommitResult(path, 0, 2, false), result);
    assertEquals(0, DeltaCommits.currentVersion(spark, path));
    assertSameRows(batch, table(spark, path));
  }

  @Test
  void rerunningTheSameBatchWithTheSameContentIsSkipped(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().featureGroup("loans", 1);
    DeltaCommits.commit(spark, CommitRequest.overwrite(path, rows(spark, "('d', 1, 1.0), ('d', 2, 2.0)"), "job:loans:d"));

    // Same rows in another order: the fingerprint does not depend on row order.
    CommitResult rerun =
        DeltaCommits.commit(spark, CommitRequest.overwrite(path, rows(spark, "('d', 2, 2.0), ('d', 1, 1.0)"), "job:loans:d"));

    assertTrue(rerun.skipped());
    assertEquals(0, rerun.version());
    assertEquals(2, rerun.rows());
    assertEquals(0, DeltaCommits.currentVersion(spark, path));
    assertEquals(1, historyLength(spark, path));
  }

  @Test
  void theSameBatchWithOtherContentMakesANewVersion(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().featureGroup("loans", 1);
    DeltaCommits.commit(spark, CommitRequest.overwrite(path, rows(spark, "('d', 1, 1.0)"), "job:loans:d"));
    Dataset<Row> corrected = rows(spark, "('d', 1, 1.5), ('d', 2, 2.0)");

    CommitResult result = DeltaCommits.commit(spark, CommitRequest.overwrite(path, corrected, "job:loans:d"));

    assertFalse(result.skipped());
    assertEquals(1, result.version());
    assertEquals(2, result.rows());
    assertEquals(1, DeltaCommits.currentVersion(spark, path));
    assertSameRows(corrected, table(spark, path));
  }

  @Test
  void anOverwriteThatWasReplacedSinceIsWrittenAgain(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().featureGroup("loans", 1);
    Dataset<Row> first = rows(spark, "('d1', 1, 1.0)");
    DeltaCommits.commit(spark, CommitRequest.overwrite(path, first, "job:loans:d1"));
    DeltaCommits.commit(spark, CommitRequest.overwrite(path, rows(spark, "('d2', 2, 2.0)"), "job:loans:d2"));

    CommitResult again = DeltaCommits.commit(spark, CommitRequest.overwrite(path, first, "job:loans:d1"));

    assertFalse(again.skipped(), "the first batch is no longer in effect, so rerunning it must rewrite it");
    assertEquals(2, again.version());
    assertSameRows(first, table(spark, path));
  }

  @Test
  void swappingValuesBetweenNullableColumnsIsNewContent(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().featureGroup("loans", 1);
    // Both batches have the same schema (two nullable INT columns); only the position of the NULL differs.
    Dataset<Row> original = spark.sql("SELECT * FROM VALUES (1, NULL), (NULL, 3) AS t(a, b)");
    Dataset<Row> swapped = spark.sql("SELECT * FROM VALUES (NULL, 1), (3, NULL) AS t(a, b)");
    assertEquals(original.schema(), swapped.schema());
    DeltaCommits.commit(spark, CommitRequest.overwrite(path, original, "job:loans:d"));

    CommitResult result = DeltaCommits.commit(spark, CommitRequest.overwrite(path, swapped, "job:loans:d"));

    assertFalse(result.skipped(), "(1, NULL) and (NULL, 1) are different rows");
    assertSameRows(swapped, table(spark, path));
  }

  @Test
  void partitionColumnsApplyWhenTheCommitCreatesTheTable(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().featureGroup("loans", 1);
    CommitRequest request =
        CommitRequest.overwrite(path, rows(spark, "('d1', 1, 1.0), ('d2', 2, 2.0)"), "job:loans:all")
            .withPartitionColumns(List.of("day"));

    DeltaCommits.commit(spark, request);

    List<String> partitionColumns =
        io.delta.tables.DeltaTable.forPath(spark, path).detail().select("partitionColumns").head().getList(0);
    assertEquals(List.of("day"), partitionColumns);
  }

  @Test
  void theVersionOfAMissingTableIsNotFound(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().featureGroup("missing", 1);

    LakelineException.NotFound e =
        assertThrows(LakelineException.NotFound.class, () -> DeltaCommits.currentVersion(spark, path));

    assertEquals(ExitCode.NOT_FOUND, e.exitCode());
    assertTrue(e.getMessage().contains(path), e.getMessage());
  }

  @Test
  void aTablesPropertiesAreReadFromItsLogAlsoWhereItsPathHoldsASpace(SparkSession spark, TestLakehouse lake) {
    String path = lake.root().resolve("odd name").toString();
    io.delta.tables.DeltaTable.createIfNotExists(spark).location(path).addColumn("id", "INT").property("lakeline.test", "yes")
        .execute();

    java.util.Map<String, String> properties = DeltaCommits.properties(spark, path);

    assertEquals("yes", properties.get("lakeline.test"), properties.toString());
    assertTrue(properties.containsKey("delta.minReaderVersion"), properties.toString());
    assertFalse(properties.containsKey("lakeline.other"));
  }
}
