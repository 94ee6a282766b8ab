package dev.lakeline.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.Errors;
import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.featurestore.ModelTransformation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.RobustScaler;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains a binary classifier as one MLlib {@link Pipeline}: the model-dependent transformations (imputation,
 * the declared scalers and encoders, assembly) travel inside the saved model, so scoring applies exactly what
 * training learnt. Each declared {@link ModelTransformation} maps to MLlib stages: {@code standard_scaler} to
 * {@link StandardScaler} (mean and standard deviation), {@code min_max_scaler} to {@link MinMaxScaler}, {@code
 * robust_scaler} to {@link RobustScaler} (median and quartiles), {@code label_encoder} to a {@link StringIndexer}
 * whose index is the feature, {@code one_hot_encoder} (the default for categorical features) to a {@link
 * StringIndexer} and a {@link OneHotEncoder}.
 */
public final class Trainer {
  public static final String FEATURES = "features";
  /** The column of each training row's weight under a class weight; only the fit sees it. */
  static final String WEIGHT = "__class_weight";

  private Trainer() {}

  /**
   * A fitted pipeline, its test metrics, its estimator's parameters, and its scores on the test split (what a
   * report draws its curves from; kept with the version by {@link ModelRegistry#register(String, Trained, ModelCard,
   * DriftBaseline)}).
   *
   * @param validationScores the scores the threshold was chosen on (the validation split's, or the train split's
   *     out-of-fold scores; what a report draws the choice from), else null
   */
  public record Trained(PipelineModel model, Map<String, Double> metrics, Map<String, String> params, ScoreDistribution scores,
      ScoreDistribution validationScores) {
    /** A model trained without a validation split. */
    public Trained(PipelineModel model, Map<String, Double> metrics, Map<String, String> params, ScoreDistribution scores) {
      this(model, metrics, params, scores, null);
    }
  }

  /**
   * Fits the pipeline on the labelled rows of {@code train} and evaluates it on the labelled rows of {@code test}.
   *
   * @throws dev.lakeline.core.LakelineException.DataRejected if either split has no labelled rows: nothing to fit, or
   *     a model that could not be evaluated (no AUC for the registry, a promotion or monitoring); if either split's
   *     label has one value only (MLlib would fit a one-class model, or report an AUC of 0 or 1 for a test split of one
   *     outcome); if the label has a value other than 0 and 1; or if a numeric feature has no value in the train split
   *     (MLlib's imputer has no median for it); nothing is fitted
   * @throws dev.lakeline.core.LakelineException.ConfigError if a feature or the label of {@code spec} is not a column
   *     of {@code train}, the label or a numeric feature is not a number, or a categorical feature is neither a string
   *     nor a number
   */
  public static Trained train(Dataset<Row> train, Dataset<Row> test, TrainingSpec spec) {
    return train(train, null, test, spec);
  }

  /**
   * As {@link #train(Dataset, Dataset, TrainingSpec)}, and when the spec's {@link TrainingSpec#thresholdChoice()
   * threshold choice} says so, chooses the decision threshold on the labelled rows of {@code validation} after the fit,
   * or, with {@link ThresholdChoice#withFolds(int) folds}, on out-of-fold scores of {@code train} before it (each fold
   * scored by the pipeline fitted on the other folds; {@code thresholdFolds} among the card's parameters): the model is
   * saved with it, the test metrics use it, and the card's parameters name it ({@code threshold}, or
   * GBT's {@code thresholds}, and {@code thresholdChoice}) with its metrics on those rows ({@code validation_rows},
   * {@code validation_precision}, {@code validation_recall}, {@code validation_f1}, and under min-cost {@code
   * validation_cost}: the false alarms plus the missed positives at their cost, per validation row).
   *
   * @param validation rows neither fitted on nor tested on; used only to choose the threshold (null when the threshold
   *     is fixed or chosen on out-of-fold scores)
   * @throws dev.lakeline.core.LakelineException.ConfigError if the threshold is to be chosen and no validation rows are
   *     given
   * @throws dev.lakeline.core.LakelineException.DataRejected as {@link #train(Dataset, Dataset, TrainingSpec)}, and if the
   *     threshold is to be chosen on validation rows without a positive, or no threshold gives what the choice asks for,
   *     or, with folds, some fold's other folds hold one outcome only or no value of a numeric feature
   */
  public static Trained train(Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test, TrainingSpec spec) {
    return train(train, validation, test, spec, line -> {});
  }

