package dev.lakeline.jobs.cli;

import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.loans.LoanCatalog;
import dev.lakeline.jobs.pipelines.InferencePipeline;
import dev.lakeline.jobs.loans.LoanRawData;
import dev.lakeline.jobs.loans.SampleDataLock;
import dev.lakeline.jobs.pipelines.TrainingPipeline;
import dev.lakeline.jobs.pipelines.FeaturePipelines;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole loop on generated loan-approval data: raw data → the feature pipelines of conf/pipelines/ "
          + "(loans, credit_reports, card_spend) → feature groups (validated, on Delta) → "
          + "point-in-time training dataset → MLlib model version 1 → batch predictions on the latest loans, with their drift against the training data.",
      "A rerun with the same arguments changes nothing. One run of demo or generate per lakehouse at a time: another "
          + "one running there is a conflict (exit 5)."
    })
final class DemoCommand extends JobCommand {
  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      converter = DateOption.class,
      defaultValue = DateOption.DEMO_DEFAULT,
      description = "Logical date: data ends here, training stops 30 days before, inference scores the last 30 days. Default: ${DEFAULT-VALUE}.")
  LocalDate date;

  @Mixin SampleDataOptions sample;

  @Override
  Map<String, String> overrides() {
    Map<String, String> m = new java.util.LinkedHashMap<>(sample.overrides());
    // the demo's data is loans: its model is the bundled loan model, whatever model.file the configuration names
    m.put(dev.lakeline.core.config.LakelineKeys.MODEL_FILE.name(), dev.lakeline.jobs.pipelines.ModelDefinition.BUNDLED);
    return m;
  }

  @Override
  String logicalDate() {
    return date == null ? null : date.toString();
  }

  @Override
  String title() {
    return "demo";
  }

  @Override
  void checkConfig(dev.lakeline.core.config.LakelineConfig config) {
    dev.lakeline.jobs.pipelines.TrainingPipeline.checkConfig(config);
    dev.lakeline.jobs.pipelines.InferencePipeline.checkConfig(config);
  }

  @Override
  java.util.List<String> plan(dev.lakeline.core.config.LakelineConfig config) {
    return java.util.List.of(
        "logical date: " + date,
        "sample data: scale " + config.get(dev.lakeline.core.config.LakelineKeys.DEMO_SCALE) + ", seed "
            + config.get(dev.lakeline.core.config.LakelineKeys.DEMO_SEED),
        "then: features (" + String.join(", ", LoanCatalog.pipelines().stream().map(p -> p.name()).toList())
            + ") → train → infer, as the commands of the same names");
  }

  /**
   * inference.model-version (the champion) when it names a version for the demo's date; otherwise (a demo for an
   * earlier date than the champion's, whose training is a backfill that does not take the alias) the version the demo
   * just trained, which the summary says: the demo always scores.
   */
  private String scoredBy(JobContext ctx, TrainingPipeline.Result trained) {
    String configured = ctx.config().get(dev.lakeline.core.config.LakelineKeys.INFERENCE_MODEL_VERSION);
    try {
      ctx.registry().resolveAsOf(trained.model().name(), configured, date);
      return configured;
    } catch (dev.lakeline.core.LakelineException.NotFound none) {
      ctx.summary().progress("inference.model-version %s names no version for %s; the demo scores with %s, which it trained",
          configured.trim(), date, trained.model().label());
      return String.valueOf(trained.model().version());
    }
  }

  @Override
  void run(JobContext ctx) {
    // the whole loop: the raw data it writes is read by its feature pipelines, whose groups feed its training and
    // inference; no other demo or generate rewrites any of it meanwhile
    try (SampleDataLock lock = SampleDataLock.acquire(ctx, title())) {
      var s = ctx.summary();
      s.stage("generate sample data", () -> LoanRawData.write(ctx, date));
      s.stage("feature pipeline", () -> FeaturePipelines.run(ctx, LoanCatalog.pipelines(), date));
      TrainingPipeline.Result trained = s.stage("training pipeline", () -> TrainingPipeline.run(ctx, date));
      InferencePipeline.Result scored = s.stage("batch inference", () -> InferencePipeline.run(ctx, date, scoredBy(ctx, trained)));
      TrainCommand.report(ctx, trained);
      s.fact("predictions", String.format(Locale.ROOT, "%,d loans scored with %s (Delta v%d)", scored.rows(), scored.model().label(), scored.deltaVersion()));
      s.fact("drift", scored.driftLine().substring("drift: ".length()));
    }
  }
}
