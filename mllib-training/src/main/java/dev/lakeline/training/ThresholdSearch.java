package dev.lakeline.training;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lakeline.core.Errors;
import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * Chooses a decision threshold on validation rows, or on out-of-fold scores of the train split, as a {@link
 * ThresholdChoice} says. The rows' scores are counted into the grid's bins in one aggregation (bin b holds the scores in
 * (b · step, (b + 1) · step]), so a threshold k · step predicts positive exactly the bins from k up; one pass down the
 * grid then gives every threshold's counts.
 */
final class ThresholdSearch {
  private ThresholdSearch() {}

  /** Thresholds are k / GRID for k = 1 … GRID - 1. */
  static final int GRID = (int) Math.round(1 / ThresholdChoice.STEP);

  /**
   * The chosen threshold and what it gives on the validation rows.
   *
   * @param rows the labelled validation rows
   * @param predicted the rows it predicts positive
   * @param truePositives the positive rows among them
   * @param positives the positive rows
   * @param scores the validation rows' scores in the grid's bins (see {@link ScoreDistribution})
   */
  record Chosen(double threshold, long rows, long predicted, long truePositives, long positives, ScoreDistribution scores) {
    double precision() {
      return truePositives / (double) predicted;
    }

    double recall() {
      return truePositives / (double) positives;
    }

    double f1() {
      return 2.0 * truePositives / (predicted + positives);
    }

    /** False alarms plus the missed positives at {@code falseNegativeCost} each. */
    double cost(double falseNegativeCost) {
      return ThresholdSearch.cost(predicted, truePositives, positives, falseNegativeCost);
    }
  }

  /** False alarms cost 1 each, missed positives {@code falseNegativeCost} each. */
  static double cost(long predicted, long truePositives, long positives, double falseNegativeCost) {
    return (predicted - truePositives) + falseNegativeCost * (positives - truePositives);
  }

  /** The threshold {@code choice} picks for {@code model} on the labelled rows of {@code validation}. */
  static Chosen choose(PipelineModel model, Dataset<Row> validation, String label, ThresholdChoice choice) {
    long[] rows = new long[GRID + 1];
    long[] positives = new long[GRID + 1];
    countScores(model, validation, label, rows, positives);
    return choose(rows, positives, choice);
  }

  /** Adds the scores of {@code model} on the labelled rows of {@code scored} to the bins' counts: one Spark job. */
  private static void countScores(PipelineModel model, Dataset<Row> scored, String label, long[] rows, long[] positives) {
    Column labelled = SqlColumns.col(label);
    Column p = org.apache.spark.ml.functions.vector_to_array(col("probability"), "float64").getItem(1);
    Column bin = least(greatest(ceil(p.multiply(GRID)).cast("int").minus(1), lit(-1)), lit(GRID - 1));
    for (Row r : model.transform(scored.where(labelled.isNotNull()))
        .groupBy(bin.as("bin"))
        .agg(count(lit(1)), sum(when(labelled.equalTo(1), 1L).otherwise(0L)))
        .collectAsList()) {
      rows[r.getInt(0) + 1] += r.getLong(1);
      positives[r.getInt(0) + 1] += r.getLong(2);
    }
  }

  /** The column of each row's fold while out-of-fold scores are made; no fitted stage reads it. */
  static final String FOLD = "__threshold_fold";

  /**
   * {@code rows} with their fold, 0 to {@code k} - 1, in {@link #FOLD}: a hash of the row's values (every column but
   * maps, which Spark does not hash) and {@code seed}, so that the same rows get the same folds however they are
   * partitioned or ordered. Rows of equal values share a fold.
   */
  static Dataset<Row> withFolds(Dataset<Row> rows, long seed, int k) {
    return rows.withColumn(FOLD, pmod(rowHash(rows, seed), lit((long) k)).cast("int"));
  }

  /**
   * A hash of each row's values (every column of {@code rows} but maps, which Spark does not hash) and {@code seed}:
   * the same for the same values however the rows are partitioned or ordered.
   */
  static Column rowHash(Dataset<Row> rows, long seed) {
    List<Column> hashed = new ArrayList<>();
    hashed.add(lit(seed));
    for (StructField f : rows.schema().fields()) {
      if (!(f.dataType() instanceof MapType)) {
        hashed.add(SqlColumns.col(f.name()));
      }
    }
    return xxhash64(hashed.toArray(Column[]::new));
  }

