package dev.lakeline.training;

import dev.lakeline.core.Errors;
import dev.lakeline.featurestore.ModelTransformation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to train.
 *
 * @param algorithm {@code logistic_regression} or {@code gbt}
 * @param numericFeatures numeric feature columns (nulls imputed with the training median)
 * @param categoricalFeatures string feature columns (indexed and one-hot encoded unless a transformation says
 *     otherwise; unseen values kept apart)
 * @param label the 0/1 label column
 * @param seed the estimator's seed
 * @param transformations model-dependent transformations by feature, usually the feature view's declared ones
 *     ({@code FeatureViewSpec.transformations()}): scalers for numeric features (applied after imputation),
 *     encoders for categorical ones. All are fitted on the train split and saved inside the model.
 * @param threshold the score above which a row is predicted positive (1), strictly between 0 and 1 (0.5 unless set):
 *     saved inside the model, so its {@code prediction} column, the batch predictions' and the card's accuracy,
 *     precision and recall all use it
 * @param params the estimator's hyperparameters by MLlib's names, those not given at {@link #defaultParams}:
 *     {@code maxIter}, {@code regParam} and {@code elasticNetParam} for logistic regression; {@code maxIter},
 *     {@code maxDepth} and {@code stepSize} for GBT
 * @param classWeight how the rows of each outcome are weighted in the fit ({@link ClassWeight#NONE} unless set)
 * @param thresholdChoice whether {@code threshold} is used as given ({@link ThresholdChoice#FIXED}, unless set) or a
 *     threshold is chosen on the rows of a validation split after the fit ({@link Trainer#train(org.apache.spark.sql.Dataset,
 *     org.apache.spark.sql.Dataset, org.apache.spark.sql.Dataset, TrainingSpec)}) or on out-of-fold scores of the train
 *     split ({@link ThresholdChoice#withFolds(int)})
 * @param search a hyperparameter search by cross-validation on the train split ({@link ParamSearch}), whose best
 *     combination replaces those hyperparameters' values in {@code params} before the model is fitted; null for none
 */
public record TrainingSpec(
    String algorithm,
    List<String> numericFeatures,
    List<String> categoricalFeatures,
    String label,
    long seed,
    Map<String, ModelTransformation> transformations,
    double threshold,
    Map<String, Double> params,
    ClassWeight classWeight,
    ThresholdChoice thresholdChoice,
    ParamSearch search) {
  /** MLlib's own threshold, the default. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  public TrainingSpec {
    if (!(threshold > 0 && threshold < 1)) {
      throw Errors.config("The decision threshold must lie strictly between 0 and 1, got %s: at 0 or 1 every row would "
          + "get the same prediction. 0.5 is MLlib's; a lower one predicts more positives (more recall, less precision).",
          threshold);
    }
    if (numericFeatures == null || categoricalFeatures == null) {
      throw Errors.config("TrainingSpec needs %s as a list of columns, got null: pass an empty list ([] from Python, "
          + "List.of() from Java) for none.", numericFeatures == null ? "numericFeatures" : "categoricalFeatures");
    }
    if (label == null || label.isBlank()) {
      throw Errors.config("TrainingSpec needs a label: the 0/1 column to learn, such as 'is_default'.");
    }
    numericFeatures = List.copyOf(numericFeatures);
    categoricalFeatures = List.copyOf(categoricalFeatures);
    transformations =
        transformations == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(transformations));
    if (!List.of("logistic_regression", "gbt").contains(algorithm)) {
      throw Errors.config("Unknown algorithm '%s': use logistic_regression or gbt.", algorithm);
    }
    params = checkedParams(algorithm, params);
    if (search != null) {
      for (Map<String, Double> combination : search.combinations()) {
        Map<String, Double> merged = new LinkedHashMap<>(params);
        merged.putAll(combination);
        checkedParams(algorithm, merged); // a name the algorithm lacks, a value out of range: said before any fit
      }
    }
    classWeight = classWeight == null ? ClassWeight.NONE : classWeight;
    thresholdChoice = thresholdChoice == null ? ThresholdChoice.FIXED : thresholdChoice;
    if (numericFeatures.isEmpty() && categoricalFeatures.isEmpty()) {
      throw Errors.config("Nothing to train on: the training spec lists no features.");
    }
    if (numericFeatures.contains(label) || categoricalFeatures.contains(label)) {
      // the model would learn the answer from itself: a perfect test AUC that no batch to score can have
      throw Errors.config(
          "The label '%s' is also listed as a feature of the training spec: the model would learn the outcome from the "
              + "outcome itself. Leave it out of the features.", label);
    }
    for (Map.Entry<String, ModelTransformation> t : transformations.entrySet()) {
      List<String> fitting = t.getValue().numeric() ? numericFeatures : categoricalFeatures;
      if (!fitting.contains(t.getKey())) {
        throw Errors.config(
            "The transformation %s of '%s' needs a %s feature, and the training spec's %s features are %s.%s",
            t.getValue(), t.getKey(), t.getValue().numeric() ? "numeric" : "categorical",
            t.getValue().numeric() ? "numeric" : "categorical", fitting,
            numericFeatures.contains(t.getKey()) || categoricalFeatures.contains(t.getKey())
                ? " Pick a transformation of the right kind." : " Add the feature to the spec or drop the transformation.");
      }
    }
  }

  /** A spec without a hyperparameter search. */
  public TrainingSpec(String algorithm, List<String> numericFeatures, List<String> categoricalFeatures, String label, long seed,
      Map<String, ModelTransformation> transformations, double threshold, Map<String, Double> params, ClassWeight classWeight,
      ThresholdChoice thresholdChoice) {
    this(algorithm, numericFeatures, categoricalFeatures, label, seed, transformations, threshold, params, classWeight,
        thresholdChoice, null);
  }

  /** A spec whose threshold is used as given. */
  public TrainingSpec(String algorithm, List<String> numericFeatures, List<String> categoricalFeatures, String label, long seed,
      Map<String, ModelTransformation> transformations, double threshold, Map<String, Double> params, ClassWeight classWeight) {
    this(algorithm, numericFeatures, categoricalFeatures, label, seed, transformations, threshold, params, classWeight, null);
  }

  /** A spec with the default hyperparameters and no class weight. */
  public TrainingSpec(String algorithm, List<String> numericFeatures, List<String> categoricalFeatures, String label, long seed,
      Map<String, ModelTransformation> transformations, double threshold) {
    this(algorithm, numericFeatures, categoricalFeatures, label, seed, transformations, threshold, null, null, null);
  }

  /** A spec with MLlib's threshold, 0.5. */
  public TrainingSpec(String algorithm, List<String> numericFeatures, List<String> categoricalFeatures, String label, long seed,
      Map<String, ModelTransformation> transformations) {
    this(algorithm, numericFeatures, categoricalFeatures, label, seed, transformations, DEFAULT_THRESHOLD);
  }

  /** A spec without model-dependent transformations beyond the defaults, with MLlib's threshold. */
  public TrainingSpec(String algorithm, List<String> numericFeatures, List<String> categoricalFeatures, String label, long seed) {
    this(algorithm, numericFeatures, categoricalFeatures, label, seed, Map.of());
  }

  /** This spec with the decision threshold {@code t}: a score above {@code t} predicts 1. */
  public TrainingSpec withThreshold(double t) {
    return new TrainingSpec(algorithm, numericFeatures, categoricalFeatures, label, seed, transformations, t, params, classWeight,
        thresholdChoice, search);
  }

  /**
   * This spec with the hyperparameters {@code given} (MLlib's names, such as {@code regParam} or {@code maxDepth}) in
   * place of its own; the others keep their values.
   */
  public TrainingSpec withParams(Map<String, ? extends Number> given) {
    Map<String, Double> merged = new LinkedHashMap<>(params);
    merged.putAll(numbers(algorithm, given));
    return new TrainingSpec(algorithm, numericFeatures, categoricalFeatures, label, seed, transformations, threshold, merged,
        classWeight, thresholdChoice, search);
  }

  /** This spec with the class weight {@code w}. */
  public TrainingSpec withClassWeight(ClassWeight w) {
    return new TrainingSpec(algorithm, numericFeatures, categoricalFeatures, label, seed, transformations, threshold, params, w,
        thresholdChoice, search);
  }

  /**
   * This spec with the threshold chosen as {@code choice} says ({@link ThresholdChoice#bestF1()}, {@link
   * ThresholdChoice#targetRecall(double)}, {@link ThresholdChoice#minCost(double)}; on validation rows, or on out-of-fold
   * scores with {@link ThresholdChoice#withFolds(int)}), or used as given ({@link ThresholdChoice#FIXED}).
   */
  public TrainingSpec withThresholdChoice(ThresholdChoice choice) {
    return new TrainingSpec(algorithm, numericFeatures, categoricalFeatures, label, seed, transformations, threshold, params,
        classWeight, choice, search);
  }

  /**
   * This spec with the hyperparameter search {@code s} (null for none): the best of its combinations on the train
   * split's folds replaces those hyperparameters' values before the model is fitted.
   */
  public TrainingSpec withSearch(ParamSearch s) {
    return new TrainingSpec(algorithm, numericFeatures, categoricalFeatures, label, seed, transformations, threshold, params,
        classWeight, thresholdChoice, s);
  }

  /**
   * The record's text, part of a training's run key; a search is named only when there is one, so the keys of specs
   * without one read as they did before searches existed.
   */
  @Override
  public String toString() {
    return "TrainingSpec[algorithm=" + algorithm + ", numericFeatures=" + numericFeatures + ", categoricalFeatures="
        + categoricalFeatures + ", label=" + label + ", seed=" + seed + ", transformations=" + transformations
        + ", threshold=" + threshold + ", params=" + params + ", classWeight=" + classWeight + ", thresholdChoice="
        + thresholdChoice + (search == null ? "" : ", search=" + search) + "]";
  }

  /** The hyperparameters {@code algorithm} is trained with unless a spec says otherwise, in their documented order. */
  public static Map<String, Double> defaultParams(String algorithm) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (algorithm.equals("gbt")) {
      out.put("maxIter", 30.0);
      out.put("maxDepth", 4.0);
      out.put("stepSize", 0.1);
    } else {
      out.put("maxIter", 100.0);
      out.put("regParam", 0.001);
      out.put("elasticNetParam", 0.0);
    }
    return out;
  }

  /**
   * {@code given}'s values as doubles: from Python (Py4J) a whole number arrives as an Integer even in a map declared
   * of Doubles.
   */
  private static Map<String, Double> numbers(String algorithm, Map<String, ?> given) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (given == null) {
      return out;
    }
    for (Map.Entry<String, ?> p : given.entrySet()) {
      Object v = p.getValue();
      if (!(v instanceof Number n)) {
        throw Errors.config("The %s hyperparameter %s must be a number, got %s.", algorithm, p.getKey(),
            v == null ? "nothing" : "'" + v + "'");
      }
      out.put(p.getKey(), n.doubleValue());
    }
    return out;
  }

  /** {@code given} over the algorithm's defaults, each checked: a known name, a value in its range. */
  static Map<String, Double> checkedParams(String algorithm, Map<String, ?> raw) {
    Map<String, Double> out = defaultParams(algorithm);
    for (Map.Entry<String, Double> p : numbers(algorithm, raw).entrySet()) {
      String name = p.getKey();
      Double v = p.getValue();
      if (!out.containsKey(name)) {
        throw Errors.config("%s has no hyperparameter '%s': its hyperparameters are %s.", algorithm, name, out.keySet());
      }
      String expected = switch (name) {
        case "maxIter" -> v >= 1 && v <= 10_000 && v == Math.rint(v) ? null : "a whole number from 1 to 10000";
        case "maxDepth" -> v >= 1 && v <= 30 && v == Math.rint(v) ? null : "a whole number from 1 to 30 (MLlib's limit)";
        case "regParam" -> v >= 0 && Double.isFinite(v) ? null : "a number >= 0";
        case "elasticNetParam" -> v >= 0 && v <= 1 ? null : "a number from 0 (L2) to 1 (L1)";
        case "stepSize" -> v > 0 && v <= 1 ? null : "a number > 0 and <= 1";
        default -> throw new IllegalStateException(name);
      };
      if (expected != null) {
        throw Errors.config("The %s hyperparameter %s must be %s, got %s.", algorithm, name, expected, v);
      }
      out.put(name, v);
    }
    return Collections.unmodifiableMap(out);
  }

  /** The hyperparameter {@code name} as a whole number (maxIter, maxDepth). */
  int intParam(String name) {
    return (int) Math.round(params.get(name));
  }

  /**
   * This spec with the transformations of the features it trains on, taken from {@code declared} (for example a
   * feature view's); declarations for features it does not use are ignored.
   */
  public TrainingSpec withTransformations(Map<String, ModelTransformation> declared) {
    Map<String, ModelTransformation> used = new LinkedHashMap<>();
    declared.forEach((feature, t) -> {
      if (numericFeatures.contains(feature) || categoricalFeatures.contains(feature)) {
        used.put(feature, t);
      }
    });
    return new TrainingSpec(algorithm, numericFeatures, categoricalFeatures, label, seed, used, threshold, params, classWeight,
        thresholdChoice, search);
  }
}
