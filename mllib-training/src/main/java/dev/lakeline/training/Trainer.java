package dev.lakeline.training;

import static org.apache.spark.sql.functions.col;

import dev.lakeline.core.Errors;
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
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.MinMaxScaler;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.RobustScaler;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamPair;
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

  private Trainer() {}

  /**
   * A fitted pipeline, its test metrics, its estimator's parameters, and its scores on the test split (what a
   * report draws its curves from; kept with the version by {@link ModelRegistry#register(String, PipelineModel,
   * ModelCard, ScoreDistribution)}).
   */
  public record Trained(PipelineModel model, Map<String, Double> metrics, Map<String, String> params, ScoreDistribution scores) {}

  /**
   * Fits the pipeline on the labelled rows of {@code train} and evaluates it on the labelled rows of {@code test}.
   *
   * @throws dev.lakeline.core.LakelineException.DataRejected if either split has no labelled rows: nothing to fit, or
   *     a model that could not be evaluated (no AUC for the registry, a promotion or monitoring); or if the train
   *     split's label has one value only (MLlib would fit a one-class model that cannot be evaluated); nothing is fitted
   * @throws dev.lakeline.core.LakelineException.ConfigError if a feature or the label of {@code spec} is not a column
   *     of {@code train}
   */
  public static Trained train(Dataset<Row> train, Dataset<Row> test, TrainingSpec spec) {
    List<String> columns = List.of(train.columns());
    List<String> needed = new ArrayList<>(spec.numericFeatures());
    needed.addAll(spec.categoricalFeatures());
    needed.add(spec.label());
    for (String c : needed) {
      if (!columns.contains(c)) {
        throw Errors.missingColumn("The training spec", c, columns);
      }
    }
    Dataset<Row> fit = train.where(col(spec.label()).isNotNull()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long rows = fit.count();
      if (rows == 0) {
        throw Errors.rejected(
            "The training split has no labelled rows. Check the training window (--date, training.history-days) "
                + "and that the feature pipeline has run.");
      }
      if (test.where(col(spec.label()).isNotNull()).isEmpty()) {
        throw Errors.rejected(
            "The test split has no labelled rows, so a model trained on it could not be evaluated (no AUC). Nothing "
                + "was trained. Give the test split labelled rows: a larger test fraction, or more rows in the dataset.");
      }
      List<Row> classes = fit.select(col(spec.label())).distinct().limit(2).collectAsList();
      if (classes.size() < 2) {
        throw Errors.rejected(
            "The label '%s' has one value only (%s) in the training split's %d rows: a classifier needs rows of both "
                + "outcomes. Nothing was trained. Train on a dataset where both occur (a longer window, more rows).",
            spec.label(), classes.get(0).get(0), rows);
      }
      Pipeline pipeline = pipeline(spec);
      PipelineModel model = pipeline.fit(fit);
      Dataset<Row> scored = model.transform(test.where(col(spec.label()).isNotNull())).persist(StorageLevel.MEMORY_AND_DISK());
      Map<String, Double> metrics;
      ScoreDistribution scores;
      try {
        metrics = metrics(scored, spec.label());
        scores = ScoreDistribution.of(scored, spec.label(), ScoreDistribution.DEFAULT_BINS);
      } finally {
        scored.unpersist();
      }
      metrics.put("train_rows", (double) rows);
      Map<String, String> params = new LinkedHashMap<>();
      PipelineStage estimator = pipeline.getStages()[pipeline.getStages().length - 1];
      for (ParamPair<?> p : estimator.extractParamMap().toList()) {
        params.put(p.param().name(), String.valueOf(p.value()));
      }
      return new Trained(model, metrics, params, scores);
    } finally {
      fit.unpersist();
    }
  }

  /** areaUnderROC, areaUnderPR, accuracy, test_rows and the test base rate. */
  public static Map<String, Double> evaluate(PipelineModel model, Dataset<Row> test, String label) {
    Dataset<Row> scored = model.transform(test).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return metrics(scored, label);
    } finally {
      scored.unpersist();
    }
  }

  private static Map<String, Double> metrics(Dataset<Row> scored, String label) {
    Map<String, Double> m = new LinkedHashMap<>();
    long n = scored.count();
    m.put("test_rows", (double) n);
    if (n == 0) {
      return m;
    }
    BinaryClassificationEvaluator binary =
        new BinaryClassificationEvaluator().setLabelCol(label).setRawPredictionCol("rawPrediction");
    m.put("areaUnderROC", binary.setMetricName("areaUnderROC").evaluate(scored));
    m.put("areaUnderPR", binary.setMetricName("areaUnderPR").evaluate(scored));
    m.put(
        "accuracy",
        new MulticlassClassificationEvaluator()
            .setLabelCol(label)
            .setPredictionCol("prediction")
            .setMetricName("accuracy")
            .evaluate(scored));
    m.put("test_positive_rate", scored.where(col(label).equalTo(1)).count() / (double) n);
    return m;
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
      stages.add(
          new GBTClassifier()
              .setLabelCol(spec.label())
              .setFeaturesCol(FEATURES)
              .setMaxIter(30)
              .setMaxDepth(4)
              .setSeed(spec.seed()));
    } else {
      stages.add(
          new LogisticRegression()
              .setLabelCol(spec.label())
              .setFeaturesCol(FEATURES)
              .setMaxIter(100)
              .setRegParam(0.001));
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
