package dev.lakeline.jobs.cli;

import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.pipelines.ModelDefinition;
import dev.lakeline.jobs.pipelines.ModelFile;
import dev.lakeline.jobs.pipelines.TrainingPipeline;
import dev.lakeline.jobs.reports.ModelReport;
import dev.lakeline.training.ThresholdChoice;
import dev.lakeline.training.Trainer;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Training pipeline: point-in-time training dataset of the model file's view, its labelled rows before --date "
        + "(the demo: loans) → MLlib pipeline → new model version.")
final class TrainCommand extends JobCommand {
  @Option(names = "--date", required = true, paramLabel = "YYYY-MM-DD", converter = DateOption.class,
      description = "Logical date of the run (Airflow: {{ ds }}); training uses the labelled rows (the demo: loans) dated before "
          + "it minus training.label-delay-days.")
  LocalDate date;

  @Mixin ModelFileOption model;

  @Override
  Map<String, String> overrides() {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    model.addTo(m);
    return m;
  }

  @Override
  String logicalDate() {
    return date == null ? null : date.toString();
  }

  @Override
  String title() {
    return "train";
  }

  @Override
  boolean readsLakehouse() {
    return true;
  }

  @Override
  void checkConfig(dev.lakeline.core.config.LakelineConfig config) {
    dev.lakeline.jobs.pipelines.TrainingPipeline.checkConfig(config);
  }

  @Override
  List<String> plan(LakelineConfig config) {
    int delay = config.get(LakelineKeys.TRAINING_LABEL_DELAY_DAYS);
    int history = config.get(LakelineKeys.TRAINING_HISTORY_DAYS);
    ModelDefinition model = ModelFile.load(config.get(LakelineKeys.MODEL_FILE));
    return List.of(
        "logical date: " + date,
        "model file: " + config.get(LakelineKeys.MODEL_FILE) + " (feature view " + model.viewLabel() + ", label " + model.label() + ", "
            + (model.numericFeatures().size() + model.categoricalFeatures().size()) + " features)",
        "training dataset: feature view " + model.viewLabel() + ", labelled rows dated from " + date.minusDays(delay + history)
            + " to before " + date.minusDays(delay) + " (label delay " + delay + " days, history " + history + " days), test fraction "
            + config.get(LakelineKeys.TRAINING_TEST_FRACTION)
            + (config.get(LakelineKeys.TRAINING_VALIDATION_FRACTION) > 0
                ? ", validation fraction " + config.get(LakelineKeys.TRAINING_VALIDATION_FRACTION) : "")
            + ", seed " + config.get(LakelineKeys.TRAINING_SEED),
        "model: " + config.get(LakelineKeys.MODEL_NAME) + ", algorithm " + config.get(LakelineKeys.TRAINING_ALGORITHM)
            + search(config) + ", " + threshold(config)
            + (config.get(LakelineKeys.TRAINING_PROMOTE_ALIAS) == null || config.get(LakelineKeys.TRAINING_PROMOTE_ALIAS).isBlank()
                ? "" : ", then @" + config.get(LakelineKeys.TRAINING_PROMOTE_ALIAS)
                + " moves to it if its test AUC reaches " + config.get(LakelineKeys.TRAINING_MIN_AUC) + gates(config)
                + " and beats the current one's"));
  }

  /**
   * The hyperparameter search in words (", hyperparameters searched: regParam=0.001,0.01 on 3 folds of the train split
   * (6 fits, then one on every train row)"), or nothing.
   */
  private static String search(LakelineConfig config) {
    dev.lakeline.training.ParamSearch s = TrainingPipeline.search(config);
    return s == null ? "" : String.format(Locale.ROOT, ", hyperparameters searched: %s on %d folds of the train split (%d "
        + "fits, then one on every train row)", s.gridText(), s.folds(), s.combinations().size() * s.folds());
  }

  /** How the decision threshold is set, in words. */
  private static String threshold(LakelineConfig config) {
    ThresholdChoice choice = TrainingPipeline.thresholdChoice(config);
    String where = choice.outOfFold()
        ? "out-of-fold scores of the train split (" + choice.folds() + " folds, one more fit each)" : "the validation split";
    return switch (choice.kind()) {
      case BEST_F1 -> "threshold: the best F1 on " + where;
      case TARGET_RECALL -> "threshold: the highest that catches " + choice.targetRecall() + " of the positives on " + where;
      case MIN_COST -> "threshold: the lowest cost on " + where + ", a missed positive costing "
          + choice.falseNegativeCost() + " false alarms";
      case FIXED -> "threshold " + config.get(LakelineKeys.TRAINING_DECISION_THRESHOLD);
    };
  }

