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
 */
public record TrainingSpec(
    String algorithm,
    List<String> numericFeatures,
    List<String> categoricalFeatures,
    String label,
    long seed,
    Map<String, ModelTransformation> transformations,
    double threshold) {
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
    return new TrainingSpec(algorithm, numericFeatures, categoricalFeatures, label, seed, transformations, t);
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
    return new TrainingSpec(algorithm, numericFeatures, categoricalFeatures, label, seed, used, threshold);
  }
}
