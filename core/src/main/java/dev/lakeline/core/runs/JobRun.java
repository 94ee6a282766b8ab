package dev.lakeline.core.runs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a Lakeline job, as the job-runs table records it: what was asked, how it ended, what it wrote.
 *
 * @param recordId identifies this record (one per attempt; random, never a clock)
 * @param runId the run as the caller names it ({@code --run-id}; Airflow passes its DAG, task, run and try), else
 *     the record id
 * @param command the job: {@code features}, {@code train}, {@code infer}, {@code monitor}, {@code demo}, …
 * @param logicalDate the logical date ({@code --date}), {@code D1..D2} for a backfill, or null
 * @param arguments the command line after the command, with secret-looking {@code --set} values masked
 * @param status how it ended
 * @param exitCode the process exit code the run ended with (see {@code ExitCode})
 * @param error the error message, or null
 * @param environment where it ran: profile, Spark master, application id, Lakeline and Spark versions, and the
 *     Airflow context when an Airflow task started it ({@code airflow.dag_id}, …)
 * @param outputs the tables it wrote or found already written, in order
 * @param facts the summary's facts (model version, metrics, locations), in order
 * @param stages the stages with their wall time, in order
 * @param seconds wall time of the whole run, from the session's start to the record (an elapsed time, not a date)
 * @param recordedAt when the record was written, as an ISO-8601 instant: the time the store gave the record's file
 *     (Lakeline never reads the clock); null before it is written
 */
public record JobRun(
    String recordId,
    String runId,
    String command,
    String logicalDate,
    List<String> arguments,
    RunStatus status,
    int exitCode,
    String error,
    Map<String, String> environment,
    List<RunOutput> outputs,
    Map<String, String> facts,
    List<RunStage> stages,
    double seconds,
    String recordedAt) {

  public JobRun {
    arguments = List.copyOf(arguments);
    environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    outputs = List.copyOf(outputs);
    facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    stages = List.copyOf(stages);
  }

  /** A table a run wrote (or found written already, when its batch was a rerun). */
  public record RunOutput(String name, String path, long version, long rows, boolean unchanged) {}

  /** One stage of a run and its wall time. */
  public record RunStage(String name, double seconds) {}

  /** This record as written: {@code recordedAt} filled in. */
  public JobRun withRecordedAt(String instant) {
    return new JobRun(recordId, runId, command, logicalDate, arguments, status, exitCode, error, environment, outputs, facts,
        stages, seconds, instant);
  }
}
