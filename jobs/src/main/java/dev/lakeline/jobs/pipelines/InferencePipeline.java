package dev.lakeline.jobs.pipelines;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lakeline.core.Errors;
import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.runs.JobRun;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureView;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.training.BatchScorer;
import dev.lakeline.training.FeatureDrift;
import dev.lakeline.training.ModelRegistry;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.validation.ValidationResult;
import dev.lakeline.validation.Validator;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The batch-inference pipeline: the rows of the model file's view in the window ending at the logical date (the demo:
 * loan applications), their features from the same feature view as training, scored by the configured model version,
 * validated, and written to the predictions table as the slice of that date (a rerun replaces the slice, or changes
 * nothing); the batch's drift against the model's training data goes to the monitoring table ({@link
 * ModelMonitoring#recordDrift}).
 */
public final class InferencePipeline {
  private InferencePipeline() {}

  /**
   * What the model scores: the feature view's rows whose base event time falls in the window of
   * inference.window-days ending with {@code date} (its UTC days), with the on-demand features computed by the same
   * steps as at training time (the model file's {@code on_demand}).
   */
  public static Dataset<Row> features(JobContext ctx, LocalDate date) {
    ModelDefinition model = ModelFile.load(ctx.config().get(LakelineKeys.MODEL_FILE));
    return features(ctx, model, view(ctx, model), date).data();
  }

  /** The view's rows of the window ending at {@code date}, with the Delta version of every group they were read at. */
  private static FeatureView.FeatureFrame features(JobContext ctx, ModelDefinition model, FeatureView view, LocalDate date) {
    int window = ctx.config().get(LakelineKeys.INFERENCE_WINDOW_DAYS);
    java.time.Instant start = date.minusDays(window - 1L).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    java.time.Instant end = date.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    FeatureView.FeatureFrame frame = view.batchData(start, end);
    return new FeatureView.FeatureFrame(model.onDemand().apply(frame.data()), frame.sourceVersions());
  }

  /**
   * What a predictions commit records beside the run id ({@code lakeline.*} in its userMetadata), so that lineage can
   * say what each date's predictions were made from: {@code model_version}, and {@code feature_versions}, the Delta
   * version of every feature group read, as JSON ({@code {"loans v1":3,…}}).
   */
  static Map<String, String> commitMetadata(JobContext ctx, ModelVersion model, Map<String, Long> sourceVersions) {
    Map<String, String> m = new java.util.LinkedHashMap<>(ctx.commitMetadata());
    m.put(MODEL_VERSION_KEY, Integer.toString(model.version()));
    try {
      m.put(FEATURE_VERSIONS_KEY, JSON.writeValueAsString(new java.util.TreeMap<>(sourceVersions)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the feature versions as JSON", e);
    }
    return m;
  }

  /** The batch id of model {@code model}'s predictions of a date, up to the date ({@code infer:<model>:}). */
  public static String batchPrefix(String model) {
    return "infer:" + model + ":";
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** The userMetadata entry (after {@code lakeline.}) of a predictions commit that names the model version. */
  public static final String MODEL_VERSION_KEY = "model_version";

  /** The userMetadata entry (after {@code lakeline.}) of a predictions commit that gives the groups' Delta versions. */
  public static final String FEATURE_VERSIONS_KEY = "feature_versions";

  /** The model's feature view, which training made; not found, naming the model file, before the first training. */
  private static FeatureView view(JobContext ctx, ModelDefinition model) {
    try {
      return ctx.featureStore().getFeatureView(model.viewName(), model.viewVersion());
    } catch (dev.lakeline.core.LakelineException.NotFound e) {
      throw Errors.notFound("%s %s Train a model version first (lakeline train --date <day>), which creates it from the "
          + "model file, or create it (lakeline fv create --file <view>.yaml).", model.location() + ":", e.getMessage());
    }
  }

  /**
   * What was written, and the batch's drift against the model's training data with the summary's line for it
   * ({@link ModelMonitoring#driftLine}; on a day with nothing to score, the line of no features).
   */
  public record Result(ModelVersion model, String path, long deltaVersion, long rows, boolean skipped, List<FeatureDrift> drift,
      String driftLine) {}

  /**
   * Checks what inference reads from {@code config} before anything runs: the model's name, the form of
   * inference.model-version, and the drift thresholds (checked only after the predictions' commit otherwise).
   */
  public static void checkConfig(dev.lakeline.core.config.LakelineConfig config) {
    ModelMonitoring.checkConfig(config);
    ModelRegistry.checkReference(config.get(LakelineKeys.INFERENCE_MODEL_VERSION));
  }

  /** How far back the base group's history is searched for the date of its latest dated batch. */
  private static final int DATED_BATCH_LOOKBACK = 50;

  /** A batch id that ends in a date, as a feature pipeline's ({@code features:loans:loans:2024-06-30}). */
  private static final java.util.regex.Pattern DATED_BATCH = java.util.regex.Pattern.compile(".*:(\\d{4}-\\d{2}-\\d{2})");

  /**
   * The logical date of the newest batch of the base group whose id ends in a date (a feature pipeline's run, {@code
   * features:loans:loans:2024-06-30}), or null when none of its recent commits has such an id (rows inserted by hand).
   */
  static LocalDate writtenFor(FeatureGroup base) {
    for (dev.lakeline.featurestore.CommitInfo c : base.history(DATED_BATCH_LOOKBACK)) {
      LocalDate dated = batchDate(c);
      if (dated != null) {
        return dated;
      }
    }
    return null;
  }

  /**
   * The Delta version of the base group as it was written for {@code date}: the newest commit of the latest batch dated
   * {@code date} or before (a backfill of an earlier date, committed since, is not it), or null when none of its recent
   * commits has such a batch.
   */
  static Long versionWrittenFor(FeatureGroup base, LocalDate date) {
    LocalDate best = null;
    Long version = null;
    for (dev.lakeline.featurestore.CommitInfo c : base.history(DATED_BATCH_LOOKBACK)) { // newest first
      LocalDate dated = batchDate(c);
      if (dated != null && !dated.isAfter(date) && (best == null || dated.isAfter(best))) {
        best = dated;
        version = c.version();
      }
    }
    return version;
  }

  /** The date a commit's batch id ends in, or null. */
  private static LocalDate batchDate(dev.lakeline.featurestore.CommitInfo c) {
    java.util.regex.Matcher m = c.batchId() == null ? null : DATED_BATCH.matcher(c.batchId());
    if (m != null && m.matches()) {
      try {
        return LocalDate.parse(m.group(1));
      } catch (java.time.format.DateTimeParseException notADate) {
        return null; // an id that only looks dated
      }
    }
    return null;
  }

  /**
   * Whether an empty window is a quiet day, which a daily schedule meets (a day without applications): the base group
   * was written for the date or later, so the window's rows would be in it, and it holds rows dated before the window,
   * so the date is not before its data.
   */
  private static boolean quietDay(ModelDefinition definition, FeatureGroup base, LocalDate date, int window) {
    LocalDate writtenFor = writtenFor(base);
    if (writtenFor == null || writtenFor.isBefore(date)) {
      return false;
    }
    String before = ModelDefinition.sql(base.spec().eventTime()) + " < "
        + definition.timeLiteral(base.spec(), base.schema(), date.minusDays(window - 1L));
    return !base.read().where(org.apache.spark.sql.functions.expr(before)).isEmpty();
  }

  /**
   * Rejects a run for a date after the one the base group was last written for: the window's latest rows would be
   * missing, and the partial batch would be written as the date's predictions, and its drift measured, as if whole.
   */
  private static void requireWrittenFor(FeatureGroup base, LocalDate date) {
    LocalDate writtenFor = writtenFor(base);
    if (writtenFor != null && writtenFor.isBefore(date)) {
      throw Errors.rejected(
          "Feature group %s was last written for %s, before %s: its rows after %s are not in it, so the batch "
              + "would be incomplete. Nothing was written. Run the feature pipelines for that date first "
              + "(lakeline features --date %s).",
          base.spec().name(), writtenFor, date, writtenFor, date);
    }
  }

  /**
   * Says so when {@code latest} or {@code best:} chose a version other than the one training promoted ({@code
   * training.promote-alias}): the version that did not pass the promotion, or did not beat the alias's version, scores
   * the batch, which the summary otherwise never shows. An exact version or an alias is the caller's choice.
   */
  private static void warnIfNotPromoted(JobContext ctx, String configured, ModelVersion model, LocalDate date) {
    String reference = configured.trim();
    String alias = ctx.config().get(LakelineKeys.TRAINING_PROMOTE_ALIAS);
    if (alias == null || alias.isBlank() || !(reference.equals("latest") || reference.startsWith("best:"))) {
      return;
    }
    Integer promoted;
    try { // the alias's version as of the job's date, as @alias would score
      promoted = ctx.registry().resolveAsOf(model.name(), "@" + alias.trim(), date).version();
    } catch (dev.lakeline.core.LakelineException.NotFound none) {
      promoted = null;
    }
    if (promoted != null && promoted != model.version()) {
      ctx.summary().progress(
          "warning: %s is %s, but training.promote-alias @%s is v%d: this batch is scored by a version that training did "
              + "not promote. Set inference.model-version to @%s to score only with promoted versions.",
          reference, model.label(), alias.trim(), promoted, alias.trim());
    }
  }

  /**
   * Refuses a batch whose column has another type than the predictions table's column of the same name (a kept column
   * or id whose type changed in the view, a base group's event time of another type): Delta cannot change a column's
   * type in place, so nothing is written, and the message names the column and what to do.
   */
  private static void requireTableTypes(
      JobContext ctx, String path, StructType batch, ModelDefinition definition, FeatureGroupSpec base) {
    if (!DeltaCommits.exists(ctx.spark(), path)) {
      return;
    }
    StructType table = ctx.spark().read().format("delta").load(path).schema();
    for (StructField f : batch.fields()) {
      for (StructField t : table.fields()) {
        if (t.name().equalsIgnoreCase(f.name()) && !t.dataType().sameType(f.dataType())) {
          boolean kept = definition.keepColumns().stream().anyMatch(k -> k.equalsIgnoreCase(f.name()));
          String origin = kept ? "a kept column (keep_columns of " + definition.location() + ")"
              : definition.ids(base).stream().anyMatch(k -> k.equalsIgnoreCase(f.name())) ? "an id (id_columns of "
                  + definition.location() + ", by default the base group's key)"
              : f.name().equalsIgnoreCase(base.eventTime()) ? "the event time of the base group " + base.label()
              : "a column Lakeline writes";
          String newTable = "start a new table: move " + path + " aside (monitor then sees only the runs written after)";
          throw Errors.config(
              "The predictions table %s has the column '%s' as %s (written by earlier runs), but this batch's '%s' is %s, %s. "
                  + "A Delta table's column keeps its type, so nothing was written. %s.",
              path, t.name(), t.dataType().simpleString(), f.name(), f.dataType().simpleString(), origin,
              kept ? "Remove it from keep_columns (its earlier values stay in the table), or " + newTable
                  : Character.toUpperCase(newTable.charAt(0)) + newTable.substring(1));
        }
      }
    }
  }

  public static Result run(JobContext ctx, LocalDate date) {
    return run(ctx, date, ctx.config().get(LakelineKeys.INFERENCE_MODEL_VERSION));
  }

  /** As {@link #run(JobContext, LocalDate)}, scored by the version {@code reference} names, not inference.model-version's. */
  public static Result run(JobContext ctx, LocalDate date, String reference) {
    checkConfig(ctx.config());
    ModelRegistry.checkReference(reference);
    String modelName = ctx.config().get(LakelineKeys.MODEL_NAME);
    ModelDefinition definition = ModelFile.load(ctx.config().get(LakelineKeys.MODEL_FILE));
    FeatureView view = view(ctx, definition);
    FeatureGroup base = ctx.featureStore().getFeatureGroup(view.spec().base().name(), view.spec().base().version());
    definition.check(view.spec(), base.spec(), base.schema());
    // latest, best: and @alias: as of this date (versions trained for it or before), so a rerun scores with the same model
    ModelVersion model = ctx.registry().resolveAsOf(modelName, reference, date);
    warnIfNotPromoted(ctx, reference, model, date);
    FeatureView.FeatureFrame frame = features(ctx, definition, view, date);
    Dataset<Row> features = frame.data();
    // the scores beside every input column: the predictions are a projection, the drift is measured on the inputs
    Dataset<Row> scored =
        BatchScorer.score(model, features, List.of(features.columns())).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> predictions =
        scored.select(definition.predictionColumns(base.spec()).stream().map(c -> col("`" + c + "`")).toArray(Column[]::new))
            .withColumn("run_date", lit(java.sql.Date.valueOf(date)));
    String path = ctx.layout().predictions(modelName);
    try {
      requireTableTypes(ctx, path, predictions.schema(), definition, base.spec()); // before the batch is computed
      if (predictions.isEmpty()) {
        int window = ctx.config().get(LakelineKeys.INFERENCE_WINDOW_DAYS);
        String time = base.spec().eventTime();
        if (quietDay(definition, base, date, window)) {
          ctx.summary().progress("nothing to score for %s: feature group %s, written for %s or later, holds no rows with %s in "
              + "(%s, %s]; nothing was written", date, base.spec().name(), date, time, date.minusDays(window), date);
          return new Result(model, path, -1, 0, true, List.of(), ModelMonitoring.driftLine(List.of(), ModelMonitoring.thresholds(ctx)));
        }
        // otherwise nothing to score is no result: the features of the date have not run, a backfill rewound the
        // groups to an earlier date, or the date is before the group's rows; committing it would replace the date's
        // predictions with none
        Row latest = base.read().agg(org.apache.spark.sql.functions.max(col("`" + time + "`"))).first();
        throw Errors.rejected(
            "Nothing to score for %s: feature group %s holds no rows with %s in (%s, %s] (its latest %s: %s). "
                + "Nothing was written. Run the feature pipelines for that date first (lakeline features --date %s): "
                + "a feature run for an earlier date rewrites the groups as of that date.",
            date, base.spec().name(), time, date.minusDays(window), date, time, latest.isNullAt(0) ? "none" : latest.get(0), date);
      }
      requireWrittenFor(base, date);
      dev.lakeline.validation.ExpectationSuite suite = definition.suite(base.spec());
      ValidationResult validation = Validator.validate(predictions, suite);
      if (!validation.errors().isEmpty()) {
        throw Errors.rejected(
            "Predictions of %s for %s were rejected by suite '%s'; nothing was written.%n%s",
            model.label(), date, suite.name(), validation.failureSummary());
      }
      // a column kept since the table was made is added to it in the same commit; one no longer kept is null
      CommitResult commit =
          DeltaCommits.commit(
              ctx.spark(),
              CommitRequest.replaceWhere(path, predictions, "run_date = DATE'" + date + "'", batchPrefix(modelName) + date)
                  .withPartitionColumns(List.of("run_date")).withMetadata(commitMetadata(ctx, model, frame.sourceVersions()))
                  .withMergeSchema());
      ctx.summary()
          .progress("scored %,d rows with %s → %s (Delta v%d)%s", commit.rows(), model.label(), path, commit.version(), commit.skipped() ? " (unchanged)" : "");
      ctx.summary().table(new JobRun.RunOutput("predictions " + modelName, path, commit.version(), commit.rows(), commit.skipped()));
      ModelMonitoring.RecordedDrift drift = ModelMonitoring.recordDrift(ctx, definition, model, scored, date);
      return new Result(model, path, commit.version(), commit.rows(), commit.skipped(), drift.drift(), drift.line());
    } finally {
      scored.unpersist();
    }
  }
}
