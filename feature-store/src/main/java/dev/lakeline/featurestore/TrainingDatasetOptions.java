package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;

/**
 * How to build a training dataset.
 *
 * @param filter SQL predicate on the base group selecting the labelled rows (for example an issue-date range); null
 *     or blank for all rows
 * @param split how rows are divided into train, validation and test
 * @param seed the seed of the random and entity splits' hash
 */
public record TrainingDatasetOptions(String filter, SplitSpec split, long seed) {
  public TrainingDatasetOptions {
    if (split == null) {
      throw Errors.config("Training dataset options need a split: SplitSpec.random, SplitSpec.byTime or SplitSpec.byEntity.");
    }
  }

  /** A seeded random train/test split with {@code testFraction} of the rows in test (kept for existing callers). */
  public TrainingDatasetOptions(String filter, double testFraction, long seed) {
    this(filter, SplitSpec.random(0, testFraction), seed);
  }

  /** A copy with another split. */
  public TrainingDatasetOptions withSplit(SplitSpec value) {
    return new TrainingDatasetOptions(filter, value, seed);
  }
}
