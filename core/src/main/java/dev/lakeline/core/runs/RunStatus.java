package dev.lakeline.core.runs;

import dev.lakeline.core.ExitCode;
import java.util.Locale;

/** How a job run ended, from its exit code. */
public enum RunStatus {
  /** Exit code 0. */
  SUCCEEDED,
  /** Exit code 3: an expectation suite, unreadable source rows or a monitoring alert stopped it (nothing half-written). */
  REJECTED,
  /** Any other code: a usage, configuration, not-found or conflict error (2, 4, 5) or an internal failure (1). */
  FAILED,
  /** Exit code 129, 130 or 143: a signal (hang-up, Ctrl-C, {@code kill}, a scheduler ending its task) stopped it. */
  STOPPED;

  public static RunStatus of(int exitCode) {
    if (exitCode == ExitCode.OK.code()) {
      return SUCCEEDED;
    }
    if (exitCode == 129 || exitCode == 130 || exitCode == 143) { // 128 + SIGHUP, SIGINT, SIGTERM, as a shell reports them
      return STOPPED;
    }
    return exitCode == ExitCode.DATA_REJECTED.code() ? REJECTED : FAILED;
  }

  /**
   * The lower-case name shown and stored (in the table and in JSON): {@code succeeded}, {@code rejected}, {@code failed},
   * {@code stopped}.
   */
  @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status named {@code label} (any case); a config error naming the four otherwise. */
  public static RunStatus parse(String label) {
    for (RunStatus s : values()) {
      if (s.name().equalsIgnoreCase(label)) {
        return s;
      }
    }
    throw dev.lakeline.core.Errors.config("Unknown run status '%s': use succeeded, rejected, failed or stopped.", label);
  }
}
