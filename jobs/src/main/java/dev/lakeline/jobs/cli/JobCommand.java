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

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Names this run in the job-runs log (_lakeline/job_runs; 'lakeline runs') and in the feature groups' "
          + "commits: Airflow passes its DAG, task, run and try. Default: a new random id.")
  String runId;

  /** Command-specific configuration overrides. */
  Map<String, String> overrides() {
    return Map.of();
  }

  abstract String title();

  /** The logical date the run is for ({@code D1..D2} for a range), or null; recorded in the job-runs log. */
  abstract String logicalDate();

  /** Checks the arguments before the configuration is loaded and Spark starts; throws a ConfigError. */
  void checkArguments() {}

  abstract void run(JobContext ctx);

  /**
   * Whether the job reads what earlier runs wrote, so that its lakehouse must exist ({@link JobContext#requireLakehouse});
   * false for the jobs that make one.
   */
  boolean readsLakehouse() {
    return false;
  }

  /** Checks the loaded configuration before Spark starts (also for {@code --dry-run}); throws a ConfigError. */
  void checkConfig(LakelineConfig config) {}

  /** What the job would do with {@code config}, one line each, for {@code --dry-run}; no Spark, no I/O. */
  List<String> plan(LakelineConfig config) {
    return List.of();
  }

  @Override
  public Integer call() {
    RunLog.checkRunId(runId);
    checkArguments();
    LakelineConfig config = common.load(overrides());
    checkConfig(config);
    PrintStream stdout = LakelineCli.stdout(spec);
    if (dryRun) {
      printPlan(stdout, config);
      return 0;
    }
    JobSummary summary = new JobSummary(stdout);
    RunLog log = RunLog.start(spec, runId, logicalDate(), config);
    try (JobContext ctx = JobContext.open(config, summary, log.runId());
        JobContext.Description described = ctx.describeJobs(spec.name()
            + (logicalDate() == null ? "" : " " + logicalDate()))) {
      stdout.printf(
          "Lakeline %s · lakehouse %s · Spark %s · time zone %s · run %s%n",
          title(), ctx.layout().root(), ctx.sessionMode(), ctx.spark().conf().get("spark.sql.session.timeZone"), log.runId());
      if (readsLakehouse()) {
        ctx.requireLakehouse(); // before the run is recorded: a failed-run record would make the folder a lakehouse
      }
      if (logicalDate() != null) {
        summary.fact("logical date", logicalDate()); // first, in every job's summary: what the run was for
      }
      try (Interruption signal = Interruption.watch(ctx.spark())) {
        try {
          run(ctx);
        } catch (Throwable e) { // also Spark's SparkException, checked to Java yet thrown undeclared
          if (signal.stopped()) { // Spark's jobs were cancelled for a Ctrl-C or kill: recorded as that, not as a bug
            // said first: the hook waits for the record only so long, and the JVM exits once this block ends
            LakelineCli.stderr(spec).println("error: " + Interruption.MESSAGE);
            LakelineCli.stderr(spec).flush();
            log.stopped(ctx, Interruption.MESSAGE, LakelineCli.stderr(spec));
            throw new Interruption.Stopped(e);
          } else {
            log.failed(ctx, e, LakelineCli.stderr(spec));
          }
          throw e;
        }
        summary.fact("lakehouse", ctx.layout().root());
        summary.fact("run", log.runId() + " (lakeline runs show " + log.runId() + ")");
        summary.print(title() + " summary");
        log.succeeded(ctx, LakelineCli.stderr(spec));
      }
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
    lines.add("run id: " + (runId == null ? "a new random id" : runId) + ", recorded in _lakeline/job_runs when the job ends");
    out.printf("Lakeline %s · dry run: the arguments and the configuration are valid; nothing was run.%n", title());
    for (String line : lines) {
      out.println("  " + line);
    }
  }
}
