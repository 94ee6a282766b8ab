package dev.lakeline.core;

/**
 * A user-facing failure: its message says what is wrong and how to fix it, and it maps to an {@link ExitCode}.
 * The command line prints the message alone (no stack trace). Create instances through {@link Errors}.
 */
public abstract class LakelineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LakelineException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The exit code a job ends with when this error stops it. */
  public abstract ExitCode exitCode();

  /** A usage or configuration error: bad arguments, an invalid config file, an invalid name. */
  public static final class ConfigError extends LakelineException {
    private static final long serialVersionUID = 1L;

    ConfigError(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public ExitCode exitCode() {
      return ExitCode.USAGE_OR_CONFIG;
    }
  }

  /** A batch rejected by its expectation suite: nothing was written to the target table. */
  public static final class DataRejected extends LakelineException {
    private static final long serialVersionUID = 1L;

    DataRejected(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public ExitCode exitCode() {
      return ExitCode.DATA_REJECTED;
    }
  }

  /** A feature group, model version, table or file that does not exist. */
  public static final class NotFound extends LakelineException {
    private static final long serialVersionUID = 1L;

    NotFound(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public ExitCode exitCode() {
      return ExitCode.NOT_FOUND;
    }
  }

  /** A request that contradicts existing state: an existing object with another definition, a lost race. */
  public static final class Conflict extends LakelineException {
    private static final long serialVersionUID = 1L;

    Conflict(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public ExitCode exitCode() {
      return ExitCode.CONFLICT;
    }
  }
}
