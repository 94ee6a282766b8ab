package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakeline.core.ExitCode;
import dev.lakeline.core.runs.JobRun;
import dev.lakeline.core.runs.JobRuns;
import dev.lakeline.core.runs.RunFilter;
import dev.lakeline.core.runs.RunStatus;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every job run lands in the job-runs log, failed or not, with what it wrote; {@code lakeline runs list | show}
 * read it back, and the feature groups' commits name the run that made them.
 */
@SparkTest
class JobRunsCommandTest {
  private static final String[] DAYS = {
    "a1,c1,2024-06-01 10:00:00,1.0", "a2,c1,2024-06-02 10:00:00,2.0", "a3,c1,2024-06-03 10:00:00,4.0"
  };
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRejectedRunAndItsRetryAreRecordedWithWhatTheyWrote(SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws Exception {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    String[] broken = DAYS.clone();
    broken[2] = "a3,c1,2024-06-03 10:00:00,oops";
    Path csv = fx.csv("txns.csv", broken);
    Path file = fx.pipeline("cards", csv, "date_column: txn_ts\nrows: on_date", "", "columns: [txn_id, card_id, txn_ts, amount]");

    Cli first = fx.features(file, "--from", "2024-06-01", "--to", "2024-06-03", "--run-id", "lakeline_features_cards/features/manual__1/1");
    assertEquals(ExitCode.DATA_REJECTED.code(), first.exitCode(), first.err() + first.out());
    fx.csv("txns.csv", DAYS);
    Cli second = fx.features(file, "--from", "2024-06-01", "--to", "2024-06-03", "--run-id", "lakeline_features_cards/features/manual__1/2");
    assertEquals(0, second.exitCode(), second.err() + second.out());
    assertTrue(second.out().contains("run:                   lakeline_features_cards/features/manual__1/2"), second.out());

    Path page = dir.resolve("runs.html");
    Cli list = Cli.inLakehouse(lh, "runs", "list", "--command", "features", "--report", page.toString());
    assertEquals(0, list.exitCode(), list.err());
    List<String> lines = list.out().lines().filter(l -> l.contains("lakeline_features_cards")).toList();
    assertEquals(2, lines.size(), list.out());
    assertTrue(lines.get(0).contains("succeeded") && lines.get(0).endsWith("manual__1/2"), "newest first:\n" + list.out());
    assertTrue(lines.get(1).contains("rejected (3)") && lines.get(1).contains("2024-06-01..2024-06-03"), list.out());

    String html = java.nio.file.Files.readString(page);
    assertEquals(1, html.split("<img ", -1).length - 1, "one chart: the runs' wall time by stage");
    assertTrue(html.contains("<td class=\"rejected\">rejected (3)</td>") && html.contains("<td class=\"succeeded\">succeeded</td>"), html);
    assertTrue(html.contains("&#39;oops&#39; is not a double") || html.contains("'oops' is not a double"), "the error is on the page");

    Cli rejectedOnly = Cli.inLakehouse(lh, "runs", "list", "--date", "2024-06-02", "--status", "rejected", "--json");
    JsonNode rejected = JSON.readTree(rejectedOnly.out());
    assertEquals(1, rejected.size(), rejectedOnly.out());
    JsonNode r = rejected.get(0);
    assertEquals("lakeline_features_cards/features/manual__1/1", r.get("runId").asText());
    assertEquals("features", r.get("command").asText());
    assertEquals("rejected", r.get("status").asText(), "as the table and the text say it");
    assertEquals(3, r.get("exitCode").asInt());
    assertTrue(r.get("error").asText().contains("'oops' is not a double"), r.toString());
    assertEquals(List.of("--pipeline", file.toString(), "--from", "2024-06-01", "--to", "2024-06-03", "--run-id",
        "lakeline_features_cards/features/manual__1/1", "--lakehouse", lh.uri(), "--config", CommonOptions.BUNDLED_CONFIG),
        texts(r.get("arguments")));
    assertEquals("local", r.get("environment").get("profile").asText());
    assertTrue(r.get("recordedAt").asText().endsWith("Z"), r.toString());

    Cli show = Cli.inLakehouse(lh, "runs", "show", "lakeline_features_cards/features/manual__1/2");
    assertEquals(0, show.exitCode(), show.err());
    assertTrue(show.out().contains("features 2024-06-01..2024-06-03 · succeeded (exit 0)"), show.out());
    assertTrue(show.out().contains("feature pipeline"), "its stages:\n" + show.out());

    // the group's commits name their runs: the first two dates by the rejected run, the third by its retry
    Cli history = Cli.inLakehouse(lh, "fg", "history", "cards");
    assertEquals(0, history.exitCode(), history.err());
    assertEquals(2, history.out().lines().filter(l -> l.endsWith(" / lakeline_features_cards/features/manual__1/1")).count(), history.out());
    assertEquals(1, history.out().lines().filter(l -> l.endsWith(" / lakeline_features_cards/features/manual__1/2")).count(), history.out());

    assertEquals(2, JobRuns.open(spark, lh.layout()).list(RunFilter.any(), 10).size(), "'runs' and 'fg' are not jobs: not recorded");
  }

  /**
   * A run whose Spark job fails (Spark's SparkException, a checked exception thrown undeclared) is recorded like any
   * other failure: it used to escape the record and leave no trace in the log.
   */
  @Test
  void aRunThatFailsInsideASparkJobIsRecorded(SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws Exception {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path folder = dir.resolve("txns_parquet");
    spark.sql("SELECT 'p1' AS txn_id, 'c1' AS card_id, TIMESTAMP'2024-06-01 10:00:00' AS txn_ts, CAST(1.5 AS DOUBLE) AS amount")
        .coalesce(1).write().parquet(folder.toString());
    java.nio.file.Files.createFile(folder.resolve("part-00001-empty.parquet")); // Spark fails reading its footer
    Path pipeline = fx.write("txns.yaml", """
        name: txns
        source:
          path: %s
          format: parquet
          date_column: txn_ts
        feature_groups:
          - name: txns
            primary_key: [txn_id]
            event_time: txn_ts
            columns: [txn_id, card_id, txn_ts, amount]
        """.formatted(folder));
    Cli r = fx.features(pipeline, "--date", "2024-06-01", "--run-id", "spark-job-fails");
    assertEquals(ExitCode.DATA_REJECTED.code(), r.exitCode(), r.err() + r.out());
    Cli show = Cli.inLakehouse(lh, "runs", "show", "spark-job-fails", "--json");
    assertEquals(0, show.exitCode(), show.err() + show.out());
    assertTrue(show.out().contains("\"status\" : \"rejected\"") || show.out().contains("\"status\":\"rejected\""), show.out());
    assertTrue(show.out().contains("part-00001-empty.parquet cannot be read"), show.out());
  }

  /**
   * A run stopped by SIGTERM (Ctrl-C, {@code kill}, Airflow ending a task) in the middle of its Spark work says so in one
   * line, instead of "internal error ... please report it with this trace", and is recorded as stopped: it used to leave
   * no record. The command runs in a JVM of its own, which the test stops as a scheduler would.
   */
  @Test
  void aRunStoppedBySigtermSaysSoAndIsRecorded(SparkSession spark, TestLakehouse lh) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-Xmx") || a.startsWith("-Duser.timezone")).forEach(command::add);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), LakelineCli.class.getName(), "generate",
        "--date", "2024-06-30", "--scale", "2", "--lakehouse", lh.uri(), "--run-id", "stopped-by-sigterm"));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        out.append(line).append('\n');
        if (line.startsWith("▶")) { // the Spark work has begun
          Thread.sleep(2000);
          child.toHandle().destroy(); // SIGTERM, leaving its output open (Process.destroy closes it)
        }
      }
    }
    assertEquals(143, child.waitFor(), out.toString());
    assertTrue(out.toString().contains("error: The run was stopped by a signal (Ctrl-C, kill, or the scheduler ending its task)."),
        out.toString());
    assertFalse(out.toString().contains("internal error"), out.toString());
    Cli show = Cli.inLakehouse(lh, "runs", "show", "stopped-by-sigterm");
    assertEquals(0, show.exitCode(), show.err() + show.out());
    assertTrue(show.out().contains("stopped by a signal"), show.out());
    JobRun stopped = JobRuns.open(spark, lh.layout()).find("stopped-by-sigterm").get(0);
    assertEquals(RunStatus.STOPPED, stopped.status(), "recorded as the signal stopped it, not as a failure");
    assertEquals(143, stopped.exitCode(), "recorded with the exit code the process ended with");
  }

  @Test
  void aRunWithoutAnIdGetsOneAndBadIdsOrUnknownRunsAreClearErrors(SparkSession spark, TestLakehouse lh) {
    Cli generated = Cli.inLakehouse(lh, "generate", "--date", "2024-06-30", "--scale", "0.01");
    assertEquals(0, generated.exitCode(), generated.err() + generated.out());
    var runs = JobRuns.open(spark, lh.layout()).list(RunFilter.any().withCommand("generate"), 5);
    assertEquals(1, runs.size());
    assertEquals(runs.get(0).recordId(), runs.get(0).runId(), "without --run-id the run is named by its record");
    assertTrue(generated.out().contains(runs.get(0).runId()), generated.out());

    Cli bad = Cli.inLakehouse(lh, "generate", "--date", "2024-06-30", "--run-id", "two\nlines");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), bad.exitCode());
    assertTrue(bad.err().contains("--run-id must be 1 to 256 characters"), bad.err());
    assertFalse(bad.hasStackTrace(), bad.err());

    Cli missing = Cli.inLakehouse(lh, "runs", "show", "no-such-run");
    assertEquals(ExitCode.NOT_FOUND.code(), missing.exitCode());
    assertTrue(missing.err().contains("There is no job run 'no-such-run'"), missing.err());
    assertFalse(missing.hasStackTrace(), missing.err());

    Cli status = Cli.inLakehouse(lh, "runs", "list", "--status", "done");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), status.exitCode());
    assertTrue(status.err().contains("use succeeded, rejected, failed or stopped"), status.err());

    Cli command = Cli.inLakehouse(lh, "runs", "list", "--command", "inference");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), command.exitCode(), command.out());
    assertTrue(command.err().contains(
        "Unknown --command 'inference': the jobs that record runs are demo, features, generate, infer, maintain, monitor, train."),
        command.err());
  }

  @Test
  void listRefusesALimitBelowOne(TestLakehouse lh) {
    for (String limit : new String[] {"0", "-1"}) {
      Cli r = Cli.inLakehouse(lh, "runs", "list", "--limit", limit);
      assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode(), r.out() + r.err());
      assertTrue(r.err().contains("--limit must be 1 or more") && r.err().contains(limit), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void aMistypedLakehouseIsNotFoundAndNothingIsWrittenThere(TestLakehouse lh, @TempDir Path dir) throws Exception {
    Path missing = dir.resolve("lakehous");
    Cli monitor = Cli.run("monitor", "--date", "2024-06-30", "--lakehouse", missing.toString());
    assertEquals(ExitCode.NOT_FOUND.code(), monitor.exitCode(), monitor.out());
    assertTrue(monitor.err().contains("The lakehouse " + missing + " does not exist. Check --lakehouse"), monitor.err());
    assertFalse(monitor.hasStackTrace(), monitor.err());
    assertFalse(Files.exists(missing), "no failed-run record made a lakehouse there");

    Path notALakehouse = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(notALakehouse.resolve("notes.txt"), "not a lakehouse");
    for (String[] args : new String[][] {{"train", "--date", "2024-06-30"}, {"models", "list"}, {"runs", "list"}}) {
      Cli r = Cli.run(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--lakehouse", notALakehouse.toString())).toArray(String[]::new));
      assertEquals(ExitCode.NOT_FOUND.code(), r.exitCode(), String.join(" ", args) + ": " + r.out());
      assertTrue(r.err().contains(notALakehouse + " is not a Lakeline lakehouse"), r.err());
    }
    try (var entries = Files.list(notALakehouse)) {
      assertEquals(List.of("notes.txt"), entries.map(p -> p.getFileName().toString()).toList());
    }
    // an empty folder is a lakehouse nothing has been written to yet
    Path empty = Files.createDirectories(dir.resolve("new"));
    Cli none = Cli.run("models", "list", "--lakehouse", empty.toString());
    assertEquals(0, none.exitCode(), none.err());
    assertTrue(none.out().contains("no models under"), none.out());
  }

  @Test
  void everySparkJobOfARunIsNamedByTheJobTheRunAndTheStageThenTheThreadsOwnNameIsBack(SparkSession spark, TestLakehouse lh)
      throws Exception {
    List<String> descriptions = java.util.Collections.synchronizedList(new ArrayList<>());
    org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
      @Override
      public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
        descriptions.add(String.valueOf(start.properties().getProperty("spark.job.description")));
      }
    };
    spark.sparkContext().setJobDescription("my notebook cell");
    spark.sparkContext().addSparkListener(listener);
    try {
      Cli generated = Cli.inLakehouse(lh, "generate", "--date", "2024-06-30", "--scale", "0.01", "--run-id", "described-1");
      assertEquals(0, generated.exitCode(), generated.err() + generated.out());
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }

    assertFalse(descriptions.isEmpty());
    assertTrue(descriptions.contains("lakeline generate 2024-06-30 · run described-1 · generate sample data"), descriptions.toString());
    for (String d : descriptions) {
      assertTrue(d.startsWith("lakeline generate 2024-06-30 · run described-1"), "every job of the run: " + descriptions);
    }
    assertEquals("my notebook cell", spark.sparkContext().getLocalProperty("spark.job.description"), "the caller's own is back");
    spark.sparkContext().setJobDescription(null);
  }

  @Test
  void aLogThatCannotBeWrittenIsAWarningNotTheJobsFailure(TestLakehouse lh) throws Exception {
    Path blocked = Path.of(lh.layout().system(JobRuns.TABLE).replaceFirst("^file:", ""));
    java.nio.file.Files.createDirectories(blocked.getParent());
    java.nio.file.Files.writeString(blocked, "not a table");
    Cli generated = Cli.inLakehouse(lh, "generate", "--date", "2024-06-30", "--scale", "0.01");
    assertEquals(0, generated.exitCode(), generated.err() + generated.out());
    assertTrue(generated.err().contains("warning: this run was not recorded in the job-runs log"), generated.err());
    assertFalse(generated.hasStackTrace(), generated.err());
  }

  @Test
  void secretLookingSetValuesAreMaskedInTheRecordedArguments() {
    CommandLine cli = new CommandLine(new LakelineCli());
    CommandLine.ParseResult parsed = cli.parseArgs("infer", "--date", "2024-06-30", "--set", "storage.s3-secret-key=abc",
        "--set=warehouse.password=hunter2", "--set", "inference.window-days=7", "--set", "api.token=t0k");
    assertEquals(List.of("--date", "2024-06-30", "--set", "storage.s3-secret-key=****", "--set=warehouse.password=****",
            "--set", "inference.window-days=7", "--set", "api.token=****"),
        RunLog.arguments(parsed.subcommand().commandSpec()));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
