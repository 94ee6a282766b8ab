package dev.lakeline.jobs.cli;

import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.pipelines.ModelFile;
import dev.lakeline.jobs.pipelines.InferencePipeline;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = "Batch inference: the rows of the model file's view (the demo: loans) in the window ending at --date, their features, scored by a model version, into the predictions table; the batch's drift against the model's training data into the monitoring_drift table.")
final class InferCommand extends JobCommand {
  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", converter = DateOption.class,
      description = "Logical date of the run (Airflow: {{ ds }}).")
  LocalDate date;

  @Option(names = "--model-version", paramLabel = "REF", description = "Model version: a number, latest, @alias (e.g. @champion) or best:<metric> (default from inference.model-version).")
  String modelVersion;

  @Option(names = "--window-days", paramLabel = "N",
      description = "Days of rows, ending with --date, to score (default from inference.window-days; the daily DAG: 1).")
  Integer windowDays;

  @Mixin ModelFileOption model;

  @Override
  Map<String, String> overrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (modelVersion != null) {
      m.put("inference.model-version", modelVersion);
    }
    if (windowDays != null) {
      m.put("inference.window-days", windowDays.toString());
    }
    model.addTo(m);
    return m;
  }

  @Override
  String logicalDate() {
    return date == null ? null : date.toString();
  }

  @Override
  String title() {
    return "infer";
  }

  @Override
  boolean readsLakehouse() {
    return true;
  }

  @Override
  void checkConfig(dev.lakeline.core.config.LakelineConfig config) {
    dev.lakeline.jobs.pipelines.InferencePipeline.checkConfig(config);
  }

  @Override
  List<String> plan(LakelineConfig config) {
    int window = config.get(LakelineKeys.INFERENCE_WINDOW_DAYS);
    return List.of(
        "logical date: " + date,
        "rows of feature view " + ModelFile.load(config.get(LakelineKeys.MODEL_FILE)).viewLabel() + " dated after "
            + date.minusDays(window) + " up to " + date + " (" + window + (window == 1 ? " day" : " days") + "), model file " + config.get(LakelineKeys.MODEL_FILE),
        "model: " + config.get(LakelineKeys.MODEL_NAME) + " version " + config.get(LakelineKeys.INFERENCE_MODEL_VERSION),
        "then: the batch's drift against the model's training data (PSI " + config.get(LakelineKeys.MONITORING_PSI_WARN) + " warn, "
            + config.get(LakelineKeys.MONITORING_PSI_ALERT) + " alert) → _lakeline/monitoring_drift");
  }

  @Override
  void run(JobContext ctx) {
    InferencePipeline.Result r = ctx.summary().stage("batch inference", () -> InferencePipeline.run(ctx, date));
    ctx.summary().fact("model", r.model().label());
    ctx.summary().fact("drift", r.rows() == 0 && r.drift().isEmpty() ? "not measured: nothing to score"
        : r.driftLine().substring("drift: ".length()));
  }
}
