package dev.lakeline.training;

import static org.apache.spark.sql.functions.col;

import dev.lakeline.core.Errors;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * A hyperparameter search by k-fold cross-validation (MLlib's {@code CrossValidator} over a {@code ParamGridBuilder}
 * grid, with Lakeline's folds): every combination of the grid's values is fitted on k − 1 folds of the train split and
 * scored on the fold left out, each fold in turn; the combination with the best mean AUC over the folds is the one the
 * model is then fitted with, on every train row. The folds are {@link ThresholdSearch#withFolds}'s (a hash of each row's
 * values and the spec's seed), so the same rows give the same folds and the same choice however they are partitioned.
 *
 * @param grid each hyperparameter searched (MLlib's names, as {@link TrainingSpec#params()}) with its candidate values,
 *     in order; the others keep the spec's values
 * @param folds how many folds, 2 to {@link #MAX_FOLDS}
 */
public record ParamSearch(Map<String, List<Double>> grid, int folds) {
  public static final int DEFAULT_FOLDS = 3;
  public static final int MAX_FOLDS = 10;
  /** The most combinations a grid may have: each costs {@code folds} fits. */
  public static final int MAX_COMBINATIONS = 64;

  public ParamSearch {
    if (grid == null || grid.isEmpty()) {
      throw Errors.config("A hyperparameter search needs at least one hyperparameter with its values, such as "
          + "regParam=0.001,0.01,0.1.");
    }
    if (folds < 2 || folds > MAX_FOLDS) {
      throw Errors.config("A hyperparameter search needs 2 to %d folds, not %d.", MAX_FOLDS, folds);
    }
    Map<String, List<Double>> copy = new LinkedHashMap<>();
    long combinations = 1;
    for (Map.Entry<String, List<Double>> e : grid.entrySet()) {
      List<Double> values = e.getValue() == null ? List.of() : List.copyOf(e.getValue());
      if (values.isEmpty()) {
        throw Errors.config("The hyperparameter search lists no value of %s: give at least one.", e.getKey());
      }
      if (values.stream().distinct().count() != values.size()) {
        throw Errors.config("The hyperparameter search lists a value of %s twice (%s): list each once.", e.getKey(),
            text(values));
      }
      combinations *= values.size();
      copy.put(e.getKey(), values);
    }
    if (combinations > MAX_COMBINATIONS) {
      throw Errors.config("The hyperparameter search has %d combinations (%s), each fitted %d times; at most %d are allowed. "
          + "Search fewer values, or one hyperparameter at a time.", combinations, textOf(copy), folds, MAX_COMBINATIONS);
    }
    grid = Collections.unmodifiableMap(copy);
  }

  /**
   * A search over {@code grid} (from Python: a dict of lists; whole numbers may arrive as integers) on {@code folds}
   * folds.
   */
  public static ParamSearch of(Map<String, ? extends List<? extends Number>> grid, int folds) {
    if (grid == null) {
      return new ParamSearch(null, folds);
    }
    Map<String, List<Double>> out = new LinkedHashMap<>();
    grid.forEach((name, values) -> {
      List<Double> doubles = new ArrayList<>();
      for (Number n : values == null ? List.<Number>of() : values) {
        if (n == null) {
          throw Errors.config("The hyperparameter search lists an empty value of %s.", name);
        }
        doubles.add(n.doubleValue());
      }
      out.put(name, doubles);
    });
    return new ParamSearch(out, folds);
  }

  /**
   * The search that {@code text} describes: hyperparameters separated by {@code ;}, each {@code name=value,value,…},
   * such as {@code regParam=0.001,0.01,0.1; elasticNetParam=0,0.5}.
   */
  public static ParamSearch parse(String text, int folds) {
    Map<String, List<Double>> grid = new LinkedHashMap<>();
    for (String part : text == null ? new String[0] : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? "" : part.substring(0, eq).strip();
      if (name.isEmpty()) {
        throw Errors.config("'%s' in the hyperparameter search is not name=value,value,… (for example "
            + "regParam=0.001,0.01,0.1).", part.strip());
      }
      if (grid.containsKey(name)) {
        throw Errors.config("The hyperparameter search names %s twice: list all its values once.", name);
      }
      List<Double> values = new ArrayList<>();
      for (String v : part.substring(eq + 1).split(",")) {
        try {
          values.add(Double.parseDouble(v.strip()));
        } catch (NumberFormatException e) {
          throw Errors.config("'%s' in the hyperparameter search's values of %s is not a number.", v.strip(), name);
        }
      }
      grid.put(name, values);
    }
    return new ParamSearch(grid, folds);
  }

  /**
   * Checks every combination against {@code algorithm}'s hyperparameters: a name it has, a value in its range.
   *
   * @throws dev.lakeline.core.LakelineException.ConfigError naming the first that is not
   */
  public ParamSearch checkFor(String algorithm) {
    for (Map<String, Double> combination : combinations()) {
      TrainingSpec.checkedParams(algorithm, combination);
    }
    return this;
  }

  /** Every combination of the grid's values, the first hyperparameter's changing slowest. */
  public List<Map<String, Double>> combinations() {
    List<Map<String, Double>> out = new ArrayList<>();
    out.add(Map.of());
    for (Map.Entry<String, List<Double>> e : grid.entrySet()) {
      List<Map<String, Double>> next = new ArrayList<>();
      for (Map<String, Double> partial : out) {
        for (Double v : e.getValue()) {
          Map<String, Double> m = new LinkedHashMap<>(partial);
          m.put(e.getKey(), v);
          next.add(Collections.unmodifiableMap(m));
        }
      }
      out = next;
    }
    return out;
  }

  /** The grid as text, {@code regParam=0.001,0.01; elasticNetParam=0,0.5}: what {@link #parse} reads. */
  public String gridText() {
    return textOf(grid);
  }

  /** The grid and the folds: stable text, part of a training's run key. */
  @Override
  public String toString() {
    return gridText() + " (" + folds + " folds)";
  }

  /** A combination as text, {@code regParam=0.01, elasticNetParam=0}. */
  public static String combinationText(Map<String, Double> combination) {
    List<String> parts = new ArrayList<>();
    combination.forEach((k, v) -> parts.add(k + "=" + number(v)));
    return String.join(", ", parts);
  }

  private static String textOf(Map<String, List<Double>> grid) {
    List<String> parts = new ArrayList<>();
    grid.forEach((k, v) -> parts.add(k + "=" + text(v)));
    return String.join("; ", parts);
  }

  private static String text(List<Double> values) {
    return String.join(",", values.stream().map(ParamSearch::number).toList());
  }

  /** A value without a trailing ".0" or an exponent: 0.0001, 100, 0.5. */
  public static String number(double v) {
    return Double.isFinite(v) ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : String.valueOf(v);
  }

  /**
   * One combination's result.
   *
   * @param params the combination
   * @param foldAucs the AUC on each held-out fold
   */
  public record Candidate(Map<String, Double> params, double[] foldAucs) {
    /** The mean AUC over the folds. */
    public double meanAuc() {
      double sum = 0;
      for (double a : foldAucs) {
        sum += a;
      }
      return sum / foldAucs.length;
    }
  }

  /**
   * The search's result.
   *
   * @param candidates every combination's, in the grid's order
   * @param best the index of the chosen one: the best mean AUC, the earliest of equals
   */
  public record Searched(List<Candidate> candidates, int best) {
    public Candidate chosen() {
      return candidates.get(best);
    }

    /** Every combination's mean AUC as text, the chosen one marked: the card keeps it. */
    public String text() {
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        Candidate c = candidates.get(i);
        parts.add(String.format(Locale.ROOT, "%s: %.4f%s", combinationText(c.params()), c.meanAuc(), i == best ? " (chosen)" : ""));
      }
      return String.join("; ", parts);
    }
  }

  /**
   * One combination's line of a card's {@code searchResults} ({@link Searched#text()}).
   *
   * @param params the combination, by hyperparameter
   * @param meanAuc its mean AUC over the held-out folds
   * @param chosen whether it was the one chosen
   */
  public record Scored(Map<String, String> params, double meanAuc, boolean chosen) {}

  /** The combinations of a card's {@code searchResults} text, in its order. */
  public static List<Scored> results(String text) {
    List<Scored> out = new ArrayList<>();
    for (String part : text.split("; ")) {
      boolean chosen = part.endsWith(" (chosen)");
      String body = chosen ? part.substring(0, part.length() - " (chosen)".length()) : part;
      int colon = body.lastIndexOf(": ");
      Map<String, String> params = new LinkedHashMap<>();
      for (String p : body.substring(0, colon).split(", ")) {
        params.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
      }
      out.add(new Scored(params, Double.parseDouble(body.substring(colon + 2)), chosen));
    }
    return out;
  }

  /**
   * Runs the search over {@code rows} (the train split's labelled rows) for {@code spec}: {@code fitter} gives the fit of
   * a spec (the spec with one combination's values) on some rows; {@code progress} is told when each fold is done.
   *
   * @throws dev.lakeline.core.LakelineException.DataRejected before any fit, if a fold holds every positive or every
   *     negative row (the other folds' fit would see one outcome), no positive or no negative row (its AUC would be
   *     undefined), or every value of a numeric feature
   */
  Searched run(Dataset<Row> rows, TrainingSpec spec, Function<TrainingSpec, Function<Dataset<Row>, PipelineModel>> fitter,
      java.util.function.Consumer<String> progress) {
    int k = folds;
    Dataset<Row> folded = ThresholdSearch.withFolds(rows, spec.seed(), k).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long[][] perFold = ThresholdSearch.foldCounts(folded, k, spec.label(), spec.numericFeatures());
      long[] total = perFold[k];
      String why = String.format(Locale.ROOT, "The hyperparameters are searched on %d folds of the train split (%,d rows)",
          k, total[0]);
      for (int i = 0; i < k; i++) {
        long positives = perFold[i][1];
        long negatives = perFold[i][0] - positives;
        if (positives == total[1] || negatives == total[0] - total[1]) {
          throw Errors.rejected("%s, and fold %d holds every %s row, so the pipeline fitted on the other folds would see one "
              + "outcome only. Nothing was trained. Use fewer folds (training.search.folds) or more rows.", why, i + 1,
              positives == total[1] ? "positive" : "negative");
        }
        for (int f = 0; f < spec.numericFeatures().size(); f++) {
          if (total[f + 2] - perFold[i][f + 2] == 0) {
            throw Errors.rejected("%s, and fold %d holds every value of the numeric feature '%s', so the pipeline fitted "
                + "on the other folds has no median to fill its gaps with. Nothing was trained. Use fewer folds "
                + "(training.search.folds).", why, i + 1, spec.numericFeatures().get(f));
          }
        }
      }
      for (int i = 0; i < k; i++) { // after the fits' checks: a fold holding every positive leaves others none too
        long positives = perFold[i][1];
        if (positives == 0 || positives == perFold[i][0]) {
          throw Errors.rejected("%s, and fold %d holds no %s row, so its AUC is undefined. Nothing was trained. Use fewer "
              + "folds (training.search.folds) or more rows.", why, i + 1, positives == 0 ? "positive" : "negative");
        }
      }
      List<Map<String, Double>> combinations = combinations();
      double[][] aucs = new double[combinations.size()][k];
      BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator().setLabelCol(spec.label())
          .setRawPredictionCol("rawPrediction").setMetricName("areaUnderROC");
      for (int i = 0; i < k; i++) {
        Dataset<Row> others = folded.where(col(ThresholdSearch.FOLD).notEqual(i)).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> heldOut = folded.where(col(ThresholdSearch.FOLD).equalTo(i)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
          for (int c = 0; c < combinations.size(); c++) {
            PipelineModel model = fitter.apply(spec.withParams(combinations.get(c))).apply(others);
            aucs[c][i] = auc.evaluate(model.transform(heldOut));
          }
        } finally {
          others.unpersist();
          heldOut.unpersist();
        }
        progress.accept(String.format(Locale.ROOT, "search: fold %d of %d left out, %d combinations fitted on the others and "
            + "scored on it", i + 1, k, combinations.size()));
      }
      List<Candidate> candidates = new ArrayList<>();
      int best = 0;
      for (int c = 0; c < combinations.size(); c++) {
        candidates.add(new Candidate(combinations.get(c), aucs[c]));
        if (candidates.get(c).meanAuc() > candidates.get(best).meanAuc()) {
          best = c;
        }
      }
      return new Searched(candidates, best);
    } finally {
      folded.unpersist();
    }
  }
}
