package dev.lakeline.benchmarks;

import java.util.List;
import picocli.CommandLine;

/**
 * The command line of a benchmark program, read with picocli as the {@code lakeline} commands are: an unknown option
 * or a value that is not a number is a one-line error with the usage (exit 2), not a stack trace after Spark started.
 */
final class BenchmarkOptions {
  private BenchmarkOptions() {}

  /** Options that check their values once read. */
  interface Checked {
    /** Throws {@link CommandLine.ParameterException} naming the option whose value is wrong. */
    void check(CommandLine line);
  }

  /** {@code options} filled from {@code args}; a wrong command line throws {@link CommandLine.ParameterException}. */
  static <T> T parse(T options, String... args) {
    CommandLine line = new CommandLine(options);
    line.parseArgs(args);
    if (options instanceof Checked c) {
      c.check(line);
    }
    return options;
  }

  /** {@link #parse}, or the error and the usage on standard error and exit 2 ({@code --help}: the usage, exit 0). */
  static <T> T parseOrExit(T options, String... args) {
    CommandLine line = new CommandLine(options);
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      line.usage(System.out);
      System.exit(0);
    }
    try {
      return parse(options, args);
    } catch (CommandLine.ParameterException e) {
      System.err.println(e.getMessage());
      line.usage(System.err);
      System.exit(2);
      return null;
    }
  }
}
