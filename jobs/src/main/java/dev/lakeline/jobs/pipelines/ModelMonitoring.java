package dev.lakeline.jobs.pipelines;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import dev.lakeline.core.Errors;
import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.CommitResult;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.runs.JobRun;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.training.BatchScorer;
import dev.lakeline.training.Drift;
import dev.lakeline.training.DriftBaseline;
import dev.lakeline.training.DriftThresholds;
import dev.lakeline.training.FeatureDrift;
import dev.lakeline.training.FeatureProfile;
import dev.lakeline.training.PermutationImportance;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.training.ScoreDistribution;
import dev.lakeline.training.TrainingSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Monitoring of a model's batch predictions (the demo's: the loan model's). Batch inference measures each batch's drift
 * against the model version's training data ({@link #recordDrift}: one row per feature and one for the scores, in the
 * {@code monitoring_drift} table); {@code lakeline monitor} later joins the labels known by its date to the predictions of
 * the runs before it and measures how well each run's predictions did ({@link #run}: the {@code
 * monitoring_performance} table). Both tables are Delta tables under {@code _lakeline/}; both writes replace the
 * slice of their runs, so a rerun changes nothing or brings the slice up to date.
 */
public final class ModelMonitoring {
  public static final String DRIFT_TABLE = "monitoring_drift";
  public static final String PERFORMANCE_TABLE = "monitoring_performance";
  /** The label of the null bin in the drift table's bins. */
  public static final String NULL_BIN = "null";