  /**
   * As {@link #train(Dataset, Dataset, Dataset, TrainingSpec)}, and when the spec has a {@link TrainingSpec#search()
   * hyperparameter search}, runs it first on the train split's folds ({@link ParamSearch}): the model is fitted with
   * the best combination, and the card's parameters name the grid ({@code searchGrid}, {@code searchFolds}) and every
   * combination's mean AUC ({@code searchResults}), its metrics the chosen one's ({@code search_auc}).
   *
   * @param progress told of each step of a long search (a line of text)
   * @throws dev.lakeline.core.LakelineException.DataRejected as {@link #train(Dataset, Dataset, Dataset, TrainingSpec)},
   *     and if a fold of the search could not be fitted or scored ({@link ParamSearch})
   */
  public static Trained train(Dataset<Row> train, Dataset<Row> validation, Dataset<Row> test, TrainingSpec spec,
      java.util.function.Consumer<String> progress) {
    if (spec.thresholdChoice().fromValidation() && validation == null) {
      throw Errors.config("The threshold choice %s picks the threshold on validation rows, and none were given. Pass the "
          + "validation split (a training dataset with a validation fraction), or use a fixed threshold.",
          spec.thresholdChoice().id());
    }
    List<String> columns = List.of(train.columns());
    List<String> needed = new ArrayList<>(spec.numericFeatures());
    needed.addAll(spec.categoricalFeatures());
    needed.add(spec.label());
    for (String c : needed) {
      if (!columns.contains(c)) {
        throw Errors.missingColumn("The training spec", c, columns);
      }
    }
    checkTypes(train, spec);
    Dataset<Row> fit = train.where(SqlColumns.col(spec.label()).isNotNull()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // the labelled rows and the positives among them, in one job: a class weight needs both
      Row counted = fit.agg(count(lit(1)), count(when(SqlColumns.col(spec.label()).equalTo(1), lit(1)))).first();
      long rows = counted.getLong(0);
      if (rows == 0) {
        throw Errors.rejected(
            "The training split has no labelled rows. Check the training window (--date, training.history-days) "
                + "and that the feature pipeline has run.");
      }
      if (test.where(SqlColumns.col(spec.label()).isNotNull()).isEmpty()) {
        throw Errors.rejected(
            "The test split has no labelled rows, so a model trained on it could not be evaluated (no AUC). Nothing "
                + "was trained. Give the test split labelled rows: a larger test fraction, or more rows in the dataset.");
      }
      List<Double> classes = classes(fit, spec.label());
      if (classes.size() < 2) {
        throw Errors.rejected(
            "The label '%s' has one value only (%s) in the training split's %d rows: a classifier needs rows of both "
                + "outcomes. Nothing was trained. Train on a dataset where both occur (a longer window, more rows).",
            spec.label(), number(classes.get(0)), rows);
      }
      List<Double> tested = classes(test.where(SqlColumns.col(spec.label()).isNotNull()), spec.label());
      if (tested.size() < 2) {
        // MLlib would report an AUC of 0 (negatives only) or 1 (positives only), and 1 would win every promotion
        throw Errors.rejected(
            "The label '%s' has one value only (%s) in the test split, so the model could not be evaluated: its AUC is "
                + "undefined without rows of both outcomes. Nothing was trained. Give the test split rows of both (a larger "
                + "test fraction, a longer window, more rows).", spec.label(), number(tested.get(0)));
      }
      List<String> empty = emptyFeatures(fit, spec.numericFeatures());
      if (!empty.isEmpty()) {
        throw Errors.rejected(
            "The numeric feature(s) %s have no value in any of the training split's %d labelled rows (all null or NaN), so "
                + "there is nothing to learn from them nor a median to fill their gaps with. Nothing was trained. Check the "
                + "feature pipeline that computes them (or their joins' windows), or leave them out of the training spec.",
            empty, rows);
      }
      if (spec.thresholdChoice().fromValidation()) {
        ThresholdSearch.requirePositives(validation, spec.label(), spec.thresholdChoice());
      }
      double[] weights = spec.classWeight() == ClassWeight.BALANCED ? balancedWeights(rows, counted.getLong(1)) : null;
      ParamSearch.Searched searched = null;
      if (spec.search() != null) { // before every other fit: the rest use the combination it chooses
        searched = spec.search().run(fit, spec, s -> fitter(pipeline(s), s.label(), weights), progress);
        spec = spec.withParams(searched.chosen().params());
      }
      Pipeline pipeline = pipeline(spec);
      java.util.function.Function<Dataset<Row>, PipelineModel> fitter = fitter(pipeline, spec.label(), weights);
      ThresholdSearch.Chosen chosen = null;
      if (spec.thresholdChoice().outOfFold()) { // before the fit on every row: a fold that cannot be fitted stops it first
        chosen = ThresholdSearch.chooseOutOfFold(fit, spec.label(), spec.numericFeatures(), spec.seed(), spec.thresholdChoice(),
            fitter);
      }
      PipelineModel model = fitter.apply(fit);
      if (spec.thresholdChoice().fromValidation()) {
        chosen = ThresholdSearch.choose(model, validation, spec.label(), spec.thresholdChoice());
      }
      if (chosen != null) {
        ThresholdSearch.apply(model, chosen.threshold());
      }
      Evaluation evaluated = evaluateWithScores(model, test.where(SqlColumns.col(spec.label()).isNotNull()), spec.label());
      Map<String, Double> metrics = evaluated.metrics();
      ScoreDistribution scores = evaluated.scores();
      metrics.put("train_rows", (double) rows);
      Map<String, String> params = new LinkedHashMap<>();
      PipelineStage estimator = pipeline.getStages()[pipeline.getStages().length - 1];
      for (ParamPair<?> p : estimator.extractParamMap().toList()) {
        params.put(p.param().name(),
            p.value() instanceof double[] a ? java.util.Arrays.toString(a) : String.valueOf(p.value()));
      }
      params.remove("weightCol"); // an internal column; classWeight and classWeights say what it held
      params.put("classWeight", spec.classWeight().id());
      if (weights != null) {
        params.put("classWeights", java.util.Arrays.toString(weights));
      }
      if (searched != null) {
        params.put("searchGrid", spec.search().gridText());
        params.put("searchFolds", String.valueOf(spec.search().folds()));
        params.put("searchResults", searched.text());
        metrics.put("search_auc", searched.chosen().meanAuc());
      }
      params.put("thresholdChoice", spec.thresholdChoice().id());
      if (spec.thresholdChoice().outOfFold()) {
        params.put("thresholdFolds", String.valueOf(spec.thresholdChoice().folds()));
      }
      if (chosen != null) {
        double t = chosen.threshold();
        if (spec.algorithm().equals("gbt")) {
          params.put("thresholds", java.util.Arrays.toString(new double[] {1 - t, t}));
        } else {
          params.put("threshold", String.valueOf(t));
        }
        metrics.put("validation_rows", (double) chosen.rows());
        metrics.put("validation_precision", chosen.precision());
        metrics.put("validation_recall", chosen.recall());
        metrics.put("validation_f1", chosen.f1());
        if (spec.thresholdChoice().kind() == ThresholdChoice.Kind.MIN_COST) {
          metrics.put("validation_cost", chosen.cost(spec.thresholdChoice().falseNegativeCost()) / chosen.rows());
        }
      }
      return new Trained(model, metrics, params, scores, chosen == null ? null : chosen.scores());
    } finally {
      fit.unpersist();
    }
  }

