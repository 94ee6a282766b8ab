package dev.lakeline.jobs.pipelines;

import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Names;
import dev.lakeline.core.Versions;
import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.runs.JobRun;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureView;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.featurestore.SplitSpec;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.featurestore.TrainingDatasetOptions;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.training.ClassWeight;
import dev.lakeline.training.DriftBaseline;
import dev.lakeline.training.ModelCard;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.training.ParamSearch;
import dev.lakeline.training.Promotion;
import dev.lakeline.training.PromotionPolicy;
import dev.lakeline.training.ScoreDistribution;
import dev.lakeline.training.ThresholdChoice;
import dev.lakeline.training.Trainer;
import dev.lakeline.training.TrainingSpec;
import dev.lakeline.transformations.Pipeline;
import dev.lakeline.transformations.PipelineSteps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The training pipeline: the feature view's point-in-time training dataset over the labelled window before the
 * logical date, an MLlib pipeline trained on it, and a new model version in the registry. The same inputs
 * reuse the existing dataset and model version.
 */
public final class TrainingPipeline {
  private TrainingPipeline() {}

  /**
   * The model version and the dataset it was trained on; {@code reused} when nothing new was trained; what was decided
   * about {@code training.promote-alias}, or null when none is configured.
   */
  public record Result(ModelVersion model, TrainingDataset dataset, boolean reused, Promotion promotion) {}

  /**
   * Checks what training reads from {@code config} before anything runs: the model's name, its model file and training.promote-alias
   * (otherwise found invalid only after a dataset was made and a version registered).
   */
  public static void checkConfig(LakelineConfig config) {
    Names.check("model", config.get(LakelineKeys.MODEL_NAME));
    ModelFile.load(config.get(LakelineKeys.MODEL_FILE));
    String alias = config.get(LakelineKeys.TRAINING_PROMOTE_ALIAS);
    if (alias != null && !alias.isBlank()) {
      try {
        ModelRegistry.checkAliasName(alias.trim());
      } catch (LakelineException.ConfigError e) {
        throw Errors.config("training.promote-alias: %s", e.getMessage());
      }
    }
    double validation = config.get(LakelineKeys.TRAINING_VALIDATION_FRACTION);
    double test = config.get(LakelineKeys.TRAINING_TEST_FRACTION);
    int folds = config.get(LakelineKeys.TRAINING_THRESHOLD_FOLDS);
    String choice = config.get(LakelineKeys.TRAINING_THRESHOLD_CHOICE);
    if (folds > 0 && ThresholdChoice.of(choice, 0.5).kind() == ThresholdChoice.Kind.FIXED) {
      throw Errors.config("training.threshold-folds %d chooses the threshold on out-of-fold scores, and "
          + "training.threshold-choice is fixed: there is nothing to choose. Set training.threshold-choice (best-f1, "
          + "target-recall or min-cost), or training.threshold-folds to 0.", folds);
    }
    if (folds == 1) {
      throw Errors.config("training.threshold-folds 1 would fit on no rows to score the one fold: use 2 to 20 folds (5 is "
          + "usual), or 0 to choose on the validation split.");
    }
    if (folds > 0 && validation > 0) {
      throw Errors.config("training.threshold-folds %d chooses the threshold on out-of-fold scores of the train split, and "
          + "training.validation-fraction %s holds out a validation split to choose it on: set one of them, not both "
          + "(training.validation-fraction: 0 to keep those rows for training).", folds, validation);
    }
    if (thresholdChoice(config).fromValidation() && validation == 0) {
      throw Errors.config("training.threshold-choice %s picks the threshold on the validation split, and "
          + "training.validation-fraction is 0. Set training.validation-fraction (for example 0.2), or "
          + "training.threshold-folds (for example 5) to choose on out-of-fold scores of the train split, or use "
          + "training.threshold-choice: fixed.", choice);
    }
    search(config); // a grid that does not parse: before anything runs
    if (validation + test > 0.9 + 1e-9) {
      throw Errors.config("training.validation-fraction %s and training.test-fraction %s leave %.0f%% of the rows to train "
          + "on; together they may take at most 0.9. Lower one of them.", validation, test, 100 * (1 - validation - test));
    }
  }

  /**
   * {@code training.threshold-choice} with its {@code training.target-recall} or {@code training.false-negative-cost}, on
   * {@code training.threshold-folds} folds when that is set.
   */
  public static ThresholdChoice thresholdChoice(LakelineConfig config) {
    ThresholdChoice choice = ThresholdChoice.of(config.get(LakelineKeys.TRAINING_THRESHOLD_CHOICE),
        config.get(LakelineKeys.TRAINING_TARGET_RECALL), config.get(LakelineKeys.TRAINING_FALSE_NEGATIVE_COST));
    int folds = config.get(LakelineKeys.TRAINING_THRESHOLD_FOLDS);
    return choice.kind() == ThresholdChoice.Kind.FIXED ? choice : choice.withFolds(folds);
  }

