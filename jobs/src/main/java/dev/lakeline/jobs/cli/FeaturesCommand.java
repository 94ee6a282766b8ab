package dev.lakeline.jobs.cli;

import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.loans.LoanFeaturePipeline;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = "Feature pipeline: raw sources up to --date → shared transformations → feature groups, each batch through its expectation suite.")
final class FeaturesCommand extends JobCommand {
  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", converter = DateOption.class,
      description = "Logical date of the run (Airflow: {{ ds }}).")
  LocalDate date;

  @Override
  String title() {
    return "features";
  }

  @Override
  void run(JobContext ctx) {
    ctx.summary().stage("feature pipeline", () -> LoanFeaturePipeline.run(ctx, date));
  }
}