  /** The fit of {@code pipeline} on some rows, each weighted by its outcome's weight when {@code weights} are given. */
  private static java.util.function.Function<Dataset<Row>, PipelineModel> fitter(Pipeline pipeline, String label,
      double[] weights) {
    return rowsToFit -> pipeline.fit(weights == null ? rowsToFit
        : rowsToFit.withColumn(WEIGHT, when(SqlColumns.col(label).equalTo(1), lit(weights[1])).otherwise(lit(weights[0]))));
  }

  /**
   * The weights of outcome 0 and outcome 1 under {@link ClassWeight#BALANCED}: n / (2 n_c) over the {@code rows}
   * labelled rows of the train split, {@code positives} of them 1, so that each outcome's rows weigh n / 2 in all.
   */
  private static double[] balancedWeights(long rows, long positives) {
    return new double[] {rows / (2.0 * (rows - positives)), rows / (2.0 * positives)};
  }

  /**
   * The label's distinct values in {@code rows} (nulls left out), at most three, in ascending order.
   *
   * @throws dev.lakeline.core.LakelineException.DataRejected if one of them is neither 0 nor 1
   */
  private static List<Double> classes(Dataset<Row> rows, String label) {
    List<Double> out = new ArrayList<>();
    for (Row r : rows.select(SqlColumns.col(label).cast("double")).where(SqlColumns.col(label).isNotNull()).distinct().limit(3).collectAsList()) {
      out.add(r.getDouble(0));
    }
    out.sort(Double::compare);
    for (double v : out) {
      if (v != 0 && v != 1) {
        throw Errors.rejected(
            "The label '%s' has the value %s: a binary classifier learns a 0/1 label (1 for the outcome to predict). "
                + "Nothing was trained. Map the label to 0 and 1 in the feature pipeline.", label, number(v));
      }
    }
    return out;
  }

