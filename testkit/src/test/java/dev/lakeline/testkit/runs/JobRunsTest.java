package dev.lakeline.testkit.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.runs.JobRun;
import dev.lakeline.core.runs.JobRuns;
import dev.lakeline.core.runs.RunFilter;
import dev.lakeline.core.runs.RunStatus;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The job-runs log: records round-trip whole, newest first, and the filters pick what they say. */
@SparkTest
class JobRunsTest {
  private static JobRun run(String record, String runId, String command, String date, int exitCode) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("profile", "local");
    env.put("airflow.dag_id", "lakeline_inference");
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("model", "loan_default v2");
    facts.put("alias", "champion → v2");
    return new JobRun(record, runId, command, date, List.of("--date", "2024-06-30"), RunStatus.of(exitCode), exitCode,
        exitCode == 0 ? null : "error " + exitCode, env,
        List.of(new JobRun.RunOutput("predictions loan_default", "/lake/predictions/loan_default", 3, 712, false),
            new JobRun.RunOutput("feature group loans v1", "/lake/feature_groups/loans/v1", 1, 10_000, true)),
        facts, List.of(new JobRun.RunStage("batch inference", 5.25), new JobRun.RunStage("monitoring", 1.5)), 7.75, null);
  }

  @Test
  void aRecordComesBackWholeWithTheTimeTheStoreGaveIt(SparkSession spark, TestLakehouse lake) {
    JobRuns runs = JobRuns.open(spark, lake.layout());
    assertEquals(List.of(), runs.list(RunFilter.any(), 10), "nothing recorded yet, and no table made by looking");
    JobRun written = run("r-1", "dag/infer/scheduled__2024-06-30/1", "infer", "2024-06-30", 0);
    runs.record(written);

    List<JobRun> back = runs.list(RunFilter.any(), 10);
    assertEquals(1, back.size());
    JobRun read = back.get(0);
    assertNotNull(read.recordedAt());
    Instant at = Instant.parse(read.recordedAt());
    assertTrue(at.isAfter(Instant.parse("2020-01-01T00:00:00Z")), read.recordedAt());
    assertEquals(written.withRecordedAt(read.recordedAt()), read, "every field, in order (outputs, facts, stages)");
    assertEquals(List.of("model", "alias"), List.copyOf(read.facts().keySet()));
  }

  @Test
  void compactingTheLogKeepsEachRecordsTimeAndOrder(SparkSession spark, TestLakehouse lake) throws InterruptedException {
    JobRuns runs = JobRuns.open(spark, lake.layout());
    runs.record(run("r-1", "run-1", "features", "2024-06-29", 0));
    Thread.sleep(1100); // file systems keep modification times to the second
    runs.record(run("r-2", "run-2", "features", "2024-06-30", 0));
    List<JobRun> before = runs.list(RunFilter.any(), 10);
    assertEquals(List.of("r-2", "r-1"), before.stream().map(JobRun::recordId).toList());
    assertTrue(Instant.parse(before.get(0).recordedAt()).isAfter(Instant.parse(before.get(1).recordedAt())), before.toString());
    Thread.sleep(1100);

    io.delta.tables.DeltaTable.forPath(spark, runs.path()).optimize().executeCompaction();

    assertEquals(1L, spark.read().format("delta").load(runs.path()).inputFiles().length, "one file after the compaction");
    assertEquals(before, runs.list(RunFilter.any(), 10), "the same records, order and times");
  }

  @Test
  void newestFirstAndEachFilterPicksWhatItSays(SparkSession spark, TestLakehouse lake) {
    JobRuns runs = JobRuns.open(spark, lake.layout());
    runs.record(run("a", "run-a", "features", "2024-06-01..2024-06-05", 3));
    runs.record(run("b", "run-b", "features", "2024-06-01..2024-06-05", 0));
    runs.record(run("c", "run-c", "infer", "2024-06-03", 0));
    runs.record(run("d", "run-c", "infer", "2024-06-03", 1)); // a second attempt under the same run id
    runs.record(run("e", "run-e", "monitor", "2024-06-06", 4));

    assertEquals(List.of("e", "d", "c", "b", "a"), ids(runs.list(RunFilter.any(), 10)));
    assertEquals(List.of("e", "d"), ids(runs.list(RunFilter.any(), 2)));
    assertEquals(List.of("b", "a"), ids(runs.list(RunFilter.any().withCommand("features"), 10)));
    assertEquals(List.of("d", "c", "b", "a"), ids(runs.list(RunFilter.any().withLogicalDate("2024-06-03"), 10)),
        "a date matches runs of that date and backfills whose range holds it");
    assertEquals(List.of("b", "a"), ids(runs.list(RunFilter.any().withLogicalDate("2024-06-05"), 10)), "ranges include their last date");
    assertEquals(List.of(), ids(runs.list(RunFilter.any().withLogicalDate("2024-05-31"), 10)));
    assertEquals(List.of("e", "d"), ids(runs.list(RunFilter.any().withStatus(RunStatus.FAILED), 10)));
    assertEquals(List.of("a"), ids(runs.list(RunFilter.any().withStatus(RunStatus.REJECTED), 10)));
    assertEquals(List.of("c"), ids(runs.list(RunFilter.any().withCommand("infer").withStatus(RunStatus.SUCCEEDED), 10)));

    assertEquals(List.of("d", "c"), ids(runs.find("run-c")), "every attempt under the run id");
    assertEquals(List.of("c"), ids(runs.find("c")), "or one record by its record id");
    LakelineException missing = assertThrows(LakelineException.class, () -> runs.find("nope"));
    assertTrue(missing.getMessage().contains("There is no job run 'nope'"), missing.getMessage());
    assertThrows(LakelineException.class, () -> runs.list(RunFilter.any(), 0));
    assertEquals(5, DeltaCommits.currentVersion(spark, runs.path()), "one commit per record after the table's creation");
  }

  @Test
  void statusesFollowTheExitCodes() {
    assertEquals(RunStatus.SUCCEEDED, RunStatus.of(0));
    assertEquals(RunStatus.REJECTED, RunStatus.of(3));
    for (int code : new int[] {1, 2, 4, 5}) {
      assertEquals(RunStatus.FAILED, RunStatus.of(code));
    }
    for (int code : new int[] {129, 130, 143}) {
      assertEquals(RunStatus.STOPPED, RunStatus.of(code), "128 + SIGHUP, SIGINT, SIGTERM");
    }
    assertEquals(RunStatus.FAILED, RunStatus.of(137), "kill -9 runs no code; a code of 137 is not one Lakeline records");
    assertEquals(RunStatus.REJECTED, RunStatus.parse("Rejected"));
    assertEquals(RunStatus.STOPPED, RunStatus.parse("stopped"));
    LakelineException e = assertThrows(LakelineException.class, () -> RunStatus.parse("done"));
    assertTrue(e.getMessage().contains("use succeeded, rejected, failed or stopped"), e.getMessage());
  }

  private static List<String> ids(List<JobRun> runs) {
    return runs.stream().map(JobRun::recordId).toList();
  }
}