  static final StructType DRIFT_SCHEMA = new StructType()
      .add("model_name", DataTypes.StringType, false)
      .add("model_version", DataTypes.IntegerType, false)
      .add("run_date", DataTypes.DateType, false)
      .add("position", DataTypes.IntegerType, false)
      .add("feature", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("rows", DataTypes.LongType, false)
      .add("psi", DataTypes.DoubleType, false)
      .add("max_gap", DataTypes.DoubleType, false)
      .add("baseline_null_rate", DataTypes.DoubleType, false)
      .add("null_rate", DataTypes.DoubleType, false)
      .add("status", DataTypes.StringType, false)
      .add("bins", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("baseline_counts", DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add("counts", DataTypes.createArrayType(DataTypes.LongType, false), false);

  static final StructType PERFORMANCE_SCHEMA = new StructType()
      .add("model_name", DataTypes.StringType, false)
      .add("model_version", DataTypes.IntegerType, false)
      .add("run_date", DataTypes.DateType, false)
      .add("labels_as_of", DataTypes.DateType, false)
      .add("rows", DataTypes.LongType, false)
      .add("labelled", DataTypes.LongType, false)
      .add("positives", DataTypes.LongType, false)
      .add("auc", DataTypes.DoubleType, true)
      .add("test_auc", DataTypes.DoubleType, true)
      .add("accuracy", DataTypes.DoubleType, true)
      .add("precision", DataTypes.DoubleType, true)
      .add("recall", DataTypes.DoubleType, true)
      .add("mean_score", DataTypes.DoubleType, true);

  private ModelMonitoring() {}

  /** How drift is judged, from monitoring.psi-warn, monitoring.psi-alert and monitoring.min-rows (checked). */
  public static DriftThresholds thresholds(JobContext ctx) {
    return thresholds(ctx.config());
  }

  /** The drift thresholds of {@code config}; a config error when the warning one is above the alert one. */
  public static DriftThresholds thresholds(dev.lakeline.core.config.LakelineConfig config) {
    double warn = config.get(LakelineKeys.MONITORING_PSI_WARN);
    double alert = config.get(LakelineKeys.MONITORING_PSI_ALERT);
    if (warn > alert) {
      throw Errors.config(
          "monitoring.psi-warn (%s) is above monitoring.psi-alert (%s); the warning threshold must be the lower one.", warn, alert);
    }
    return new DriftThresholds(warn, alert, config.get(LakelineKeys.MONITORING_MIN_ROWS));
  }

  /**
   * Checks what monitoring reads from {@code config} before anything runs: the model's name, its model file and the
   * thresholds.
   * Called by the commands before Spark starts (and by {@code --dry-run}).
   */
  public static void checkConfig(dev.lakeline.core.config.LakelineConfig config) {
    dev.lakeline.core.Names.check("model", config.get(LakelineKeys.MODEL_NAME));
    ModelFile.load(config.get(LakelineKeys.MODEL_FILE));
    thresholds(config);
  }

  /**
   * The drift of one scored batch (the model's input columns and {@code score}) against {@code model}'s baseline,
   * written to the drift table as the slice of ({@code model}'s name, {@code date}). A version registered before
   * baselines were kept gets one from its training dataset first (kept with it, so the next batch reads it). Returns the
   * drift with its summary line, as the job printed it.
   */
  public static RecordedDrift recordDrift(
      JobContext ctx, ModelDefinition definition, ModelVersion model, Dataset<Row> scored, LocalDate date) {
    DriftThresholds t = thresholds(ctx);
    DriftBaseline baseline = baseline(ctx, definition, model);
    List<FeatureProfile> shapes = baseline.profilesFor(scored);
    List<FeatureProfile> current = FeatureProfile.measure(scored, shapes);
    List<FeatureDrift> drift = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      FeatureProfile b = shapes.get(i);
      FeatureDrift d = Drift.compare(b, current.get(i), t);
      drift.add(d);
      List<String> bins = new ArrayList<>(b.binLabels());
      bins.add(NULL_BIN);
      rows.add(RowFactory.create(
          model.name(), model.version(), Date.valueOf(date), i, d.feature(), d.kind(), d.rows(), d.psi(), d.maxGap(),
          d.baselineNullRate(), d.nullRate(), d.status(), bins.toArray(String[]::new), b.countsWithNulls(), current.get(i).countsWithNulls()));
    }
    String path = ctx.layout().system(DRIFT_TABLE);
    CommitResult commit = DeltaCommits.commit(
        ctx.spark(),
        CommitRequest.replaceWhere(
            path, ctx.spark().createDataFrame(rows, DRIFT_SCHEMA),
            String.format("model_name = '%s' AND run_date = DATE'%s'", model.name(), date), "drift:" + model.name() + ":" + date)
            .withMetadata(ctx.commitMetadata()));
    ctx.summary().table(new JobRun.RunOutput("drift " + model.name(), path, commit.version(), commit.rows(), commit.skipped()));
    String line = driftLine(drift, t, drops(ctx, model));
    ctx.summary().progress("%s", line);
    return new RecordedDrift(drift, line);
  }

  /** A batch's drift, one per feature and the scores, and its line ({@link #driftLine}) with the kept AUC drops. */
  public record RecordedDrift(List<FeatureDrift> drift, String line) {}

  /**
   * "drift: 0 of 12 features at warn or alert; scores PSI 0.012 (ok)", or, for a batch too small to judge, "drift: not
   * judged, 21 rows (fewer than monitoring.min-rows, 200); the largest PSI 0.93 (score)".
   */
  public static String driftLine(List<FeatureDrift> drift, DriftThresholds thresholds) {
    return driftLine(drift, thresholds, Map.of());
  }

  /**
   * {@link #driftLine(List, DriftThresholds)}, each feature at warn or alert with its AUC drop when {@code drops} has it
   * (the version's kept permutation importance, {@link #drops}): "spend_count_30d PSI 0.366 (alert, AUC drop 0.000)",
   * so that a drifted feature the model hardly reads reads as such.
   */
  public static String driftLine(List<FeatureDrift> drift, DriftThresholds thresholds, Map<String, Double> drops) {
    if (!drift.isEmpty() && drift.stream().allMatch(d -> d.status().equals(FeatureDrift.FEW_ROWS))) {
      FeatureDrift top = drift.stream().max((a, b) -> Double.compare(a.psi(), b.psi())).orElseThrow();
      return String.format(Locale.ROOT, "drift: not judged, %,d rows (fewer than monitoring.min-rows, %,d); the largest PSI %.3f (%s)",
          top.rows(), thresholds.minRows(), top.psi(), top.feature());
    }
    long flagged = drift.stream().filter(d -> !d.feature().equals(BatchScorer.SCORE) && flagged(d)).count();
    long features = drift.stream().filter(d -> !d.feature().equals(BatchScorer.SCORE)).count();
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "drift: %d of %d features at warn or alert", flagged, features));
    drift.stream().filter(d -> !d.feature().equals(BatchScorer.SCORE) && flagged(d))
        .sorted((a, b) -> Double.compare(b.psi(), a.psi())).limit(3)
        .forEach(d -> s.append(String.format(Locale.ROOT, "; %s PSI %.3f (%s%s)", d.feature(), d.psi(), d.status(),
            drops.containsKey(d.feature()) ? ", AUC drop " + drop(drops.get(d.feature())) : "")));
    drift.stream().filter(d -> d.feature().equals(BatchScorer.SCORE)).findFirst()
        .ifPresent(d -> s.append(String.format(Locale.ROOT, "; scores PSI %.3f (%s)", d.psi(), d.status())));
    return s.toString();
  }