  /**
   * The label and the numeric features must be numbers, the categorical features strings or numbers: MLlib's own
   * refusal comes only after other stages have run.
   */
  private static void checkTypes(Dataset<Row> train, TrainingSpec spec) {
    org.apache.spark.sql.types.StructType schema = train.schema();
    java.util.function.Predicate<String> numeric =
        c -> schema.apply(c).dataType() instanceof org.apache.spark.sql.types.NumericType;
    if (!numeric.test(spec.label())) {
      throw Errors.config(
          "The label '%s' is of type %s: training needs a 0/1 number (int, long or double). Cast it in the feature "
              + "pipeline (a boolean as 1 for true, 0 for false).", spec.label(), schema.apply(spec.label()).dataType().simpleString());
    }
    List<String> wrong = spec.numericFeatures().stream().filter(numeric.negate())
        .map(c -> c + " (" + schema.apply(c).dataType().simpleString() + ")").toList();
    if (!wrong.isEmpty()) {
      throw Errors.config(
          "The numeric feature(s) %s are not numbers. Cast them in the feature pipeline, or list them as categorical "
              + "features of the training spec.", wrong);
    }
    List<String> unindexable = spec.categoricalFeatures().stream()
        .filter(c -> !(schema.apply(c).dataType() instanceof org.apache.spark.sql.types.StringType) && !numeric.test(c))
        .map(c -> c + " (" + schema.apply(c).dataType().simpleString() + ")").toList();
    if (!unindexable.isEmpty()) {
      // MLlib's StringIndexer takes strings and numbers only
      throw Errors.config(
          "The categorical feature(s) %s are neither strings nor numbers, which MLlib's encoders take. Cast them in the "
              + "feature pipeline (a boolean to a string or to 0/1).", unindexable);
    }
  }

