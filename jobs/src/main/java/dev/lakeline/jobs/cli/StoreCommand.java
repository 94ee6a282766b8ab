package dev.lakeline.jobs.cli;

import dev.lakeline.core.Errors;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.JobSummary;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on the store directly (no job summary): load config, take the session, run. */
abstract class StoreCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  abstract void run(JobContext ctx, PrintStream out);

  /** Whether the lakehouse must exist already ({@link JobContext#requireLakehouse}); false for commands that make one. */
  boolean readsLakehouse() {
    return true;
  }

  /** A {@code --limit} below 1 would print nothing, or a table's header alone: a usage error that names the option. */
  static void requireLimit(int limit, String what) {
    if (limit < 1) {
      throw Errors.config("--limit must be 1 or more (the %s to print); got %d.", what, limit);
    }
  }

  /** Checks of the arguments alone, made before the configuration is loaded and the session started. */
  void checkArguments() {}

  /** Configuration the command's own options set (a {@code --model-file} as model.file), over the files'. */
  java.util.Map<String, String> overrides() {
    return java.util.Map.of();
  }

  @Override
  public Integer call() {
    checkArguments();
    PrintStream out = LakelineCli.stdout(spec);
    try (JobContext ctx = JobContext.open(common.load(overrides()), new JobSummary(out))) {
      if (readsLakehouse()) {
        ctx.requireLakehouse();
      }
      run(ctx, out);
    }
    return 0;
  }
}