  /** An AUC drop to three places; a drop that rounds to nothing is 0.000, never -0.000 (a small negative drop is noise). */
  public static String drop(double drop) {
    return String.format(Locale.ROOT, "%.3f", drop).replace("-0.000", "0.000");
  }

  /**
   * Each feature's AUC drop in the version's kept permutation importance ({@code lakeline models importance}); empty
   * when it was never measured.
   */
  public static Map<String, Double> drops(JobContext ctx, ModelVersion model) {
    return ctx.registry().importance(model).map(r -> r.features().stream()
        .collect(java.util.stream.Collectors.toMap(PermutationImportance.Feature::feature, PermutationImportance.Feature::drop)))
        .orElse(Map.of());
  }

  private static boolean flagged(FeatureDrift d) {
    return d.status().equals(FeatureDrift.WARN) || d.status().equals(FeatureDrift.ALERT);
  }

  /** The version's baseline; for a version that has none, one from its training dataset, then kept with it. */
  static DriftBaseline baseline(JobContext ctx, ModelDefinition definition, ModelVersion model) {
    return ctx.registry().baseline(model).orElseGet(() -> {
      TrainingDataset td = trainingDatasetOf(ctx, definition, model)
          .orElseThrow(() -> Errors.notFound(
              "Model %s has no drift baseline and its training dataset %s is gone, so there is nothing to measure drift against. "
                  + "Train a new version (lakeline train --date <day>).", model.label(), model.card().trainingDataset()));
      TrainingSpec spec = definition.trainingSpec(model.card().algorithm(), 0);
      ctx.summary().progress("model %s has no drift baseline yet; profiling its training dataset %s", model.label(), td.label());
      return ctx.registry().keepBaseline(
          model, TrainingPipeline.baseline(td, spec, definition.onDemand(), ctx.registry().scores(model).orElse(null)));
    });
  }

  /** The training dataset the version's card names, if it is still there. */
  static java.util.Optional<TrainingDataset> trainingDatasetOf(JobContext ctx, ModelDefinition definition, ModelVersion model) {
    return trainingDatasetOf(model, ctx.featureStore().listTrainingDatasets(definition.viewName(), definition.viewVersion()));
  }

  /** The training dataset the version's card names among {@code datasets}. */
  private static java.util.Optional<TrainingDataset> trainingDatasetOf(ModelVersion model, List<TrainingDataset> datasets) {
    String named = model.card().trainingDataset();
    return datasets.stream().filter(d -> StorageLayout.sameTrainingDataset(named, d.path())).findFirst();
  }

  /** One run's predictions against the labels known later. */
  /**
   * One run's realised performance. {@code labelled}: the rows whose outcome is known at the monitoring date and that
   * are not in the version's own training dataset ({@code inTraining} of them are: scored, never judged).
   */
  public record RunPerformance(
      String modelName, int modelVersion, LocalDate runDate, long rows, long labelled, long positives, Double auc, Double testAuc,
      Double accuracy, Double precision, Double recall, Double meanScore, long inTraining) {}

  /** One column's drift in one run, with the bins it was measured over (the last one holds the nulls). */
  public record DriftRow(FeatureDrift drift, List<String> bins, List<Long> baselineCounts, List<Long> counts) {}