  /** {@code training.search.grid} on {@code training.search.folds} folds, or null when the grid is empty. */
  public static ParamSearch search(LakelineConfig config) {
    String grid = config.get(LakelineKeys.TRAINING_SEARCH_GRID);
    if (grid == null || grid.isBlank()) {
      return null;
    }
    try {
      return ParamSearch.parse(grid, config.get(LakelineKeys.TRAINING_SEARCH_FOLDS))
          .checkFor(config.get(LakelineKeys.TRAINING_ALGORITHM));
    } catch (LakelineException.ConfigError e) {
      throw Errors.config("training.search.grid: %s", e.getMessage());
    }
  }

  public static Result run(JobContext ctx, LocalDate date) {
    LakelineConfig conf = ctx.config();
    checkConfig(conf);
    ModelDefinition model = ModelFile.load(conf.get(LakelineKeys.MODEL_FILE));
    FeatureView stored = model.viewDefinition() == null ? view(ctx, model) : null;
    FeatureViewSpec viewSpec = stored != null ? stored.spec() : model.viewDefinition();
    FeatureGroup base = ctx.featureStore().getFeatureGroup(viewSpec.base().name(), viewSpec.base().version());
    StructType baseSchema = base.schema();
    model.check(viewSpec, base.spec(), baseSchema); // before the view is created from its file: a bad model file writes nothing
    FeatureView view = stored != null ? stored : view(ctx, model);
    LocalDate end = date.minusDays(conf.get(LakelineKeys.TRAINING_LABEL_DELAY_DAYS));
    LocalDate start = end.minusDays(conf.get(LakelineKeys.TRAINING_HISTORY_DAYS));
    String time = ModelDefinition.sql(base.spec().eventTime());
    // for the demo: issue_date >= DATE'…' AND issue_date < DATE'…' AND is_default IS NOT NULL (part of the dataset's identity)
    String filter = String.format("%s >= %s AND %s < %s AND %s IS NOT NULL", time, model.timeLiteral(base.spec(), baseSchema, start),
        time, model.timeLiteral(base.spec(), baseSchema, end), ModelDefinition.sql(model.label()));
    TrainingDataset td;
    try {
      td = view.createTrainingDataset(
          new TrainingDatasetOptions(filter, SplitSpec.random(conf.get(LakelineKeys.TRAINING_VALIDATION_FRACTION),
              conf.get(LakelineKeys.TRAINING_TEST_FRACTION)), conf.get(LakelineKeys.TRAINING_SEED)));
    } catch (LakelineException.DataRejected noSpine) { // the only rejection: no base row passes the filter
      throw Errors.rejected(
          "No labelled rows of feature view %s (%s of %s not null) have %s in [%s, %s) (the %d days before --date %s "
              + "minus training.label-delay-days), so there is nothing to train on. Nothing was written. Check the date, "
              + "training.history-days, and that the feature pipelines have run.",
          model.viewLabel(), model.label(), base.spec().name(), base.spec().eventTime(), start, end,
          conf.get(LakelineKeys.TRAINING_HISTORY_DAYS), date);
    }
    ctx.summary().progress("training dataset %s: %s rows by split%s", td.label(), td.manifest().rowsPerSplit(),
        td.existed() ? " (made before from the same Delta versions)" : "");
    long tdRows = td.manifest().rowsPerSplit().values().stream().mapToLong(Long::longValue).sum();
    ctx.summary().table(new JobRun.RunOutput("training dataset " + td.label(), td.dataPath(),
        DeltaCommits.currentVersion(ctx.spark(), td.dataPath()), tdRows, td.existed()));
    requireTestRows(ctx, td, tdRows);

    TrainingSpec spec = model.trainingSpec(conf.get(LakelineKeys.TRAINING_ALGORITHM), conf.get(LakelineKeys.TRAINING_SEED))
        .withTransformations(view.spec().transformations())
        .withThreshold(conf.get(LakelineKeys.TRAINING_DECISION_THRESHOLD))
        .withParams(hyperparameters(conf))
        .withClassWeight(ClassWeight.of(conf.get(LakelineKeys.TRAINING_CLASS_WEIGHT)))
        .withThresholdChoice(thresholdChoice(conf))
        .withSearch(search(conf)); // checked against the algorithm by checkConfig
    ParamSearch search = spec.search();
    String modelName = conf.get(LakelineKeys.MODEL_NAME);
    String runKey = runKey(td, spec, model.onDemand());
    ModelRegistry registry = ctx.registry();
    Optional<ModelVersion> existing = trainedBefore(registry, modelName, td, spec, model.onDemand());
    if (existing.isPresent()) {
      ctx.summary().progress("model %s was already trained from these inputs; reusing it", existing.get().label());
      return new Result(existing.get(), td, true,
          promoteReused(ctx, existing.get(), new SameRows(ctx, model, base.spec(), td, existing.get())));
    }
    Dataset<Row> train = model.onDemand().apply(td.train());
    Dataset<Row> validation = spec.thresholdChoice().fromValidation() ? model.onDemand().apply(td.validation()) : null;
    if (search != null) {
      ctx.summary().progress("searching %d combinations of %s on %d folds of the train split: %d fits, each scored (AUC) on the "
          + "fold left out", search.combinations().size(), search.gridText(), search.folds(),
          search.combinations().size() * search.folds());
    }
    if (spec.thresholdChoice().outOfFold()) {
      ctx.summary().progress("choosing the threshold (%s) on out-of-fold scores: %d folds, each scored by a fit on the others, "
          + "then the fit on every train row", spec.thresholdChoice().id(), spec.thresholdChoice().folds());
    }
    Trainer.Trained trained = Trainer.train(train, validation, model.onDemand().apply(td.test()), spec,
        line -> ctx.summary().progress("%s", line));
    ModelCard card = ModelCard.of(runKey, td, train.schema(), spec, trained, date.toString(), ctx.runId());
    DriftBaseline baseline = baseline(td, spec, model.onDemand(), trained.scores());
    ModelVersion version = registry.register(modelName, trained, card, baseline);
    if (!java.util.Objects.equals(version.card().runId(), ctx.runId())) { // another run of the same inputs registered it first
      ctx.summary().progress("model %s was trained from these inputs by run %s at the same time; reusing it, not registering a "
          + "second version", version.label(), version.card().runId());
      return new Result(version, td, true, promoteReused(ctx, version, new SameRows(ctx, model, base.spec(), td, version)));
    }
    ctx.summary().progress("registered %s: AUC %.3f on %d test rows", version.label(), trained.metrics().get("areaUnderROC"), trained.metrics().get("test_rows").longValue());
    return new Result(version, td, false, promote(ctx, version, new SameRows(ctx, model, base.spec(), td, version)));
  }

