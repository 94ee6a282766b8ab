package dev.lakeline.training;

import dev.lakeline.core.Errors;
import java.util.List;

/**
 * What to train.
 *
 * @param algorithm {@code logistic_regression} or {@code gbt}
 * @param numericFeatures numeric feature columns (nulls imputed with the training median)
 * @param categoricalFeatures string feature columns (indexed and one-hot encoded; unseen values kept apart)
 * @param label the 0/1 label column
 * @param seed the estimator's seed
 */
public record TrainingSpec(
    String algorithm, List<String> numericFeatures, List<String> categoricalFeatures, String label, long seed) {
  public TrainingSpec {
    numericFeatures = List.copyOf(numericFeatures);
    categoricalFeatures = List.copyOf(categoricalFeatures);
    if (!List.of("logistic_regression", "gbt").contains(algorithm)) {
      throw Errors.config("Unknown algorithm '%s': use logistic_regression or gbt.", algorithm);
    }
    if (numericFeatures.isEmpty() && categoricalFeatures.isEmpty()) {
      throw Errors.config("Nothing to train on: the training spec lists no features.");
    }
  }
}