  /** The numeric features without a value (all null or NaN) in {@code rows}: one Spark job. */
  private static List<String> emptyFeatures(Dataset<Row> rows, List<String> numeric) {
    if (numeric.isEmpty()) {
      return List.of();
    }
    List<org.apache.spark.sql.Column> counts = numeric.stream()
        .map(c -> count(when(hasValue(c), 1)))
        .toList();
    Row values = rows.agg(counts.get(0), counts.subList(1, counts.size()).toArray(org.apache.spark.sql.Column[]::new)).first();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < numeric.size(); i++) {
      if (values.getLong(i) == 0) {
        out.add(numeric.get(i));
      }
    }
    return out;
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  /**
   * The test metrics of {@code model} on {@code test}: {@code test_rows}; {@code areaUnderROC} and {@code areaUnderPR}
   * (left out when the rows have one outcome only: they are undefined then, and MLlib would give 0 or 1);
   * {@code accuracy}, {@code precision} and {@code recall} of the positive class at the model's own threshold (its
   * {@code prediction}: above 0.5 unless {@link TrainingSpec#threshold()} says otherwise; precision is left out when
   * nothing is predicted positive, recall when no row is positive);
   * {@code logLoss} and {@code brierScore}, which judge the scores as probabilities (lower is better: a model that ranks
   * well can still be badly calibrated); and {@code test_positive_rate}.
   */
  public static Map<String, Double> evaluate(PipelineModel model, Dataset<Row> test, String label) {
    Dataset<Row> scored = model.transform(test).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return metrics(scored, label);
    } finally {
      scored.unpersist();
    }
  }

  /**
   * A model's metrics on some rows ({@link #evaluate}) with its scores on them, binned ({@link
   * ScoreDistribution#DEFAULT_BINS}).
   */
  public record Evaluation(Map<String, Double> metrics, ScoreDistribution scores) {}

  /** As {@link #evaluate}, and the rows' scores binned too, from the same scoring of the rows. */
  public static Evaluation evaluateWithScores(PipelineModel model, Dataset<Row> rows, String label) {
    Dataset<Row> scored = model.transform(rows).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return new Evaluation(metrics(scored, label), ScoreDistribution.of(scored, label, ScoreDistribution.DEFAULT_BINS));
    } finally {
      scored.unpersist();
    }
  }

  /** Whether {@code column} holds a value (not null, not NaN), as a count's condition. */
  static Column hasValue(String column) {
    return SqlColumns.col(column).isNotNull().and(not(isnan(SqlColumns.col(column).cast("double"))));
  }

  /** The smallest probability a log loss takes the logarithm of, as MLlib's evaluator (it would be infinite at 0). */
  private static final double LOG_LOSS_EPS = 1e-15;

  private static Map<String, Double> metrics(Dataset<Row> scored, String label) {
    Map<String, Double> m = new LinkedHashMap<>();
    Column y = SqlColumns.col(label).cast("double");
    Column positive = y.equalTo(1.0);
    Column predicted = col("prediction").equalTo(1.0);
    Column p = org.apache.spark.ml.functions.vector_to_array(col("probability"), "float64").getItem(1);
    Column pOfOutcome = when(positive, p).otherwise(lit(1.0).minus(p));
    // one pass for the counts and the probability metrics
    Row r = scored.agg(
        count(lit(1)),
        sum(when(positive, 1L).otherwise(0L)),
        sum(when(predicted, 1L).otherwise(0L)),
        sum(when(predicted.and(positive), 1L).otherwise(0L)),
        sum(when(col("prediction").equalTo(y), 1L).otherwise(0L)),
        sum(pow(p.minus(y), 2)),
        sum(negate(log(greatest(pOfOutcome, lit(LOG_LOSS_EPS)))))).first();
    long n = r.getLong(0);
    m.put("test_rows", (double) n);
    if (n == 0) {
      return m;
    }
    long positives = r.getLong(1);
    long predictedPositive = r.getLong(2);
    long truePositives = r.getLong(3);
    if (positives > 0 && positives < n) {
      BinaryClassificationEvaluator binary =
          new BinaryClassificationEvaluator().setLabelCol(label).setRawPredictionCol("rawPrediction");
      m.put("areaUnderROC", binary.setMetricName("areaUnderROC").evaluate(scored));
      m.put("areaUnderPR", binary.setMetricName("areaUnderPR").evaluate(scored));
    }
    m.put("accuracy", r.getLong(4) / (double) n);
    if (predictedPositive > 0) {
      m.put("precision", truePositives / (double) predictedPositive);
    }
    if (positives > 0) {
      m.put("recall", truePositives / (double) positives);
    }
    m.put("logLoss", r.getDouble(6) / n);
    m.put("brierScore", r.getDouble(5) / n);
    m.put("test_positive_rate", positives / (double) n);
    return m;
  }

  private static GBTClassifier gbt(TrainingSpec spec) {
    GBTClassifier gbt = new GBTClassifier().setLabelCol(spec.label()).setFeaturesCol(FEATURES)
        .setMaxIter(spec.intParam("maxIter")).setMaxDepth(spec.intParam("maxDepth")).setStepSize(spec.params().get("stepSize"))
        .setSeed(spec.seed());
    if (spec.classWeight() != ClassWeight.NONE) {
      gbt.setWeightCol(WEIGHT);
    }
    if (spec.threshold() != TrainingSpec.DEFAULT_THRESHOLD) {
      // class 1 when p1 / t > p0 / (1 - t), that is when p1 > t; left unset at 0.5, as MLlib's default
      gbt.setThresholds(new double[] {1 - spec.threshold(), spec.threshold()});
    }
    return gbt;
  }

  /**
   * The decision threshold recorded in a card's estimator parameters: logistic regression's {@code threshold}, or the
   * second of a classifier's {@code thresholds}; 0.5, MLlib's default, when neither is there.
   */
  public static double threshold(Map<String, String> params) {
    if (params == null) {
      return TrainingSpec.DEFAULT_THRESHOLD;
    }
    try {
      if (params.containsKey("thresholds")) {
        String[] t = params.get("thresholds").replaceAll("[\\[\\]\\s]", "").split(",");
        if (t.length == 2) {
          return Double.parseDouble(t[1]);
        }
      }
      if (params.containsKey("threshold")) {
        return Double.parseDouble(params.get("threshold"));
      }
    } catch (NumberFormatException unreadable) {
      // a card written by hand; MLlib's default is the best guess
    }
    return TrainingSpec.DEFAULT_THRESHOLD;
  }

  static Pipeline pipeline(TrainingSpec spec) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> assembled = new ArrayList<>();
    Map<String, ModelTransformation> declared = spec.transformations();
    if (!spec.numericFeatures().isEmpty()) {
      String[] in = spec.numericFeatures().toArray(String[]::new);
      String[] out = spec.numericFeatures().stream().map(c -> c + "__imputed").toArray(String[]::new);
      stages.add(new Imputer().setInputCols(in).setOutputCols(out).setStrategy("median"));
      spec.numericFeatures().stream().filter(c -> !declared.containsKey(c)).forEach(c -> assembled.add(c + "__imputed"));
    }
    for (ModelTransformation t : ModelTransformation.values()) {
      if (!t.numeric()) {
        continue;
      }
      String[] in =
          spec.numericFeatures().stream().filter(c -> declared.get(c) == t).map(c -> c + "__imputed").toArray(String[]::new);
      if (in.length > 0) {
        // MLlib scales vectors: one assembler and one scaler per kind, each fitted on the train split
        String vector = "__" + t.id() + "_in";
        stages.add(new VectorAssembler().setInputCols(in).setOutputCol(vector));
        stages.add(scaler(t, vector, "__" + t.id()));
        assembled.add("__" + t.id());
      }
    }
    for (String c : spec.categoricalFeatures()) {
      stages.add(new StringIndexer().setInputCol(c).setOutputCol(c + "__index").setHandleInvalid("keep"));
      if (declared.get(c) == ModelTransformation.LABEL_ENCODER) {
        assembled.add(c + "__index");
      }
    }
    List<String> oneHot =
        spec.categoricalFeatures().stream().filter(c -> declared.get(c) != ModelTransformation.LABEL_ENCODER).toList();
    if (!oneHot.isEmpty()) {
      String[] in = oneHot.stream().map(c -> c + "__index").toArray(String[]::new);
      String[] out = oneHot.stream().map(c -> c + "__onehot").toArray(String[]::new);
      stages.add(new OneHotEncoder().setInputCols(in).setOutputCols(out).setHandleInvalid("keep"));
      assembled.addAll(List.of(out));
    }
    stages.add(
        new VectorAssembler()
            .setInputCols(assembled.toArray(String[]::new))
            .setOutputCol(FEATURES)
            .setHandleInvalid("keep"));
    if (spec.algorithm().equals("gbt")) {
      stages.add(gbt(spec));
    } else {
      LogisticRegression lr = new LogisticRegression()
          .setLabelCol(spec.label())
          .setFeaturesCol(FEATURES)
          .setMaxIter(spec.intParam("maxIter"))
          .setRegParam(spec.params().get("regParam"))
          .setElasticNetParam(spec.params().get("elasticNetParam"))
          .setThreshold(spec.threshold());
      if (spec.classWeight() != ClassWeight.NONE) {
        lr.setWeightCol(WEIGHT);
      }
      stages.add(lr);
    }
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new));
  }

  private static PipelineStage scaler(ModelTransformation t, String in, String out) {
    return switch (t) {
      case STANDARD_SCALER -> new StandardScaler().setInputCol(in).setOutputCol(out).setWithMean(true).setWithStd(true);
      case MIN_MAX_SCALER -> new MinMaxScaler().setInputCol(in).setOutputCol(out);
      case ROBUST_SCALER -> new RobustScaler().setInputCol(in).setOutputCol(out).setWithCentering(true).setWithScaling(true);
      default -> throw new IllegalArgumentException(t + " is not a scaler");
    };
  }
}
