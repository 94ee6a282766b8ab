package dev.lakeline.training;

import dev.lakeline.core.Errors;
import java.util.Locale;

/**
 * How the decision threshold of a trained model is set: as given ({@link TrainingSpec#threshold()}), or chosen on the
 * rows of a validation split after the fit, so that the test split still judges the model with a threshold it has not
 * seen. The threshold is picked from a grid of steps of {@link #STEP} (0.0001 … 0.9999).
 *
 * @param kind {@link Kind#FIXED}, {@link Kind#BEST_F1} or {@link Kind#TARGET_RECALL}
 * @param targetRecall under {@link Kind#TARGET_RECALL}, the share of the validation split's positive rows that must be
 *     predicted positive (above 0, at most 1); 0 otherwise
 */
public record ThresholdChoice(Kind kind, double targetRecall) {
  /** The grid's step: thresholds are chosen among 0.0001, 0.0002, … 0.9999. */
  public static final double STEP = 1e-4;

  /** The kinds of choice. */
  public enum Kind {
    /** The spec's threshold, as given. */
    FIXED,
    /** The threshold with the highest F1 (the harmonic mean of precision and recall) on the validation rows. */
    BEST_F1,
    /**
     * The highest threshold whose recall on the validation rows reaches the target: the fewest false alarms that still
     * catch that share of the positives.
     */
    TARGET_RECALL
  }

  /** The spec's threshold, as given: no validation rows needed. */
  public static final ThresholdChoice FIXED = new ThresholdChoice(Kind.FIXED, 0);

  public ThresholdChoice {
    if (kind == null) {
      throw Errors.config("A threshold choice needs a kind: fixed, best-f1 or target-recall.");
    }
    if (kind == Kind.TARGET_RECALL ? !(targetRecall > 0 && targetRecall <= 1) : targetRecall != 0) {
      throw Errors.config("A target recall must be above 0 and at most 1, and only target-recall has one; got %s with %s.",
          id(kind), targetRecall);
    }
  }

  /** The threshold with the best F1 on the validation rows. */
  public static ThresholdChoice bestF1() {
    return new ThresholdChoice(Kind.BEST_F1, 0);
  }

  /** The highest threshold that predicts at least {@code recall} of the validation rows' positives positive. */
  public static ThresholdChoice targetRecall(double recall) {
    return new ThresholdChoice(Kind.TARGET_RECALL, recall);
  }

  /**
   * The choice named {@code id} in configuration ({@code fixed}, {@code best-f1} or {@code target-recall}, any case);
   * {@code targetRecall} is used by {@code target-recall} only.
   */
  public static ThresholdChoice of(String id, double targetRecall) {
    String given = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    for (Kind k : Kind.values()) {
      if (id(k).equals(given)) {
        return k == Kind.TARGET_RECALL ? targetRecall(targetRecall) : new ThresholdChoice(k, 0);
      }
    }
    throw Errors.config("Unknown threshold choice '%s': use fixed, best-f1 or target-recall.", id);
  }

  /** Whether the threshold is chosen on validation rows. */
  public boolean fromValidation() {
    return kind != Kind.FIXED;
  }

  /** Its name in configuration and in the card: {@code fixed}, {@code best-f1}, or {@code target-recall 0.6}. */
  public String id() {
    return kind == Kind.TARGET_RECALL ? id(kind) + " " + targetRecall : id(kind);
  }

  private static String id(Kind k) {
    return k.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