  /**
   * The threshold {@code choice} picks on out-of-fold scores of {@code rows} (labelled rows, the train split's):
   * {@code choice.folds()} folds ({@link #withFolds}), each scored by the pipeline {@code fit} fits on the other folds.
   * The scores of all folds are counted into one set of bins and the choice is made there, as on a validation split.
   *
   * @param numericFeatures the features MLlib's imputer needs a value of in every fit
   * @throws dev.lakeline.core.LakelineException.DataRejected if the other folds of some fold hold one outcome only, or
   *     no value of a numeric feature (that fit would fail), or as {@link #choose(long[], long[], ThresholdChoice)}
   */
  static Chosen chooseOutOfFold(Dataset<Row> rows, String label, List<String> numericFeatures, long seed,
      ThresholdChoice choice, Function<Dataset<Row>, PipelineModel> fit) {
    int k = choice.folds();
    Dataset<Row> folded = withFolds(rows, seed, k);
    long[][] perFold = foldCounts(folded, k, label, numericFeatures);
    long[] total = perFold[k];
    for (int i = 0; i < k; i++) {
      long positives = total[1] - perFold[i][1];
      long negatives = total[0] - perFold[i][0] - positives;
      if (positives == 0 || negatives == 0) {
        throw Errors.rejected("The threshold is chosen on out-of-fold scores of %d folds (%s), and fold %d holds every %s "
            + "row of the train split (%,d of its %,d rows), so the pipeline fitted on the other folds would see one outcome "
            + "only. Nothing was trained. Use fewer folds (training.threshold-folds), more rows, or a validation split.",
            k, choice.id(), i + 1, positives == 0 ? "positive" : "negative", positives == 0 ? total[1] : total[0] - total[1],
            total[0]);
      }
      for (int f = 0; f < numericFeatures.size(); f++) {
        if (total[f + 2] - perFold[i][f + 2] == 0) {
          throw Errors.rejected("The threshold is chosen on out-of-fold scores of %d folds (%s), and fold %d holds every "
              + "value of the numeric feature '%s' in the train split, so the pipeline fitted on the other folds has no "
              + "median to fill its gaps with. Nothing was trained. Use fewer folds (training.threshold-folds), or a "
              + "validation split.", k, choice.id(), i + 1, numericFeatures.get(f));
        }
      }
    }
    long[] binRows = new long[GRID + 1];
    long[] binPositives = new long[GRID + 1];
    for (int i = 0; i < k; i++) {
      PipelineModel model = fit.apply(folded.where(col(FOLD).notEqual(i)));
      countScores(model, folded.where(col(FOLD).equalTo(i)), label, binRows, binPositives);
    }
    return choose(binRows, binPositives, choice);
  }

  /**
   * Per fold of {@code folded} ({@link #withFolds}, {@code k} folds), in one Spark job: its rows, its positive rows, and
   * its rows with a value of each of {@code numericFeatures}; element {@code k} holds the totals.
   */
  static long[][] foldCounts(Dataset<Row> folded, int k, String label, List<String> numericFeatures) {
    List<Column> counts = new ArrayList<>();
    counts.add(count(when(SqlColumns.col(label).equalTo(1), lit(1))));
    for (String c : numericFeatures) {
      counts.add(count(when(Trainer.hasValue(c), lit(1))));
    }
    long[][] perFold = new long[k + 1][counts.size() + 1];
    for (Row r : folded.groupBy(col(FOLD)).agg(count(lit(1)), counts.toArray(Column[]::new)).collectAsList()) {
      for (int j = 0; j <= counts.size(); j++) {
        perFold[r.getInt(0)][j] = r.getLong(j + 1);
        perFold[k][j] += r.getLong(j + 1);
      }
    }
    return perFold;
  }

  /**
   * Checks, before anything is fitted, that the labelled rows of {@code validation} hold a positive: one Spark job.
   *
   * @throws dev.lakeline.core.LakelineException.DataRejected if they hold none
   */
  static void requirePositives(Dataset<Row> validation, String label, ThresholdChoice choice) {
    Column labelled = SqlColumns.col(label);
    Row counted = validation.where(labelled.isNotNull()).agg(count(lit(1)), count(when(labelled.equalTo(1), lit(1)))).first();
    requirePositives(counted.getLong(0), counted.getLong(1), choice);
  }

  private static void requirePositives(long rows, long positives, ThresholdChoice choice) {
    if (positives == 0) {
      throw Errors.rejected("The validation split's %,d labelled rows hold no positive, so a threshold cannot be chosen "
          + "on them (%s). Nothing was trained. Give the validation split more rows (a larger validation fraction, a "
          + "longer window), or use a fixed threshold.", rows, choice.id());
    }
  }

