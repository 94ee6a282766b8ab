package dev.lakeline.jobs.pipelines;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.Errors;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureView;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.featurestore.SplitSpec;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.training.Comparison;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.training.PermutationImportance;
import dev.lakeline.training.ScoreDistribution;
import dev.lakeline.training.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The comparison that decides a promotion: the new version and the version the alias points at, measured on the same
 * rows, the new version's test split less every row the alias's version was trained on (the train and validation rows
 * of its training dataset, matched by the model file's ids). Each version's AUC on its own test split is no fair
 * comparison: another seed draws another test split, a later window holds other (drifted) rows, and the new test split
 * may hold rows the alias's version was trained on, which flatter it. Also where a version is measured alone on rows it
 * was not trained on, its own test split: {@link #importance}.
 */
public final class SameRows implements Function<ModelVersion, Comparison> {
  /** The metric promotion compares. */
  static final String METRIC = "areaUnderROC";

  private final JobContext ctx;
  private final ModelDefinition model;
  private final FeatureGroupSpec base;
  private final TrainingDataset dataset;
  private final ModelVersion candidate;

  SameRows(JobContext ctx, ModelDefinition model, FeatureGroupSpec base, TrainingDataset dataset, ModelVersion candidate) {
    this.ctx = ctx;
    this.model = model;
    this.base = base;
    this.dataset = dataset;
    this.candidate = candidate;
  }

  /**
   * Two versions measured on the same rows.
   *
   * @param rows which rows, in words ("the 1,204 rows of v3's test split that v1 was not trained on"), or why the two
   *     could not be measured on the same rows
   * @param count the rows (0 when not measured)
   * @param positives the positive rows among them
   * @param candidate the first version's metrics on them ({@link Trainer#evaluate}), or null when not measured
   * @param holder the second version's, likewise
   * @param candidateScores the first version's scores on them, binned (only when asked for), else null
   * @param holderScores the second version's, likewise
   */
  public record Measured(String rows, long count, long positives, Map<String, Double> candidate, Map<String, Double> holder,
      ScoreDistribution candidateScores, ScoreDistribution holderScores) {
    static Measured unavailable(String why) {
      return new Measured(why, 0, 0, null, null, null, null);
    }

    /** Whether both versions were measured. */
    public boolean available() {
      return candidate != null && holder != null;
    }
  }

  /**
   * {@code candidate} and {@code holder}, versions of the model {@code definition} describes, measured as promotion
   * measures them: on {@code candidate}'s test split less every row {@code holder} was trained on.
   *
   * @param withScores whether to bin both versions' scores on the rows too (for curves)
   * @throws dev.lakeline.core.LakelineException.NotFound if {@code candidate}'s training dataset is gone or is not one of
   *     the definition's feature view's
   */
  public static Measured measure(JobContext ctx, ModelDefinition definition, ModelVersion candidate, ModelVersion holder,
      boolean withScores) {
    TrainingDataset td = testSplitOf(ctx, definition, candidate, "compare versions whose training datasets are kept");
    FeatureViewSpec view = ctx.featureStore().getFeatureView(definition.viewName(), definition.viewVersion()).spec();
    FeatureGroupSpec base = ctx.featureStore().getFeatureGroup(view.base().name(), view.base().version()).spec();
    return new SameRows(ctx, definition, base, td, candidate).measure(holder, withScores);
  }

  /**
   * The permutation importance of each of {@code version}'s features on its own test split (with the model file's
   * on-demand features): rows it was not trained on.
   *
   * @return the rows in words ("the 1,772 rows of v1's test split (loan_default v1 td1)") and the result
   * @throws dev.lakeline.core.LakelineException.NotFound if {@code version}'s training dataset is gone or is not one of
   *     the definition's feature view's
   * @throws dev.lakeline.core.LakelineException.DataRejected if the test split lacks a feature the version reads, or as
   *     {@link PermutationImportance#measure}
   */
  public static Importance importance(JobContext ctx, ModelDefinition definition, ModelVersion version, long seed,
      int repeats, int maxRows) {
    TrainingDataset td = testSplitOf(ctx, definition, version, "measure versions whose training datasets are kept");
    Dataset<Row> test = definition.onDemand().apply(td.test()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<String> lacking = new ArrayList<>(version.card().features());
      lacking.removeAll(Arrays.asList(test.columns()));
      if (!lacking.isEmpty()) {
        throw Errors.rejected("%s reads %s, which the rows of its test split (%s) lack: pass the --model-file it was trained "
            + "with.", version.label(), lacking, td.label());
      }
      List<String> features = version.card().features();
      int[] done = {0};
      PermutationImportance.Result r = PermutationImportance.measure(version.load(), test, features,
          version.card().label(), seed, repeats, maxRows, f -> ctx.summary().progress("shuffling %s (%d of %d), %d times",
              f, ++done[0], features.size(), repeats));
      ctx.registry().keepImportance(version, r); // what models show and the drift lines give
      return new Importance(String.format(Locale.ROOT, "%s%,d rows of v%d's test split (%s)",
          r.sampled() ? String.format(Locale.ROOT, "%,d of the ", r.rows()) : "the ", r.of(), version.version(), td.label()), r);
    } finally {
      test.unpersist();
    }
  }

  /** A version's feature importance ({@link #importance}) and the rows it was measured on, in words. */
  public record Importance(String rows, PermutationImportance.Result result) {}

  private static TrainingDataset testSplitOf(JobContext ctx, ModelDefinition definition, ModelVersion version, String or) {
    return ModelMonitoring.trainingDatasetOf(ctx, definition, version).orElseThrow(() -> Errors.notFound(
        "%s's training dataset %s is gone or not one of feature view %s's, so there is no test split to measure it on. Pass "
            + "the --model-file it was trained with, or %s.", version.label(), version.card().trainingDataset(),
        definition.viewLabel(), or));
  }

  @Override
  public Comparison apply(ModelVersion holder) {
    Measured m = measure(holder, false);
    return m.available() ? new Comparison(m.candidate().get(METRIC), m.holder().get(METRIC), m.rows())
        : Comparison.unavailable(m.rows());
  }

  private Measured measure(ModelVersion holder, boolean withScores) {
    String held = "v" + holder.version();
    String mine = "v" + candidate.version();
    Optional<TrainingDataset> trainedOn = ModelMonitoring.trainingDatasetOf(ctx, model, holder);
    if (trainedOn.isEmpty()) {
      return Measured.unavailable(String.format("%s's training dataset %s is gone or not one of feature view %s's, so the "
          + "rows it was trained on cannot be left out", held, holder.card().trainingDataset(), model.viewLabel()));
    }
    Dataset<Row> test = model.onDemand().apply(dataset.test());
    List<String> columns = Arrays.asList(test.columns());
    List<String> lacking = new ArrayList<>(holder.card().features());
    lacking.removeAll(columns);
    if (!lacking.isEmpty()) {
      return Measured.unavailable(String.format("%s reads %s, which %s's test rows lack", held, lacking, mine));
    }
    List<String> ids = model.ids(base);
    Dataset<Row> seen = trainedOn.get().read();
    List<String> seenColumns = Arrays.asList(seen.columns());
    List<String> idsLacking = ids.stream().filter(id -> !seenColumns.contains(id) || !columns.contains(id)).toList();
    if (!idsLacking.isEmpty()) {
      return Measured.unavailable(String.format("the ids %s are not in the rows of both training datasets, so the rows %s "
          + "was trained on cannot be told apart", idsLacking, held));
    }
    List<Column> seenIds = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      seenIds.add(col(ModelDefinition.sql(ids.get(i))).as("__seen_id" + i));
    }
    seen = seen.where(col(FeatureView.SPLIT).notEqual(SplitSpec.TEST)).select(seenIds.toArray(Column[]::new)).distinct();
    ctx.summary().progress("measuring %s and %s on the same rows: %s's test split less the rows %s was trained on", mine,
        held, mine, held);
    Dataset<Row> rows = test.join(seen, ModelMonitoring.sameIds(test, seen, ids, "__seen_id"), "left_anti")
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // the rows and their positives in one job
      Row counts = rows.agg(count(lit(1)), count(when(col(ModelDefinition.sql(model.label())).equalTo(1), 1))).first();
      long n = counts.getLong(0);
      long positives = counts.getLong(1);
      String which = String.format(Locale.ROOT, "the %,d rows of %s's test split that %s was not trained on", n, mine, held);
      if (n == 0 || positives == 0 || positives == n) {
        return Measured.unavailable(n == 0
            ? String.format("%s was trained on every row of %s's test split", held, mine)
            : which + " hold one outcome only");
      }
      // the scores are binned from the same scoring of the rows as the metrics, when asked for
      Trainer.Evaluation first = evaluate(candidate, rows, withScores);
      Trainer.Evaluation second = evaluate(holder, rows, withScores);
      return new Measured(which, n, positives, first.metrics(), second.metrics(), first.scores(), second.scores());
    } finally {
      rows.unpersist();
    }
  }

  /** {@code version}'s metrics on {@code rows}, with its binned scores when {@code withScores}. */
  private Trainer.Evaluation evaluate(ModelVersion version, Dataset<Row> rows, boolean withScores) {
    org.apache.spark.ml.PipelineModel fitted = version.load();
    return withScores ? Trainer.evaluateWithScores(fitted, rows, model.label())
        : new Trainer.Evaluation(Trainer.evaluate(fitted, rows, model.label()), null);
  }
}
