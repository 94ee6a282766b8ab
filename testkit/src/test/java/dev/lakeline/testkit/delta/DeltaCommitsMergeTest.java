package dev.lakeline.testkit.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class DeltaCommitsMergeTest {
  @Test
  void mergeUpdatesMatchingKeysAndInsertsTheRest(SparkSession spark, TestLakehouse lh) {
    String path = lh.root().resolve("t").toString();
    DeltaCommits.commit(spark, CommitRequest.append(path, Batches.rows(spark, "('d1', 1, 1.0), ('d1', 2, 2.0)"), "load:1"));
    CommitResult r =
        DeltaCommits.commit(
            spark,
            CommitRequest.merge(path, Batches.rows(spark, "('d1', 2, 20.0), ('d1', 3, 3.0)"), List.of("day", "id"), "upsert:1")
                .withMetadata(Map.of("report_id", "r-42")));
    assertFalse(r.skipped());
    assertEquals(1, r.version());
    DataFrameAssertions.assertSameRows(
        Batches.rows(spark, "('d1', 1, 1.0), ('d1', 2, 20.0), ('d1', 3, 3.0)"), Batches.table(spark, path));
    String meta = DeltaTable.forPath(spark, path).history(1).select("userMetadata", "operation").head().getString(0);
    assertTrue(meta.contains("\"lakeline.report_id\":\"r-42\""), meta);
    assertEquals("MERGE", DeltaTable.forPath(spark, path).history(1).select("operation").head().getString(0));

    CommitResult again =
        DeltaCommits.commit(spark, CommitRequest.merge(path, Batches.rows(spark, "('d1', 3, 3.0), ('d1', 2, 20.0)"), List.of("day", "id"), "upsert:1"));
    assertTrue(again.skipped(), "a replayed upsert is a no-op");
    assertEquals(2, Batches.historyLength(spark, path));
  }

  @Test
  void mergeWritesWithTheCallersSessionSettings(SparkSession spark, TestLakehouse lh) throws Exception {
    // a notebook's session settings (storage credentials set with spark.conf.set, a compression codec, ...) apply to
    // an upsert as they do to an append: the merge's own session starts from the caller's, not from a blank one
    String path = lh.root().resolve("t").toString();
    DeltaCommits.commit(spark, CommitRequest.append(path, Batches.rows(spark, "('d1', 1, 1.0)"), "load:1"));
    String key = "spark.sql.parquet.compression.codec";
    String before = spark.conf().get(key);
    spark.conf().set(key, "gzip");
    try {
      DeltaCommits.commit(spark, CommitRequest.merge(path, Batches.rows(spark, "('d1', 1, 10.0)"), List.of("day", "id"), "upsert:gz"));
    } finally {
      spark.conf().set(key, before);
    }
    List<String> gzip;
    try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(path))) {
      gzip = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".gz.parquet")).toList();
    }
    assertEquals(1, gzip.size(), "the merge's file is written with the session's codec");
  }

  @Test
  void twoWritersOfTheSameBatchCommitItOnce(SparkSession spark, TestLakehouse lh) throws Exception {
    String path = lh.root().resolve("t").toString();
    DeltaCommits.commit(spark, CommitRequest.append(path, Batches.rows(spark, "('d0', 0, 0.0)"), "seed"));
    Runnable writer = () -> DeltaCommits.commit(spark, CommitRequest.append(path, Batches.rows(spark, "('d1', 1, 1.0), ('d1', 2, 2.0)"), "job:batch-7"));
    Thread a = new Thread(writer);
    Thread b = new Thread(writer);
    a.start();
    b.start();
    a.join();
    b.join();
    assertEquals(3, Batches.table(spark, path).count(), "the batch lands once");
  }

  @Test
  void twoWritersOfDifferentBatchesBothLand(SparkSession spark, TestLakehouse lh) throws Exception {
    String path = lh.root().resolve("t").toString();
    DeltaCommits.commit(spark, CommitRequest.append(path, Batches.rows(spark, "('d0', 0, 0.0)"), "seed"));
    List<Thread> threads = List.of(
        new Thread(() -> DeltaCommits.commit(spark, CommitRequest.append(path, Batches.rows(spark, "('d1', 1, 1.0)"), "job:a"))),
        new Thread(() -> DeltaCommits.commit(spark, CommitRequest.append(path, Batches.rows(spark, "('d2', 2, 2.0)"), "job:b"))),
        new Thread(() -> DeltaCommits.commit(spark, CommitRequest.merge(path, Batches.rows(spark, "('d3', 3, 3.0)"), List.of("day", "id"), "job:c"))));
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    DataFrameAssertions.assertSameRows(
        Batches.rows(spark, "('d0', 0, 0.0), ('d1', 1, 1.0), ('d2', 2, 2.0), ('d3', 3, 3.0)"), Batches.table(spark, path));
  }
}
