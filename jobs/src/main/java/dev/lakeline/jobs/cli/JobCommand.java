package dev.lakeline.jobs.cli;

import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.JobSummary;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared shape of the job subcommands: load config, obtain the session, run, print the summary. */
abstract class JobCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  /** Command-specific configuration overrides. */
  Map<String, String> overrides() {
    return Map.of();
  }

  abstract String title();

  /** Checks the arguments before the configuration is loaded and Spark starts; throws a ConfigError. */
  void checkArguments() {}

  abstract void run(JobContext ctx);

  @Override
  public Integer call() {
    checkArguments();
    LakelineConfig config = common.load(overrides());
    PrintStream stdout = LakelineCli.stdout(spec);
    JobSummary summary = new JobSummary(stdout);
    try (JobContext ctx = JobContext.open(config, summary)) {
      stdout.printf(
          "Lakeline %s · lakehouse %s · Spark %s · time zone %s%n",
          title(), ctx.layout().root(), ctx.sessionMode(), ctx.spark().conf().get("spark.sql.session.timeZone"));
      run(ctx);
      summary.fact("lakehouse", ctx.layout().root());
      summary.print(title() + " summary");
    }
    return 0;
  }
}
