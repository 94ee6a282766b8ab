package dev.lakeline.jobs.cli;

import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.JobSummary;
import dev.lakeline.core.config.LakelineKeys;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared shape of the job subcommands: load config, obtain the session, run, print the summary. */
abstract class JobCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--dry-run",
      description = "Parse the arguments, load and check the configuration and the job's files, print the plan, "
          + "and stop: no Spark session, nothing read or written (what Airflow's rendered arguments are tested with).")
  boolean dryRun;

  /** Command-specific configuration overrides. */
  Map<String, String> overrides() {
    return Map.of();
  }

  abstract String title();

  /** Checks the arguments before the configuration is loaded and Spark starts; throws a ConfigError. */
  void checkArguments() {}

  abstract void run(JobContext ctx);

  /** What the job would do with {@code config}, one line each, for {@code --dry-run}; no Spark, no I/O. */
  List<String> plan(LakelineConfig config) {
    return List.of();
  }

  @Override
  public Integer call() {
    checkArguments();
    LakelineConfig config = common.load(overrides());
    PrintStream stdout = LakelineCli.stdout(spec);
    if (dryRun) {
      printPlan(stdout, config);
      return 0;
    }
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

  private void printPlan(PrintStream out, LakelineConfig config) {
    List<String> lines = new ArrayList<>();
    lines.add("configuration: " + common.configLocation() + " (profile " + config.profile() + ")");
    lines.add("lakehouse: " + config.lakehouseRoot());
    lines.add("spark: master " + config.get(LakelineKeys.SPARK_MASTER) + " (an existing session is used when there is one), "
        + config.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS) + " shuffle partitions");
    lines.addAll(plan(config));
    out.printf("Lakeline %s · dry run: the arguments and the configuration are valid; nothing was run.%n", title());
    for (String line : lines) {
      out.println("  " + line);
    }
  }
}
