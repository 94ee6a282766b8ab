package dev.lakeline.training;

import dev.lakeline.core.Errors;
import java.util.Arrays;
import java.util.Locale;

/** How the training rows of each outcome are weighted when the estimator is fitted. */
public enum ClassWeight {
  /** Every row counts once: rare positives count little, and a model may learn to predict them seldom. */
  NONE,
  /**
   * Each outcome's rows together weigh as much as the other's: a row of outcome c weighs n / (2 n_c) on the train
   * split, as scikit-learn's {@code class_weight='balanced'}. More recall on rare positives; the scores are then no
   * longer calibrated probabilities (log loss and the Brier score say how far).
   */
  BALANCED;

  /** Its name in configuration: {@code none} or {@code balanced}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The class weight named {@code id} ({@code none} or {@code balanced}, any case). */
  public static ClassWeight of(String id) {
    for (ClassWeight w : values()) {
      if (w.id().equalsIgnoreCase(id == null ? "" : id.trim())) {
        return w;
      }
    }
    throw Errors.config("Unknown class weight '%s': use %s.", id,
        String.join(" or ", Arrays.stream(values()).map(ClassWeight::id).toList()));
  }
}
