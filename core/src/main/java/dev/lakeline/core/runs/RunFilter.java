package dev.lakeline.core.runs;

/**
 * Which job runs to list; null fields match anything. Start from {@link #any()} and narrow with the {@code with}
 * copies.
 *
 * @param runId the caller's run id (or a record id: one record)
 * @param command the job ({@code features}, {@code infer}, …)
 * @param logicalDate a logical date (YYYY-MM-DD): runs of that date, and backfills whose range holds it
 * @param status how they ended
 */
public record RunFilter(String runId, String command, String logicalDate, RunStatus status) {
  public static RunFilter any() {
    return new RunFilter(null, null, null, null);
  }

  public RunFilter withRunId(String value) {
    return new RunFilter(value, command, logicalDate, status);
  }

  public RunFilter withCommand(String value) {
    return new RunFilter(runId, value, logicalDate, status);
  }

  public RunFilter withLogicalDate(String value) {
    return new RunFilter(runId, command, value, status);
  }

  public RunFilter withStatus(RunStatus value) {
    return new RunFilter(runId, command, logicalDate, value);
  }
}