  /**
   * Warns of every empty split, and refuses a dataset without test rows: a model trained on it could not be evaluated
   * (no AUC for the registry, the promotion or monitoring), so no version is registered.
   */
  private static void requireTestRows(JobContext ctx, TrainingDataset td, long rows) {
    td.manifest().emptySplitWarnings().forEach(w -> ctx.summary().progress("warning: training dataset %s: %s", td.label(), w));
    if (td.manifest().rowsPerSplit().getOrDefault(SplitSpec.TEST, 0L) == 0) {
      throw Errors.rejected(
          "Training dataset %s has no test rows: training.test-fraction %s gave none of its %,d rows, so a model trained "
              + "on it could not be evaluated. No model version was registered. Raise training.test-fraction, or "
              + "training.history-days for more rows.",
          td.label(), td.manifest().identity().split().testFraction(), rows);
    }
  }

  /**
   * A rerun that reuses its version promotes it only if the alias never pointed at it: a first run that stopped before
   * promoting is finished, but an alias moved away from the version since (a rollback by hand) stays where it is.
   */
  private static Promotion promoteReused(JobContext ctx, ModelVersion version, SameRows sameRows) {
    String alias = ctx.config().get(LakelineKeys.TRAINING_PROMOTE_ALIAS);
    if (alias == null || alias.isBlank()) {
      return null;
    }
    String name = alias.trim();
    boolean pointedAtIt = ctx.registry().aliasLog(version.name()).stream()
        .anyMatch(m -> m.alias().equals(name) && Integer.valueOf(version.version()).equals(m.version()));
    Integer now = ctx.registry().aliases(version.name()).get(name);
    if (!pointedAtIt || (now != null && now == version.version())) {
      return promote(ctx, version, sameRows);
    }
    Promotion p = new Promotion(name, false, String.format(
        "%s stays %s: it was moved away from %s after this version was promoted; a rerun does not move it back",
        name, now == null ? "unset" : "v" + now, version.label()));
    ctx.summary().progress("%s", p.reason());
    return p;
  }

  /**
   * Moves {@code training.promote-alias} to the version if its test AUC reaches {@code training.min-auc}, its recall and
   * precision reach theirs ({@link #policy}), and it beats the alias's version on the same rows ({@link SameRows}); null
   * if no alias is configured.
   */
  private static Promotion promote(JobContext ctx, ModelVersion version, SameRows sameRows) {
    String alias = ctx.config().get(LakelineKeys.TRAINING_PROMOTE_ALIAS);
    if (alias == null || alias.isBlank()) {
      return null;
    }
    Promotion p = ctx.registry().promoteIfBetter(version.name(), alias.trim(), version.version(), policy(ctx.config()), sameRows);
    ctx.summary().progress("%s", p.reason());
    return p;
  }

