package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;

/**
 * How to build a training dataset.
 *
 * @param filter SQL predicate on the base group selecting the labelled rows (for example an issue-date range)
 * @param testFraction share of rows in the test split, by a seeded hash of the row's identity
 * @param seed the split's seed
 */
public record TrainingDatasetOptions(String filter, double testFraction, long seed) {
  public TrainingDatasetOptions {
    if (!(testFraction > 0 && testFraction < 1)) {
      throw Errors.config("The test fraction must be between 0 and 1 (exclusive), got %s.", testFraction);
    }
  }
}
