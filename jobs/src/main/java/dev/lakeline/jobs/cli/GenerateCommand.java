package dev.lakeline.jobs.cli;

import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.loans.LoanRawData;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Writes seeded sample raw data (loans, credit reports, card transactions) ending at --date to <lakehouse>/raw/.")
final class GenerateCommand extends JobCommand {
  @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = DateOption.class, defaultValue = DateOption.DEMO_DEFAULT,
      description = "Last day of the generated data. Default: ${DEFAULT-VALUE}.")
  LocalDate date;

  @Option(names = "--scale", paramLabel = "X", description = "Data size: 1.0 = 10,000 loans (default from demo.scale).")
  Double scale;

  @Option(names = "--seed", paramLabel = "N", description = "Generator seed (default from demo.seed).")
  Long seed;

  @Override
  Map<String, String> overrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (scale != null) {
      m.put(LakelineKeys.DEMO_SCALE.name(), scale.toString());
    }
    if (seed != null) {
      m.put(LakelineKeys.DEMO_SEED.name(), seed.toString());
    }
    return m;
  }

  @Override
  String title() {
    return "generate";
  }

  @Override
  void run(JobContext ctx) {
    ctx.summary().stage("generate sample data", () -> LoanRawData.write(ctx, date, ctx.config().get(LakelineKeys.DEMO_SCALE), ctx.config().get(LakelineKeys.DEMO_SEED)));
  }
}