  /** The promotion's gates in words (", recall at least 0.5, precision at least 0.3"), or nothing. */
  private static String gates(LakelineConfig config) {
    StringBuilder out = new StringBuilder();
    dev.lakeline.jobs.pipelines.TrainingPipeline.policy(config).gates()
        .forEach((metric, bound) -> out.append(", ").append(metric).append(" at least ").append(bound));
    return out.toString();
  }

  @Override
  void run(JobContext ctx) {
    TrainingPipeline.Result r = ctx.summary().stage("training pipeline", () -> TrainingPipeline.run(ctx, date));
    report(ctx, r);
  }

  /**
   * How the threshold was chosen, when it was: " (best-f1 on 1,734 validation rows: precision … · F1 0.512)", or " (best-f1
   * on 6,906 train rows' out-of-fold scores, 5 folds: …)".
   */
  private static String chosen(Map<String, String> params, Map<String, Double> m) {
    String choice = params == null ? null : params.get("thresholdChoice");
    if (choice == null || choice.equals("fixed") || !m.containsKey("validation_rows")) {
      return "";
    }
    return String.format(Locale.ROOT, " (%s on %s: %s)", choice, ModelReport.choiceRows(params, m),
        ModelReport.validationMetrics(m));
  }

  /** The searched hyperparameters' values on the card ("regParam=0.001, elasticNetParam=0"): the chosen combination. */
  private static String searchChosen(Map<String, String> params) {
    List<String> out = new java.util.ArrayList<>();
    for (String name : dev.lakeline.training.ParamSearch.parse(params.get("searchGrid"), 2).grid().keySet()) {
      out.add(name + "=" + dev.lakeline.training.ParamSearch.number(Double.parseDouble(params.get(name))));
    }
    return String.join(", ", out);
  }

  static void report(JobContext ctx, TrainingPipeline.Result r) {
    Map<String, Double> m = r.model().card().metrics();
    ctx.summary().fact("training dataset", r.dataset().label() + " " + r.dataset().manifest().rowsPerSplit() + " → " + r.dataset().path());
    ctx.summary().fact("model", r.model().label() + (r.reused() ? " (already trained from these inputs)" : " (new)") + " → " + r.model().path());
    ctx.summary().fact(
        "test metrics",
        String.format(Locale.ROOT, "AUC %.3f · AUC-PR %.3f · accuracy %.3f · %d test rows",
            m.get("areaUnderROC"), m.get("areaUnderPR"), m.get("accuracy"), m.get("test_rows").longValue()));
    Map<String, String> params = r.model().card().params();
    if (params != null && params.containsKey("searchResults")) {
      ctx.summary().fact("search", String.format(Locale.ROOT, "%s chosen: mean AUC %.4f on %s folds of the train split (%s)",
          searchChosen(params), m.get("search_auc"), params.get("searchFolds"),
          dev.lakeline.training.ParamSearch.results(params.get("searchResults")).size()
              + " combinations; lakeline models show lists each"));
    }
    if (m.containsKey("logLoss")) { // a reused version trained before these metrics lacks them
      ctx.summary().fact("decisions", String.format(Locale.ROOT, "precision %s · recall %s predicting 1 above a score of %s",
          m.containsKey("precision") ? String.format(Locale.ROOT, "%.3f", m.get("precision")) : "undefined (none predicted positive)",
          m.containsKey("recall") ? String.format(Locale.ROOT, "%.3f", m.get("recall")) : "undefined (no positive rows)",
          String.valueOf(Trainer.threshold(r.model().card().params())) + chosen(r.model().card().params(), m)));
      ctx.summary().fact("probabilities", String.format(Locale.ROOT, "log loss %.3f · Brier score %.3f (lower is better)",
          m.get("logLoss"), m.get("brierScore")));
    }
    if (r.promotion() != null) {
      ctx.summary().fact("alias", r.promotion().reason());
    }
  }
}
