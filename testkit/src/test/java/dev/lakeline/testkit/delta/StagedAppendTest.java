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
import dev.lakeline.core.delta.StagedAppend;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class StagedAppendTest {
  private static String newTable(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().predictions("staged");
    DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d0', 0, 0.5)"), "b0"));
    return path;
  }

  private static StagedAppend stage(SparkSession spark, String path, Dataset<Row> rows, String batch) {
    return StagedAppend.write(spark, CommitRequest.append(path, rows, batch)).orElseThrow();
  }

  /** The table's Parquet data files, by name. */
  private static Set<String> dataFiles(String path) {
    try (Stream<Path> files = Files.walk(Paths.get(java.net.URI.create(path.startsWith("file:") ? path : "file://" + path)))) {
      return files.map(Path::toString).filter(f -> f.endsWith(".parquet") && !f.contains("_delta_log")).collect(Collectors.toSet());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void readersSeeTheFilesOnlyOnceCommittedAndTheCommitRecordsTheBatch(SparkSession spark, TestLakehouse lake) {
    String path = newTable(spark, lake);
    Dataset<Row> batch = rows(spark, "('d1', 1, 1.5), ('d1', 2, 2.5)");
    StagedAppend staged = stage(spark, path, batch, "b1");

    assertEquals(0, DeltaCommits.currentVersion(spark, path), "written, not committed");
    assertEquals(1, table(spark, path).count());

    CommitResult committed = staged.commit(ContentFingerprint.compute(batch));

    assertEquals(1, committed.version());
    assertEquals(2, committed.rows());
    assertFalse(committed.skipped());
    assertSameRows(rows(spark, "('d0', 0, 0.5), ('d1', 1, 1.5), ('d1', 2, 2.5)"), table(spark, path));
    // the commit carries what the plain commit records: replaying the batch is recognised as a no-op
    CommitResult replay = DeltaCommits.commit(spark, CommitRequest.append(path, batch, "b1"));
    assertTrue(replay.skipped());
    assertEquals(1, replay.version());
    assertEquals(3, table(spark, path).count());
  }

  @Test
  void abortDeletesTheWrittenFilesAndLeavesTheTableAsItWas(SparkSession spark, TestLakehouse lake) {
    String path = newTable(spark, lake);
    Set<String> before = dataFiles(path);
    StagedAppend staged = stage(spark, path, rows(spark, "('d1', 1, 1.5), ('d1', 2, 2.5)"), "b1");
    assertTrue(dataFiles(path).size() > before.size(), "the staged rows are written before the decision");

    staged.abort();

    assertEquals(before, dataFiles(path));
    assertEquals(0, DeltaCommits.currentVersion(spark, path));
    assertSameRows(rows(spark, "('d0', 0, 0.5)"), table(spark, path));
  }

  @Test
  void onlyAPlainFirstAppendToAnExistingTableOfTheSameSchemaIsStaged(SparkSession spark, TestLakehouse lake) {
    Dataset<Row> batch = rows(spark, "('d1', 1, 1.5)");
    assertTrue(StagedAppend.write(spark, CommitRequest.append(lake.layout().predictions("absent"), batch, "b1")).isEmpty(),
        "no table yet: the plain commit creates it");
    String path = newTable(spark, lake);
    Set<String> before = dataFiles(path);
    assertTrue(StagedAppend.write(spark, CommitRequest.append(path, batch.drop("amount"), "b1")).isEmpty(), "other schema");
    assertTrue(StagedAppend.write(spark, CommitRequest.append(path, batch, "b0")).isEmpty(),
        "a batch committed before needs its fingerprint compared first");
    assertTrue(StagedAppend.write(spark, CommitRequest.overwrite(path, batch, "b1")).isEmpty(), "not an append");
    assertEquals(before, dataFiles(path), "declining writes nothing");
    assertEquals(0, DeltaCommits.currentVersion(spark, path));
  }

  @Test
  void anotherBatchCommittedMeanwhileDoesNotStopTheCommit(SparkSession spark, TestLakehouse lake) {
    String path = newTable(spark, lake);
    Dataset<Row> mine = rows(spark, "('d1', 1, 1.5)");
    StagedAppend staged = stage(spark, path, mine, "b1");
    DeltaCommits.commit(spark, CommitRequest.append(path, rows(spark, "('d2', 2, 2.5)"), "b2"));

    CommitResult committed = staged.commit(ContentFingerprint.compute(mine));

    assertEquals(2, committed.version());
    assertSameRows(rows(spark, "('d0', 0, 0.5), ('d1', 1, 1.5), ('d2', 2, 2.5)"), table(spark, path));
  }

  @Test
  void twoWritersOfTheSameBatchLandItOnce(SparkSession spark, TestLakehouse lake) {
    String path = newTable(spark, lake);
    Dataset<Row> batch = rows(spark, "('d1', 1, 1.5), ('d1', 2, 2.5)");
    ContentFingerprint fp = ContentFingerprint.compute(batch);
    StagedAppend first = stage(spark, path, batch, "b1");
    StagedAppend second = stage(spark, path, batch, "b1");

    CommitResult a = first.commit(fp);
    CommitResult b = second.commit(fp);

    assertFalse(a.skipped());
    assertTrue(b.skipped(), "the second writer finds the batch committed");
    assertEquals(a.version(), b.version());
    assertSameRows(rows(spark, "('d0', 0, 0.5), ('d1', 1, 1.5), ('d1', 2, 2.5)"), table(spark, path));
    assertEquals(1, DeltaCommits.currentVersion(spark, path));
  }
}
