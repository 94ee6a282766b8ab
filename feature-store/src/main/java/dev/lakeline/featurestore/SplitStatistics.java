package dev.lakeline.featurestore;

import java.util.Map;

/**
 * Statistics of one split of a training dataset.
 *
 * @param rows the split's rows
 * @param eventTimeMin the earliest base event time (ISO-8601), or null when the split is empty
 * @param eventTimeMax the latest base event time (ISO-8601), or null when the split is empty
 * @param features statistics of every numeric feature, by column
 */
public record SplitStatistics(long rows, String eventTimeMin, String eventTimeMax, Map<String, FeatureStatistics> features) {
  public SplitStatistics {
    features = features == null ? Map.of() : Map.copyOf(features);
  }

  /**
   * Statistics of one numeric feature within a split.
   *
   * @param count non-null values
   * @param nulls null values
   * @param mean the mean of the non-null values, or null when there are none
   * @param min the smallest value, or null
   * @param max the largest value, or null
   */
  public record FeatureStatistics(long count, long nulls, Double mean, Double min, Double max) {}
}
