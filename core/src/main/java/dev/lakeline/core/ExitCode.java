package dev.lakeline.core;

/**
 * Process exit codes of every Lakeline job. Airflow, EMR steps and shell scripts can branch on them.
 *
 * <p>{@code 0} success; {@code 1} an internal failure (a bug or an infrastructure fault: the stack trace is
 * printed); {@code 2} a usage or configuration error; {@code 3} data rejected by an expectation suite; {@code 4}
 * something named does not exist; {@code 5} a conflict with existing state.
 */
public enum ExitCode {
  OK(0),
  INTERNAL_FAILURE(1),
  USAGE_OR_CONFIG(2),
  DATA_REJECTED(3),
  NOT_FOUND(4),
  CONFLICT(5);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