  /**
   * What the new version must reach to take {@code training.promote-alias}: {@code training.min-auc}, and the recall and
   * precision minimums at its threshold when they are above 0.
   */
  public static PromotionPolicy policy(LakelineConfig conf) {
    PromotionPolicy policy = PromotionPolicy.of(SameRows.METRIC, conf.get(LakelineKeys.TRAINING_MIN_AUC));
    if (conf.get(LakelineKeys.TRAINING_MIN_RECALL) > 0) {
      policy = policy.withGate("recall", conf.get(LakelineKeys.TRAINING_MIN_RECALL));
    }
    if (conf.get(LakelineKeys.TRAINING_MIN_PRECISION) > 0) {
      policy = policy.withGate("precision", conf.get(LakelineKeys.TRAINING_MIN_PRECISION));
    }
    return policy;
  }

  /**
   * What monitoring measures batches against: the model's inputs on the training split (deciles and top categories),
   * and its scores on the test split.
   */
  public static DriftBaseline baseline(TrainingDataset td, TrainingSpec spec, Pipeline onDemand, ScoreDistribution scores) {
    return DriftBaseline.of(onDemand.apply(td.train()), spec.numericFeatures(), spec.categoricalFeatures(), scores);
  }

  /**
   * The model's feature view: created from the model file's view file when it does not exist yet (as {@code lakeline
   * fv create --file} would; the same definition is kept as it is, another one is a conflict), else the stored one.
   */
  static FeatureView view(JobContext ctx, ModelDefinition model) {
    if (model.viewDefinition() != null) {
      return ctx.featureStore().createFeatureView(model.viewDefinition());
    }
    try {
      return ctx.featureStore().getFeatureView(model.viewName(), model.viewVersion());
    } catch (LakelineException.NotFound e) {
      throw Errors.notFound("%s: %s Create it (lakeline fv create --file <view>.yaml), or name its file in the model file "
          + "(feature_view.file) for training to create it.", model.location(), e.getMessage());
    }
  }

  /** The configured hyperparameters of {@code training.algorithm}, by MLlib's names (TrainingSpec's). */
  static Map<String, Double> hyperparameters(LakelineConfig conf) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (conf.get(LakelineKeys.TRAINING_ALGORITHM).equals("gbt")) {
      out.put("maxIter", conf.get(LakelineKeys.TRAINING_GBT_MAX_ITER).doubleValue());
      out.put("maxDepth", conf.get(LakelineKeys.TRAINING_GBT_MAX_DEPTH).doubleValue());
      out.put("stepSize", conf.get(LakelineKeys.TRAINING_GBT_STEP_SIZE));
    } else {
      out.put("maxIter", conf.get(LakelineKeys.TRAINING_LR_MAX_ITER).doubleValue());
      out.put("regParam", conf.get(LakelineKeys.TRAINING_LR_REG_PARAM));
      out.put("elasticNetParam", conf.get(LakelineKeys.TRAINING_LR_ELASTIC_NET_PARAM));
    }
    return out;
  }

  /**
   * A digest of everything that determines the trained model, the on-demand steps included. The dataset is named by
   * its label ("loan_default v1 td1"), not by its path: a rerun in a lakehouse copied elsewhere, or reached by another
   * URI ({@code file:/lake} for {@code /lake}, {@code s3a://} for {@code s3://}), has the same inputs and reuses the version.
   */
  static String runKey(TrainingDataset td, TrainingSpec spec, Pipeline onDemand) {
    return runKey(td.label(), td, spec, onDemand);
  }

  /**
   * The version trained before from the same inputs, if any: by its run key, or, for a version whose key still named
   * the dataset by its path (as keys did before), by that key recomputed with the path in its card, when the card's
   * dataset is this one wherever the lakehouse was then.
   */
  static Optional<ModelVersion> trainedBefore(
      ModelRegistry registry, String model, TrainingDataset td, TrainingSpec spec, Pipeline onDemand) {
    return registry.findTrainedFrom(model, runKey(td, spec, onDemand), td.path(), path -> runKey(path, td, spec, onDemand));
  }

  /** The key with the dataset named by {@code dataset}; earlier keys named it by its path. */
  static String runKey(String dataset, TrainingDataset td, TrainingSpec spec, Pipeline onDemand) {
    String material = dataset + "|" + td.manifest().identity() + "|" + spec + "|" + PipelineSteps.toYaml(onDemand)
        + "|" + Versions.lakeline();
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
