package dev.lakeline.jobs.cli;

import dev.lakeline.core.Errors;
import dev.lakeline.core.ExitCode;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Versions;
import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.runs.JobRun;
import dev.lakeline.core.runs.JobRuns;
import dev.lakeline.core.runs.RunStatus;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.JobSummary;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A job run's record in the job-runs log ({@link JobRuns}): started before the session, written when the job ends,
 * whether it succeeded or failed. A record that cannot be written is a warning, never the job's failure.
 */
final class RunLog {
  /**
   * Environment variables Airflow sets in a task's process and what the record calls them, in the record's order
   * (Airflow 3's logical date first; Airflow 2's execution date only where there is none).
   */
  private static final List<String[]> AIRFLOW = List.of(
      new String[] {"AIRFLOW_CTX_DAG_ID", "airflow.dag_id"},
      new String[] {"AIRFLOW_CTX_TASK_ID", "airflow.task_id"},
      new String[] {"AIRFLOW_CTX_DAG_RUN_ID", "airflow.run_id"},
      new String[] {"AIRFLOW_CTX_TRY_NUMBER", "airflow.try_number"},
      new String[] {"AIRFLOW_CTX_LOGICAL_DATE", "airflow.logical_date"},
      new String[] {"AIRFLOW_CTX_EXECUTION_DATE", "airflow.logical_date"});
  private static final int MAX_RUN_ID = 256;

  private final String recordId = UUID.randomUUID().toString();
  private final String runId;
  private final String command;
  private final String logicalDate;
  private final List<String> arguments;
  private final LakelineConfig config;
  private final long start = System.nanoTime();

  private RunLog(String runId, String command, String logicalDate, List<String> arguments, LakelineConfig config) {
    this.runId = runId == null ? recordId : runId;
    this.command = command;
    this.logicalDate = logicalDate;
    this.arguments = arguments;
    this.config = config;
  }

  /** A config error unless {@code runId} is null or 1 to 256 characters with no control characters. */
  static void checkRunId(String runId) {
    if (runId != null && (runId.isBlank() || runId.length() > MAX_RUN_ID || runId.chars().anyMatch(Character::isISOControl))) {
      throw Errors.config(
          "--run-id must be 1 to %d characters with no line breaks or control characters (got %d characters). "
              + "Airflow: --run-id '{{ dag.dag_id }}/{{ task.task_id }}/{{ run_id }}/{{ ti.try_number }}'.",
          MAX_RUN_ID, runId.length());
    }
  }

  static RunLog start(CommandSpec spec, String runId, String logicalDate, LakelineConfig config) {
    return new RunLog(runId, spec.name(), logicalDate, arguments(spec), config);
  }

  String runId() {
    return runId;
  }

  void succeeded(JobContext ctx, PrintStream err) {
    write(ctx, ExitCode.OK.code(), null, err);
  }

  void failed(JobContext ctx, Throwable failure, PrintStream err) {
    LakelineException user = LakelineCli.userError(failure);
    write(ctx, user != null ? user.exitCode().code() : ExitCode.INTERNAL_FAILURE.code(),
        user != null ? user.getMessage() : failure.toString(), err);
  }

  /**
   * A run stopped by a signal ({@link Interruption}): stopped, with the signal's exit code (130, 143) and {@code message}
   * as its error.
   */
  void stopped(JobContext ctx, String message, PrintStream err) {
    write(ctx, Interruption.exitCode(), message, err);
  }

  private void write(JobContext ctx, int exitCode, String error, PrintStream err) {
    String table = ctx.layout().system(JobRuns.TABLE);
    try {
      JobSummary s = ctx.summary();
      List<JobRun.RunStage> stages = new ArrayList<>();
      s.stageMillis().forEach((name, millis) -> stages.add(new JobRun.RunStage(name, millis / 1000.0)));
      JobRun run = new JobRun(recordId, runId, command, logicalDate, arguments, RunStatus.of(exitCode), exitCode, error,
          environment(ctx), s.tables(), s.facts(), stages, (System.nanoTime() - start) / 1e9, null);
      JobRuns.open(ctx.spark(), ctx.layout()).record(run);
    } catch (Exception e) { // Spark's AnalysisException is checked to Java, yet thrown undeclared
      // the job's own outcome stands: a failed job's error is not replaced by the log's
      err.println("warning: this run was not recorded in the job-runs log " + table + ": " + e.getMessage());
    }
  }

  private Map<String, String> environment(JobContext ctx) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("profile", config.profile());
    env.put("spark.master", ctx.spark().sparkContext().master());
    env.put("spark.app_id", ctx.spark().sparkContext().applicationId());
    env.put("session", ctx.sessionMode());
    env.put("lakeline", Versions.lakeline());
    env.put("commit", Versions.commit());
    env.put("spark", Versions.spark());
    for (String[] airflow : AIRFLOW) {
      String value = System.getenv(airflow[0]);
      if (value != null && !value.isBlank()) {
        env.putIfAbsent(airflow[1], value);
      }
    }
    String databricks = System.getenv("DATABRICKS_RUNTIME_VERSION");
    if (databricks != null) {
      env.put("databricks.runtime", databricks);
    }
    return env;
  }

  /** The arguments after the command name, with the values of secret-looking {@code --set} keys masked. */
  static List<String> arguments(CommandSpec spec) {
    List<String> all = spec.commandLine().getParseResult() == null
        ? List.of() : spec.commandLine().getParseResult().originalArgs();
    int at = all.indexOf(spec.name());
    List<String> out = new ArrayList<>();
    boolean setValue = false;
    for (String a : all.subList(at + 1, all.size())) {
      if (setValue || a.startsWith("--set=")) {
        String kv = setValue ? a : a.substring("--set=".length());
        int eq = kv.indexOf('=');
        String masked = eq > 0 && LakelineConfig.isSecret(kv.substring(0, eq)) ? kv.substring(0, eq + 1) + "****" : kv;
        out.add(setValue ? masked : "--set=" + masked);
        setValue = false;
      } else {
        out.add(a);
        setValue = a.equals("--set");
      }
    }
    return out;
  }
}
