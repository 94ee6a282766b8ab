package dev.lakeline.jobs.pipelines;

import static org.apache.spark.sql.functions.col;

import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureView;
import dev.lakeline.featurestore.SplitSpec;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.training.Comparison;
import dev.lakeline.training.ModelVersion;
import dev.lakeline.training.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * may hold rows the alias's version was trained on, which flatter it.
 */
final class SameRows implements Function<ModelVersion, Comparison> {
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

  @Override
  public Comparison apply(ModelVersion holder) {
    String held = "v" + holder.version();
    String mine = "v" + candidate.version();
    Optional<TrainingDataset> trainedOn = ModelMonitoring.trainingDatasetOf(ctx, model, holder);
    if (trainedOn.isEmpty()) {
      return Comparison.unavailable(String.format("%s's training dataset %s is gone or not one of feature view %s's, so the "
          + "rows it was trained on cannot be left out", held, holder.card().trainingDataset(), model.viewLabel()));
    }
    Dataset<Row> test = model.onDemand().apply(dataset.test());
    List<String> columns = Arrays.asList(test.columns());
    List<String> lacking = new ArrayList<>(holder.card().features());
    lacking.removeAll(columns);
    if (!lacking.isEmpty()) {
      return Comparison.unavailable(String.format("%s reads %s, which %s's test rows lack", held, lacking, mine));
    }
    List<String> ids = model.ids(base);
    Dataset<Row> seen = trainedOn.get().read();
    List<String> seenColumns = Arrays.asList(seen.columns());
    List<String> idsLacking = ids.stream().filter(id -> !seenColumns.contains(id) || !columns.contains(id)).toList();
    if (!idsLacking.isEmpty()) {
      return Comparison.unavailable(String.format("the ids %s are not in the rows of both training datasets, so the rows %s "
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
      Row counts = rows.agg(org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.lit(1)),
          org.apache.spark.sql.functions.count(org.apache.spark.sql.functions.when(
              col(ModelDefinition.sql(model.label())).equalTo(1), 1))).first();
      long n = counts.getLong(0);
      long positives = counts.getLong(1);
      String which = String.format(Locale.ROOT, "the %,d rows of %s's test split that %s was not trained on", n, mine, held);
      if (n == 0 || positives == 0 || positives == n) {
        return Comparison.unavailable(n == 0
            ? String.format("%s was trained on every row of %s's test split", held, mine)
            : which + " hold one outcome only");
      }
      Double challenger = Trainer.evaluate(candidate.load(), rows, model.label()).get(METRIC);
      Double champion = Trainer.evaluate(holder.load(), rows, model.label()).get(METRIC);
      return new Comparison(challenger, champion, which);
    } finally {
      rows.unpersist();
    }
  }
}
