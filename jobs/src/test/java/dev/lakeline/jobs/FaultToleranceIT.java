package dev.lakeline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.featurestore.CommitInfo;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureGroupFiles;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.featurestore.InsertOptions;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.jobs.faults.HaltingFileSystem;
import dev.lakeline.jobs.faults.HaltingFs;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code lakeline fg insert} and {@code lakeline td create} (the packaged jar under spark-submit, each run in its
 * own JVM) at the worst moments of a commit and checks what a reader sees afterwards: nothing of the killed attempt,
 * and exactly one commit of the batch (one dataset) after a rerun. The kill is {@link HaltingFileSystem}: {@code Runtime.halt} when the job
 * creates a chosen file, so the moment is exact, not a race against a timer.
 */
@SparkTest
class FaultToleranceIT {
  private static final String GROUP_FILES = ".*/feature_groups/tx/v1/part-[^/]*\\.parquet";
  // the validation report's commit (Delta writes it to a temporary file, then renames it): the report's row is
  // written beside the batch's commit, and committed only after it
  private static final String REPORT_COMMIT = ".*/_lakeline/validation_reports/_delta_log/[^/]*\\.json[^/]*";

  private static SparkSubmitProcess.Run insert(Path dir, TestLakehouse lh, Path input, String haltOn, int haltAt) throws Exception {
    List<String> jvm = haltOn == null ? List.of()
        : List.of("-Dlakeline.fault.halt-on=" + haltOn, "-Dlakeline.fault.halt-at=" + haltAt);
    List<String> submit = List.of(
        "--conf", "spark.hadoop.fs.file.impl=" + HaltingFileSystem.class.getName(),
        "--conf", "spark.hadoop.fs.file.impl.disable.cache=true",
        "--conf", "spark.hadoop.fs.AbstractFileSystem.file.impl=" + HaltingFs.class.getName(),
        // one input file per task, so the write has several data files to be killed between
        "--conf", "spark.sql.files.maxPartitionBytes=1024");
    return SparkSubmitProcess.run(dir, jvm, Path.of("target", "test-classes").toAbsolutePath().toString(), submit,
        System.getProperty("lakeline.jar.bundled"),
        "fg", "insert", "tx", "--input", input.toString(), "--format", "csv", "--batch-id", "tx:2024-01-02", "--lakehouse", lh.uri());
  }

  /** {@code lakeline ARGS} under spark-submit with the halting file systems; {@code haltOn} null for none. */
  private static SparkSubmitProcess.Run lakeline(Path dir, String haltOn, int haltAt, String... args) throws Exception {
    List<String> jvm = haltOn == null ? List.of()
        : List.of("-Dlakeline.fault.halt-on=" + haltOn, "-Dlakeline.fault.halt-at=" + haltAt);
    List<String> submit = List.of(
        "--conf", "spark.hadoop.fs.file.impl=" + HaltingFileSystem.class.getName(),
        "--conf", "spark.hadoop.fs.file.impl.disable.cache=true",
        "--conf", "spark.hadoop.fs.AbstractFileSystem.file.impl=" + HaltingFs.class.getName());
    return SparkSubmitProcess.run(dir, jvm, Path.of("target", "test-classes").toAbsolutePath().toString(), submit,
        System.getProperty("lakeline.jar.bundled"), args);
  }

