package dev.lakeline.training;

import dev.lakeline.core.Errors;
import java.util.Locale;

/**
 * How the decision threshold of a trained model is set: as given ({@link TrainingSpec#threshold()}), or chosen on the
 * rows of a validation split after the fit, so that the test split still judges the model with a threshold it has not
 * seen, or on out-of-fold scores of the train split ({@link #withFolds(int)}), so that no rows are held out of training
 * for it. The threshold is picked from a grid of steps of {@link #STEP} (0.0001 … 0.9999).
 *
 * @param kind {@link Kind#FIXED}, {@link Kind#BEST_F1}, {@link Kind#TARGET_RECALL} or {@link Kind#MIN_COST}
 * @param targetRecall under {@link Kind#TARGET_RECALL}, the share of the validation split's positive rows that must be
 *     predicted positive (above 0, at most 1); 0 otherwise
 * @param falseNegativeCost under {@link Kind#MIN_COST}, what a missed positive costs in false alarms (above 0: 5 means
 *     a missed default costs as much as five good loans turned away); 0 otherwise
 * @param folds 0 to choose on the validation split's rows; from 2 to {@link #MAX_FOLDS} to choose on out-of-fold scores
 *     of the train split instead: its rows are dealt into that many folds, each fold is scored by the pipeline fitted
 *     on the others, and the choice is made on all those scores together (then the model is fitted on every train row)
 */
public record ThresholdChoice(Kind kind, double targetRecall, double falseNegativeCost, int folds) {
  /** The grid's step: thresholds are chosen among 0.0001, 0.0002, … 0.9999. */
  public static final double STEP = 1e-4;

  /** The most folds {@link #withFolds(int)} takes: each fold costs one more fit. */
  public static final int MAX_FOLDS = 20;

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
    TARGET_RECALL,
    /**
     * The threshold with the lowest cost on the validation rows, a false alarm costing 1 and a missed positive {@link
     * #falseNegativeCost()}: the decision a known price of each mistake asks for.
     */
    MIN_COST
  }

  /** The spec's threshold, as given: no validation rows needed. */
  public static final ThresholdChoice FIXED = new ThresholdChoice(Kind.FIXED, 0);

  public ThresholdChoice {
    if (kind == null) {
      throw Errors.config("A threshold choice needs a kind: fixed, best-f1, target-recall or min-cost.");
    }
    if (kind == Kind.TARGET_RECALL ? !(targetRecall > 0 && targetRecall <= 1) : targetRecall != 0) {
      throw Errors.config("A target recall must be above 0 and at most 1, and only target-recall has one; got %s with %s.",
          id(kind), targetRecall);
    }
    if (kind == Kind.MIN_COST ? !(falseNegativeCost > 0 && Double.isFinite(falseNegativeCost)) : falseNegativeCost != 0) {
      throw Errors.config("A missed positive's cost must be a number above 0 (in false alarms), and only min-cost has one; "
          + "got %s with %s.", id(kind), falseNegativeCost);
    }
    if (folds != 0 && (folds < 2 || folds > MAX_FOLDS)) {
      throw Errors.config("A threshold chosen on out-of-fold scores needs 2 to %d folds, got %d (0: choose on the "
          + "validation split instead).", MAX_FOLDS, folds);
    }
    if (folds != 0 && kind == Kind.FIXED) {
      throw Errors.config("A fixed threshold is not chosen on anything, so it takes no folds (got %d). Choose best-f1, "
          + "target-recall or min-cost to choose it on out-of-fold scores, or leave the folds at 0.", folds);
    }
  }

  /** A choice without a missed positive's cost (every kind but {@link Kind#MIN_COST}), on the validation split. */
  public ThresholdChoice(Kind kind, double targetRecall) {
    this(kind, targetRecall, 0, 0);
  }

  /** A choice on the validation split. */
  public ThresholdChoice(Kind kind, double targetRecall, double falseNegativeCost) {
    this(kind, targetRecall, falseNegativeCost, 0);
  }

  /**
   * This choice made on out-of-fold scores of the train split, {@code folds} folds (2 to {@link #MAX_FOLDS}; 0: on
   * the validation split): no validation split is needed, and the model is still fitted on every train row. It costs
   * {@code folds} more fits.
   */
  public ThresholdChoice withFolds(int folds) {
    return new ThresholdChoice(kind, targetRecall, falseNegativeCost, folds);
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
   * The lowest-cost threshold on the validation rows when a false alarm costs 1 and a missed positive {@code
   * falseNegativeCost}. For a model whose scores are calibrated probabilities that is about 1 / (1 + cost).
   */
  public static ThresholdChoice minCost(double falseNegativeCost) {
    return new ThresholdChoice(Kind.MIN_COST, 0, falseNegativeCost);
  }

  /**
   * The choice named {@code id} in configuration ({@code fixed}, {@code best-f1}, {@code target-recall} or {@code
   * min-cost}, any case); {@code targetRecall} is used by {@code target-recall} only, {@code falseNegativeCost} by
   * {@code min-cost} only.
   */
  public static ThresholdChoice of(String id, double targetRecall, double falseNegativeCost) {
    String given = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    for (Kind k : Kind.values()) {
      if (id(k).equals(given)) {
        return switch (k) {
          case TARGET_RECALL -> targetRecall(targetRecall);
          case MIN_COST -> minCost(falseNegativeCost);
          default -> new ThresholdChoice(k, 0);
        };
      }
    }
    throw Errors.config("Unknown threshold choice '%s': use fixed, best-f1, target-recall or min-cost.", id);
  }

  /** As {@link #of(String, double, double)} with a missed positive costing one false alarm. */
  public static ThresholdChoice of(String id, double targetRecall) {
    return of(id, targetRecall, 1);
  }

  /** Whether the threshold is chosen on the rows of a validation split. */
  public boolean fromValidation() {
    return kind != Kind.FIXED && folds == 0;
  }

  /** Whether the threshold is chosen on out-of-fold scores of the train split. */
  public boolean outOfFold() {
    return folds > 0;
  }

  /**
   * Its name in configuration and in the card: {@code fixed}, {@code best-f1}, {@code target-recall 0.6}, or {@code
   * min-cost 5.0}.
   */
  public String id() {
    return switch (kind) {
      case TARGET_RECALL -> id(kind) + " " + targetRecall;
      case MIN_COST -> id(kind) + " " + falseNegativeCost;
      default -> id(kind);
    };
  }

  /**
   * As a record's, without the missed positive's cost unless it is {@link Kind#MIN_COST} and without the folds unless
   * there are some: a training's run key holds this text, and the versions trained before min-cost and the folds
   * existed keep theirs.
   */
  @Override
  public String toString() {
    return "ThresholdChoice[kind=" + kind + ", targetRecall=" + targetRecall
        + (kind == Kind.MIN_COST ? ", falseNegativeCost=" + falseNegativeCost : "")
        + (folds > 0 ? ", folds=" + folds : "") + "]";
  }

  private static String id(Kind k) {
    return k.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