  /** One run's drift, as recorded by batch inference. */
  public record RunDrift(LocalDate runDate, int modelVersion, List<DriftRow> rows) {
    public List<FeatureDrift> drift() {
      return rows.stream().map(DriftRow::drift).toList();
    }
  }

  /**
   * What {@code monitor} found: the performance and drift of every run in the window, oldest first; {@code labelRows}
   * says whose labels were known ("loans with issue_date before 2024-05-31").
   */
  public record Result(
      String modelName, LocalDate date, LocalDate from, List<RunPerformance> performance, List<RunDrift> drift, String performancePath,
      String driftPath, DriftThresholds thresholds, LocalDate labelsKnownBefore, String labelRows) {

    /** The drift rows at {@code alert}, as "2024-06-30 loan_amount PSI 0.412". */
    public List<String> alerts() {
      List<String> out = new ArrayList<>();
      for (RunDrift r : drift) {
        for (FeatureDrift d : r.drift()) {
          if (d.status().equals(FeatureDrift.ALERT)) {
            out.add(String.format(Locale.ROOT, "%s %s PSI %.3f", r.runDate(), d.feature(), d.psi()));
          }
        }
      }
      return out;
    }
  }

  /**
   * Joins the labels known at {@code date} — those of the base group's rows dated more than training.label-delay-days
   * before it, as training takes them, and as the group held them when it was written for the date — to the predictions of the runs in ({@code date} minus monitoring.lookback-days, {@code
   * date}], leaves out the rows of each version's own training dataset, measures each run's realised metrics, writes
   * them to the performance table (replacing those runs' rows), and reads the runs' drift back.
   */
  public static Result run(JobContext ctx, LocalDate date) {
    checkConfig(ctx.config());
    DriftThresholds t = thresholds(ctx);
    String modelName = ctx.config().get(LakelineKeys.MODEL_NAME);
    LocalDate from = date.minusDays(ctx.config().get(LakelineKeys.MONITORING_LOOKBACK_DAYS));
    String predictionsPath = ctx.layout().predictions(modelName);
    if (!DeltaCommits.exists(ctx.spark(), predictionsPath)) {
      throw Errors.notFound(
          "Model %s has no predictions yet (%s). Run batch inference first: lakeline infer --date <day>.", modelName, predictionsPath);
    }
    String window = String.format("run_date > DATE'%s' AND run_date <= DATE'%s'", from, date);
    Dataset<Row> predictions = ctx.spark().read().format("delta").load(predictionsPath).where(window);
    // an outcome is known label-delay-days after its row's date (a loan's issue): the same rule as training's, so a rerun
    // for the same date judges the same rows whatever has been added to the base group since
    LocalDate knownBefore = date.minusDays(ctx.config().get(LakelineKeys.TRAINING_LABEL_DELAY_DAYS));
    ModelDefinition definition = ModelFile.load(ctx.config().get(LakelineKeys.MODEL_FILE));
    dev.lakeline.featurestore.FeatureView view = ctx.featureStore().getFeatureView(definition.viewName(), definition.viewVersion());
    FeatureViewSpec viewSpec = view.spec();
    FeatureGroup base = ctx.featureStore().getFeatureGroup(viewSpec.base().name(), viewSpec.base().version());
    definition.check(viewSpec, base.spec(), base.schema()); // the label and ids it reads are there
    List<String> ids = definition.ids(base.spec());
    String before = ModelDefinition.sql(base.spec().eventTime()) + " < " + definition.timeLiteral(base.spec(), base.schema(), knownBefore);
    List<Column> labelColumns = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      labelColumns.add(col("`" + ids.get(i) + "`").as("__id" + i));
    }
    labelColumns.add(col("`" + definition.label() + "`").as("__label"));
    Dataset<Row> labels = labelsAsOf(ctx, base, date).where(expr(before)).select(labelColumns.toArray(Column[]::new));
    Dataset<Row> joined = predictions.join(labels, sameIds(predictions, labels, ids, "__id"), "left");
    Dataset<Row> seen = trainingRows(
        ctx, modelName, definition, base, ids, predictions, ctx.spark().read().format("delta").load(predictionsPath).where(window));
    if (seen != null) {
      joined = joined.join(seen, joined.col("model_version").equalTo(seen.col("__seen_version"))
          .and(sameIds(joined, seen, ids, "__seen_id")), "left");
    } else {
      joined = joined.withColumn("__seen_id0", lit(null));
    }
    int bins = ScoreDistribution.DEFAULT_BINS;
    List<Row> counts = joined
        .groupBy(
            col("run_date"), col("model_version"),
            ScoreDistribution.bin(col(BatchScorer.SCORE), bins).as("bin"),
            col("__label").cast("int").as("label"),
            col("__seen_id0").isNotNull().as("seen"))
        .agg(count(lit(1)).as("n"))
        .collectAsList();
    Map<List<Object>, long[][]> byRun = new TreeMap<>((a, b) -> {
      int c = ((Date) a.get(0)).compareTo((Date) b.get(0));
      return c != 0 ? c : Integer.compare((Integer) a.get(1), (Integer) b.get(1));
    });
    for (Row r : counts) {
      // per run: [negatives per bin, positives per bin, {unlabelled rows, rows in the version's training dataset}]
      long[][] c = byRun.computeIfAbsent(List.of(r.getDate(0), r.getInt(1)), k -> new long[][] {new long[bins], new long[bins], new long[2]});
      long n = r.getLong(5);
      if (r.getBoolean(4)) {
        c[2][1] += n;
      } else if (r.isNullAt(3)) {
        c[2][0] += n;
      } else {
        c[r.getInt(3) >= 1 ? 1 : 0][r.isNullAt(2) ? 0 : r.getInt(2)] += n;
      }
    }
    List<RunPerformance> performance = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    Map<Integer, Double> testAuc = new LinkedHashMap<>();
    for (Map.Entry<List<Object>, long[][]> e : byRun.entrySet()) {
      LocalDate runDate = ((Date) e.getKey().get(0)).toLocalDate();
      int version = (Integer) e.getKey().get(1);
      ScoreDistribution s = new ScoreDistribution(bins, e.getValue()[0], e.getValue()[1]);
      RunPerformance p = performance(modelName, version, runDate, s, e.getValue()[2][0], e.getValue()[2][1],
          testAuc.computeIfAbsent(version, v -> registered(ctx, modelName, v)
              .map(m -> m.card().metrics() == null ? null : m.card().metrics().get("areaUnderROC")).orElse(null)));
      performance.add(p);
      rows.add(RowFactory.create(
          modelName, version, Date.valueOf(runDate), Date.valueOf(date), p.rows(), p.labelled(), p.positives(), p.auc(), p.testAuc(),
          p.accuracy(), p.precision(), p.recall(), p.meanScore()));
    }
    String performancePath = ctx.layout().system(PERFORMANCE_TABLE);
    if (!rows.isEmpty()) {
      CommitResult commit = DeltaCommits.commit(
          ctx.spark(),
          CommitRequest.replaceWhere(
              performancePath, ctx.spark().createDataFrame(rows, PERFORMANCE_SCHEMA),
              String.format("model_name = '%s' AND %s", modelName, window), "monitor:" + modelName + ":" + date)
              .withMetadata(ctx.commitMetadata()));
      ctx.summary().table(new JobRun.RunOutput("performance " + modelName, performancePath, commit.version(), commit.rows(), commit.skipped()));
    }
    String driftPath = ctx.layout().system(DRIFT_TABLE);
    List<RunDrift> drift = readDrift(ctx, modelName, window, t);
    return new Result(modelName, date, from, performance, drift, performancePath, driftPath, t, knownBefore,
        base.spec().name() + " with " + base.spec().eventTime() + " before " + knownBefore);
  }

  /** The run's realised metrics: AUC and the test AUC of its version; accuracy, precision and recall at 0.5. */
  static RunPerformance performance(
      String modelName, int version, LocalDate runDate, ScoreDistribution s, long unlabelled, long inTraining, Double testAuc) {
    long neg = s.totalNegatives();
    long pos = s.totalPositives();
    long labelled = neg + pos;
    Double auc = neg > 0 && pos > 0 ? s.areaUnderRoc() : null;
    Double accuracy = null;
    Double precision = null;
    Double recall = null;
    Double mean = null;
    if (labelled > 0) {
      long[] m = s.confusion(0.5);
      accuracy = (double) (m[0] + m[3]) / labelled;
      precision = m[1] + m[3] == 0 ? null : (double) m[3] / (m[1] + m[3]);
      recall = pos == 0 ? null : (double) m[3] / pos;
      double sum = 0;
      for (int b = 0; b < s.bins(); b++) {
        sum += (s.negatives()[b] + s.positives()[b]) * (b + 0.5) / s.bins();
      }
      mean = sum / labelled;
    }
    return new RunPerformance(
        modelName, version, runDate, labelled + unlabelled + inTraining, labelled, pos, auc, testAuc, accuracy, precision, recall, mean,
        inTraining);
  }

  /** The rows of {@code left} whose ids equal those of {@code right} (named {@code <prefix><i>} there). */
  static Column sameIds(Dataset<Row> left, Dataset<Row> right, List<String> ids, String prefix) {
    Column same = null;
    for (int i = 0; i < ids.size(); i++) {
      Column c = left.col("`" + ids.get(i) + "`").equalTo(right.col(prefix + i));
      same = same == null ? c : same.and(c);
    }
    return same;
  }

  /**
   * The base group's rows as they were written for {@code date} (its Delta version of the latest batch dated then or
   * before), so that a rerun judges with the labels known at the date, whatever was corrected or added since; the rows
   * as they are now when no recent batch is dated (rows inserted by hand) or that version can no longer be read (its
   * files were vacuumed), which the summary says.
   */
  private static Dataset<Row> labelsAsOf(JobContext ctx, FeatureGroup base, LocalDate date) {
    Long version = InferencePipeline.versionWrittenFor(base, date);
    if (version == null) {
      ctx.summary().fact("labels", String.format("as feature group %s holds them now: none of its recent batches is dated "
          + "%s or before", base.spec().label(), date));
      return base.read();
    }
    String unreadable = base.unreadable(version);
    if (unreadable != null) {
      // a date older than the history the lakehouse keeps (lakehouse.history-retention-days), or a plain VACUUM since
      ctx.summary().fact("labels", String.format("as feature group %s holds them now: Delta v%d, its latest batch for %s or "
          + "before, can no longer be read (%s); lakehouse.history-retention-days says how long versions stay readable",
          base.spec().label(), version, date, unreadable));
      return base.read();
    }
    ctx.summary().fact("labels", String.format("as feature group %s held them at Delta v%d, its latest batch for %s or before",
        base.spec().label(), version, date));
    return base.readVersion(version);
  }

  /**
   * The ids of the rows in the training datasets of the versions that scored runs in the window, as (__seen_version,
   * __seen_id0, …); null when there are none. A version judged on its own training rows would look as good as its test
   * split says, or better. A version whose training dataset is gone (its folder deleted) cannot say which rows it was
   * trained on: every row of its runs dated before the date it was trained for ({@code again}: the runs' predictions,
   * read anew for the self-join) counts as in training, and the summary says so; with no such date, none can be left
   * out, and the summary says that.
   */
  private static Dataset<Row> trainingRows(JobContext ctx, String modelName, ModelDefinition definition, FeatureGroup base,
      List<String> ids, Dataset<Row> predictions, Dataset<Row> again) {
    Dataset<Row> seen = null;
    List<TrainingDataset> datasets = ctx.featureStore().listTrainingDatasets(definition.viewName(), definition.viewVersion());
    for (Row r : predictions.select("model_version").distinct().orderBy("model_version").collectAsList()) {
      int version = r.getInt(0);
      java.util.Optional<ModelVersion> found = registered(ctx, modelName, version);
      if (found.isEmpty()) {
        ctx.summary().fact("training rows of v" + version, String.format(
            "not left out: %s v%d is no longer registered (its folder was deleted), so its training dataset is unknown; its "
                + "runs are judged on every labelled row, with no test AUC beside them", modelName, version));
        continue;
      }
      ModelVersion model = found.get();
      java.util.Optional<TrainingDataset> td = trainingDatasetOf(model, datasets);
      Dataset<Row> rows;
      if (td.isPresent()) {
        rows = td.get().read();
      } else {
        LocalDate trainedFor = trainedFor(model);
        if (trainedFor == null) {
          ctx.summary().fact("training rows of v" + version, String.format(
              "not left out: its training dataset %s is gone and its card has no training date, so they cannot be told "
                  + "apart; its runs are judged on every labelled row", model.card().trainingDataset()));
          continue;
        }
        ctx.summary().fact("training rows of v" + version, String.format(
            "its training dataset %s is gone: every row with %s before %s (the date it was trained for) counts as in "
                + "training", model.card().trainingDataset(), base.spec().eventTime(), trainedFor));
        rows = again.where(col("model_version").equalTo(version)).where(expr(ModelDefinition.sql(base.spec().eventTime()) + " < "
            + definition.timeLiteral(base.spec(), base.schema(), trainedFor)));
      }
      List<Column> columns = new ArrayList<>();
      columns.add(lit(version).as("__seen_version"));
      for (int i = 0; i < ids.size(); i++) {
        columns.add(col("`" + ids.get(i) + "`").as("__seen_id" + i));
      }
      Dataset<Row> idsOf = rows.select(columns.toArray(Column[]::new)).distinct();
      seen = seen == null ? idsOf : seen.unionByName(idsOf);
    }
    return seen;
  }

  /**
   * The version, or, when {@code lakeline models delete} removed it after it scored runs, the card it kept (its test AUC
   * and training dataset are known still); empty when its folder was removed by hand.
   */
  private static java.util.Optional<ModelVersion> registered(JobContext ctx, String modelName, int version) {
    try {
      return java.util.Optional.of(ctx.registry().get(modelName, version));
    } catch (dev.lakeline.core.LakelineException.NotFound deleted) {
      return ctx.registry().deleted(modelName, version)
          .map(d -> new ModelVersion(modelName, version, ctx.layout().model(modelName, version), d.card()));
    }
  }

  /** The logical date the version was trained for, from its card; null when it has none (trained outside a job). */
  private static LocalDate trainedFor(ModelVersion model) {
    String date = model.card().logicalDate();
    try {
      return date == null || date.isBlank() ? null : LocalDate.parse(date.trim());
    } catch (java.time.format.DateTimeParseException notADate) {
      return null;
    }
  }

  /** The runs' drift; each status from the PSI and this job's thresholds (they may have changed since inference). */
  private static List<RunDrift> readDrift(JobContext ctx, String modelName, String window, DriftThresholds t) {
    String path = ctx.layout().system(DRIFT_TABLE);
    List<RunDrift> out = new ArrayList<>();
    if (!DeltaCommits.exists(ctx.spark(), path)) {
      return out;
    }
    Map<List<Object>, List<DriftRow>> byRun = new LinkedHashMap<>();
    for (Row r : ctx.spark().read().format("delta").load(path).where(col("model_name").equalTo(modelName)).where(window)
        .orderBy("run_date", "model_version", "position").collectAsList()) {
      FeatureDrift d = new FeatureDrift(
          r.getString(r.fieldIndex("feature")), r.getString(r.fieldIndex("kind")), r.getLong(r.fieldIndex("rows")),
          r.getDouble(r.fieldIndex("psi")), r.getDouble(r.fieldIndex("max_gap")), r.getDouble(r.fieldIndex("baseline_null_rate")),
          r.getDouble(r.fieldIndex("null_rate")), t.status(r.getDouble(r.fieldIndex("psi")), r.getLong(r.fieldIndex("rows"))));
      byRun.computeIfAbsent(List.of(r.getDate(r.fieldIndex("run_date")).toLocalDate(), r.getInt(r.fieldIndex("model_version"))),
          k -> new ArrayList<>()).add(new DriftRow(
              d, r.<String>getList(r.fieldIndex("bins")), r.<Long>getList(r.fieldIndex("baseline_counts")),
              r.<Long>getList(r.fieldIndex("counts"))));
    }
    byRun.forEach((k, v) -> out.add(new RunDrift((LocalDate) k.get(0), (Integer) k.get(1), v)));
    return out;
  }
}