  private static long dataFiles(FeatureGroup g) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(g.path().replaceFirst("^file:", "")))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
    }
  }

  @Test
  void aJobKilledBeforeOrDuringItsCommitLeavesNothingVisibleAndItsRerunCommitsOnce(
      SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("suite.yaml"), """
        expectation_suite_name: tx
        expectations:
          - expectation_type: expect_column_values_to_be_between
            kwargs: {column: amount, min_value: 0}
        """);
    Files.writeString(dir.resolve("tx.yaml"), """
        name: tx
        primary_key: [txn_id]
        event_time: txn_ts
        suite: suite.yaml
        schema: {txn_id: string, txn_ts: timestamp, amount: double}
        """);
    FeatureGroupFiles.Definition def = FeatureGroupFiles.load(dir.resolve("tx.yaml"));
    FeatureGroup g = FeatureStore.open(spark, lh.layout()).createFeatureGroup(def.spec(), def.schema());
    g.insert(spark.sql("SELECT 't0' AS txn_id, TIMESTAMP'2024-01-01 00:00:00' AS txn_ts, 1.0D AS amount"), InsertOptions.append("tx:2024-01-01"));
    long before = g.deltaVersion();
    long filesBefore = dataFiles(g);
    Path input = Files.createDirectories(dir.resolve("day2"));
    for (int f = 1; f <= 4; f++) {
      StringBuilder csv = new StringBuilder("txn_id,txn_ts,amount\n");
      for (int i = 0; i < 25; i++) {
        csv.append("t").append(f).append('-').append(i).append(",2024-01-02 10:00:00,").append(f * 100 + i).append('\n');
      }
      Files.writeString(input.resolve("part-" + f + ".csv"), csv);
    }

    // killed after validation, as the write begins: no data file exists yet
    SparkSubmitProcess.Run beforeCommit = insert(dir, lh, input, GROUP_FILES, 1);
    assertEquals(HaltingFileSystem.EXIT_CODE, beforeCommit.exitCode(), beforeCommit.err());
    assertTrue(beforeCommit.err().contains("FAULT INJECTED"), beforeCommit.err());
    assertEquals(before, g.deltaVersion(), "no commit");
    assertEquals(1, g.read().count());

    // killed in the middle of the write: some data files are on disk, but no commit refers to them
    SparkSubmitProcess.Run duringWrite = insert(dir, lh, input, GROUP_FILES, 3);
    assertEquals(HaltingFileSystem.EXIT_CODE, duringWrite.exitCode(), duringWrite.err());
    assertTrue(dataFiles(g) >= filesBefore + 2, "the killed write had left data files behind: " + dataFiles(g));
    assertEquals(before, g.deltaVersion(), "no commit");
    assertEquals(List.of("t0"), g.read().select("txn_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList(),
        "readers see none of the orphaned files");

    // killed after the commit, before its validation report: the rerun must not commit again
    SparkSubmitProcess.Run afterCommit = insert(dir, lh, input, REPORT_COMMIT, 1);
    assertEquals(HaltingFileSystem.EXIT_CODE, afterCommit.exitCode(), afterCommit.err());
    assertTrue(afterCommit.err().contains("FAULT INJECTED"), afterCommit.err());
    assertEquals(before + 1, g.deltaVersion(), "the commit landed before the kill");
    assertTrue(g.validationHistory(10).stream().noneMatch(r -> r.batchId().equals("tx:2024-01-02")),
        "the killed run's report was never committed (its row, written beside the batch's commit, is invisible)");

    SparkSubmitProcess.Run rerun = insert(dir, lh, input, null, 0);
    assertEquals(0, rerun.exitCode(), rerun.err() + rerun.out());
    assertTrue(rerun.out().contains("unchanged, batch already committed"), rerun.out());
    assertEquals(before + 1, g.deltaVersion(), "exactly one commit of the batch");
    assertEquals(101, g.read().count());
    assertEquals(100, g.read().where("txn_id LIKE 't%-%'").select("txn_id").distinct().count(), "no row lost or duplicated");
    List<CommitInfo> commits = g.history(20).stream().filter(c -> "tx:2024-01-02".equals(c.batchId())).toList();
    assertEquals(1, commits.size(), commits.toString());
    assertEquals(100, commits.get(0).rowsAdded());
    assertTrue(g.validationHistory(10).stream().anyMatch(r -> r.batchId().equals("tx:2024-01-02") && Long.valueOf(before + 1).equals(r.deltaVersion())),
        "the rerun leaves the report the killed run could not write");
  }

  @Test
  void aTrainingDatasetKilledBetweenItsTableAndItsManifestIsInvisibleAndItsRerunMakesOneWholeDataset(
      SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws Exception {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    FeatureGroup loans = store.createFeatureGroup(FeatureGroupSpec.of("loans", List.of("loan_id"), "issue_ts"),
        new org.apache.spark.sql.types.StructType().add("loan_id", "long").add("issue_ts", "timestamp")
            .add("amount", "double").add("defaulted", "int"));
    loans.insert(spark.sql("SELECT id AS loan_id, TIMESTAMP'2024-01-01 00:00:00' + make_interval(0, 0, 0, CAST(id AS INT)) AS issue_ts, "
        + "id * 10.0D AS amount, CAST(id % 3 = 0 AS INT) AS defaulted FROM range(40)"), InsertOptions.append("loans:1"));
    store.createFeatureView(new FeatureViewSpec("lv", 1, new FeatureViewSpec.GroupRef("loans", 1), List.of("amount"),
        List.of("defaulted"), List.of(), ""));
    Path td1 = lh.root().resolve("training_datasets/lv/v1/td1");

    // killed once td1's table is committed (Delta writes the commit's checksum after it), before its manifest
    SparkSubmitProcess.Run killed = lakeline(dir, ".*/training_datasets/lv/v1/td1/data/_delta_log/[^/]*0+\\.crc[^/]*", 1,
        "td", "create", "lv", "--seed", "3", "--lakehouse", lh.uri());
    assertEquals(HaltingFileSystem.EXIT_CODE, killed.exitCode(), killed.err());
    assertTrue(killed.err().contains("FAULT INJECTED"), killed.err());
    assertTrue(Files.exists(td1.resolve("data/_delta_log/00000000000000000000.json")), "the table was committed");
    assertTrue(Files.notExists(td1.resolve("manifest.json")));
    assertEquals(List.of(), store.listTrainingDatasets("lv", 1), "a dataset without its manifest is listed nowhere");

    // the rerun in this JVM (the same command; a second spark-submit would only add its start-up)
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int rerun = dev.lakeline.jobs.cli.LakelineCli.execute(new String[] {"td", "create", "lv", "--seed", "3", "--lakehouse", lh.uri()},
        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
        new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(0, rerun, err + "\n" + out);
    List<TrainingDataset> made = store.listTrainingDatasets("lv", 1);
    assertEquals(1, made.size(), made.toString());
    assertEquals(2, made.get(0).manifest().number(), "the killed run's number stays claimed (maintenance.md)");
    assertEquals(3L, made.get(0).manifest().identity().seed());
    assertEquals(40, spark.read().format("delta").load(made.get(0).dataPath()).count(), "every row once");
    assertEquals(40L, made.get(0).manifest().rowsPerSplit().values().stream().mapToLong(Long::longValue).sum());
  }
}