  /**
   * The threshold {@code choice} picks given the rows and positives of each bin ({@code rows[b + 1]} for bin b, from -1,
   * the scores of 0, to GRID - 1). Among thresholds that predict the same rows positive, the middle one is taken: the
   * boundary lies halfway between the lowest score predicted positive and the highest one predicted negative.
   *
   * @throws dev.lakeline.core.LakelineException.DataRejected if the rows hold no positive, or no threshold of the grid
   *     gives what the choice asks for (a positive predicted at all, the target recall)
   */
  static Chosen choose(long[] rows, long[] positives, ThresholdChoice choice) {
    long total = 0;
    long allPositives = 0;
    for (int i = 0; i < rows.length; i++) {
      total += rows[i];
      allPositives += positives[i];
    }
    requirePositives(total, allPositives, choice);
    long needed = (long) Math.ceil(choice.targetRecall() * allPositives - 1e-9);
    int best = -1;
    double bestF1 = 0;
    double bestCost = Double.POSITIVE_INFINITY;
    long bestPredicted = 0;
    long bestTrue = 0;
    long predicted = 0;
    long truePositives = 0;
    for (int k = GRID - 1; k >= 1; k--) {
      predicted += rows[k + 1];
      truePositives += positives[k + 1];
      if (choice.kind() == ThresholdChoice.Kind.TARGET_RECALL) {
        if (truePositives >= needed) {
          best = k;
          bestPredicted = predicted;
          bestTrue = truePositives;
          break;
        }
      } else if (choice.kind() == ThresholdChoice.Kind.MIN_COST) {
        // the highest threshold of equal cost wins
        double cost = cost(predicted, truePositives, allPositives, choice.falseNegativeCost());
        if (predicted > 0 && cost < bestCost) {
          bestCost = cost;
          best = k;
          bestPredicted = predicted;
          bestTrue = truePositives;
        }
      } else {
        double f1 = 2.0 * truePositives / (predicted + allPositives);
        if (f1 > bestF1) {
          bestF1 = f1;
          best = k;
          bestPredicted = predicted;
          bestTrue = truePositives;
        }
      }
    }
    String whose = choice.outOfFold() ? "the train split's" : "the validation split's";
    if (choice.kind() == ThresholdChoice.Kind.MIN_COST && best >= 0
        && cost(0, 0, allPositives, choice.falseNegativeCost()) < bestCost) {
      throw Errors.rejected("On %s %,d rows, predicting no row positive costs %s (its %,d positives "
          + "missed at %s each), and no threshold costs less, so none was chosen (%s). No model was kept. A missed positive "
          + "costs more than that in most uses: raise training.false-negative-cost, or check the model's features.",
          (choice.outOfFold() ? "the out-of-fold scores of " : "") + whose, total,
          number(choice.falseNegativeCost() * allPositives), allPositives, number(choice.falseNegativeCost()), choice.id());
    }
    if (best < 0) {
      throw Errors.rejected("No threshold from %.4f to %.4f predicts %s of %s %,d positive rows "
          + "positive%s (%s), so none can be chosen. No model was kept. Check the model's features, or use a fixed threshold.",
          ThresholdChoice.STEP, 1 - ThresholdChoice.STEP, choice.kind() == ThresholdChoice.Kind.TARGET_RECALL
              ? String.format(Locale.ROOT, "the target recall %s", choice.targetRecall()) : "any", whose, allPositives,
          choice.outOfFold() ? " out of fold" : "", choice.id());
    }
    // the thresholds below `best` whose bins are empty predict the same rows: take the middle of them
    int low = best;
    while (low > 1 && rows[low] == 0) { // rows[low] is bin low - 1
      low--;
    }
    // bins low … best - 1 are empty: the middle threshold predicts the rows `best` does
    int k = (low + best) / 2;
    return new Chosen(k / (double) GRID, total, bestPredicted, bestTrue, allPositives, distribution(rows, positives));
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  /** The bins' counts as a {@link ScoreDistribution} of GRID bins: the scores of 0 (bin -1 here) go to its bin 0. */
  private static ScoreDistribution distribution(long[] rows, long[] positives) {
    long[] neg = new long[GRID];
    long[] pos = new long[GRID];
    for (int b = -1; b < GRID; b++) {
      int to = Math.max(b, 0);
      pos[to] += positives[b + 1];
      neg[to] += rows[b + 1] - positives[b + 1];
    }
    return new ScoreDistribution(GRID, neg, pos);
  }

  /** Sets the fitted classifier of {@code model} (its last stage) to predict positive above {@code threshold}. */
  static void apply(PipelineModel model, double threshold) {
    Transformer last = model.stages()[model.stages().length - 1];
    if (last instanceof LogisticRegressionModel lr) {
      lr.setThreshold(threshold);
    } else if (last instanceof GBTClassificationModel gbt) {
      // class 1 when p1 / t > p0 / (1 - t), that is when p1 > t
      gbt.setThresholds(new double[] {1 - threshold, threshold});
    } else {
      throw new IllegalStateException("No threshold to set on " + last.getClass().getName());
    }
  }
}
