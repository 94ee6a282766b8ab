package dev.lakeline.jobs.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and captures what it printed. */
record Cli(int exitCode, String out, String err) {
  static Cli run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        LakelineCli.execute(
            args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code args} against a test lakehouse with the bundled configuration. */
  static Cli inLakehouse(dev.lakeline.testkit.TestLakehouse lh, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 4);
    all[args.length] = "--lakehouse";
    all[args.length + 1] = lh.uri();
    all[args.length + 2] = "--config";
    all[args.length + 3] = CommonOptions.BUNDLED_CONFIG;
    return run(all);
  }

  /** True when the error output holds a Java stack trace. */
  boolean hasStackTrace() {
    return err.contains("\tat ") || err.contains("Exception in thread");
  }
}
