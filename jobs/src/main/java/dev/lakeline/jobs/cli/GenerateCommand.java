package dev.lakeline.jobs.cli;

import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.loans.LoanRawData;
import dev.lakeline.jobs.loans.SampleDataLock;
import java.time.LocalDate;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Writes seeded sample raw data (loans, credit reports, card transactions) ending at --date to <lakehouse>/raw/. "
        + "One run of generate or demo per lakehouse at a time: another one running there is a conflict (exit 5).")
final class GenerateCommand extends JobCommand {
  @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = DateOption.class, defaultValue = DateOption.DEMO_DEFAULT,
      description = "Last day of the generated data. Default: ${DEFAULT-VALUE}.")
  LocalDate date;

  @Mixin SampleDataOptions sample;

  @Override
  Map<String, String> overrides() {
    return sample.overrides();
  }

  @Override
  String logicalDate() {
    return date == null ? null : date.toString();
  }

  @Override
  String title() {
    return "generate";
  }

  @Override
  java.util.List<String> plan(dev.lakeline.core.config.LakelineConfig config) {
    return java.util.List.of(
        "logical date: " + date + " (the generated data ends on it)",
        "sample data: scale " + config.get(dev.lakeline.core.config.LakelineKeys.DEMO_SCALE) + ", seed "
            + config.get(dev.lakeline.core.config.LakelineKeys.DEMO_SEED)
            + " → <lakehouse>/raw/ (loans, credit_reports, card_transactions)");
  }

  @Override
  void run(JobContext ctx) {
    try (SampleDataLock lock = SampleDataLock.acquire(ctx, title())) { // one writer of <lakehouse>/raw/ at a time
      ctx.summary().stage("generate sample data", () -> LoanRawData.write(ctx, date));
    }
  }
}
