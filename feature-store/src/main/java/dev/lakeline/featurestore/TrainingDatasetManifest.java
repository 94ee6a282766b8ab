package dev.lakeline.featurestore;

import java.util.List;
import java.util.Map;

/**
 * The record that makes a training dataset reproducible and describes it: which view, which spine rows, the Delta
 * version of every group read, how they were joined, which split and seed, and what came out. Stored as {@code
 * manifest.json} next to the dataset's Delta table; {@link FeatureView#recreateTrainingDataset} rebuilds the rows
 * from it.
 *
 * @param identity what defines the dataset; equal identities give identical rows
 * @param number the dataset's number within its view version ({@code td<n>})
 * @param features the feature columns
 * @param labels the label columns
 * @param keys the columns that identify a row (base key and event time)
 * @param spine the base group and filter that give one output row each
 * @param joins every joined group, in join order
 * @param rowsPerSplit row counts by split
 * @param statistics statistics of every split, by split name
 */
public record TrainingDatasetManifest(
    Identity identity,
    int number,
    List<String> features,
    List<String> labels,
    List<String> keys,
    Spine spine,
    List<JoinedGroup> joins,
    Map<String, Long> rowsPerSplit,
    Map<String, SplitStatistics> statistics) {

  public TrainingDatasetManifest {
    joins = joins == null ? List.of() : List.copyOf(joins);
    statistics = statistics == null ? Map.of() : Map.copyOf(statistics);
  }

  /** The names of the splits it has, in train, validation, test order (then any other, by name). */
  public List<String> splitNames() {
    List<String> order = new java.util.ArrayList<>(List.of(SplitSpec.TRAIN, SplitSpec.VALIDATION, SplitSpec.TEST));
    order.retainAll(rowsPerSplit.keySet());
    rowsPerSplit.keySet().stream().filter(k -> !order.contains(k)).sorted().forEach(order::add);
    return order;
  }

  /** The splits that got no rows (a tiny fraction of few rows, a time range without rows), in split order. */
  public List<String> emptySplits() {
    return splitNames().stream().filter(split -> rowsPerSplit.get(split) == 0).toList();
  }

  /**
   * A sentence per empty split: which, of how many rows, and the fraction or time range that gave it none; empty when
   * every split has rows.
   */
  public List<String> emptySplitWarnings() {
    long rows = rowsPerSplit.values().stream().mapToLong(Long::longValue).sum();
    return emptySplits().stream()
        .map(split -> String.format(java.util.Locale.ROOT, "the %s split is empty: %s gave it none of the %,d rows. "
            + "Metrics on an empty split are undefined; give it a larger share, or select more rows.",
            split, identity.split().share(split), rows))
        .toList();
  }

  /** The manifest as the JSON stored next to the dataset. */
  public String toJson() {
    return Json.write(this);
  }

  /**
   * @param view the feature view's name
   * @param viewVersion its version
   * @param filter the base rows selected
   * @param sourceVersions the Delta version read of every group, by "name vN" (sorted by name)
   * @param split the split configuration
   * @param seed the split seed
   */
  public record Identity(
      String view, int viewVersion, String filter, Map<String, Long> sourceVersions, SplitSpec split, long seed) {
    public Identity {
      sourceVersions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sourceVersions));
    }
  }

  /**
   * The spine: the base group's rows (one output row each).
   *
   * @param group the base group, "name vN"
   * @param deltaVersion the Delta version read
   * @param filter the SQL filter applied, or null
   * @param eventTime the base event-time column, the time every join is made at
   * @param keys the base group's primary key
   */
  public record Spine(String group, long deltaVersion, String filter, String eventTime, List<String> keys) {}

  /**
   * One joined group.
   *
   * @param group the group, "name vN"
   * @param deltaVersion the Delta version read
   * @param baseKeys the base columns matched to the group's key
   * @param groupKeys the group's primary key
   * @param eventTime the group's event time (null for a static group)
   * @param strict true for feature time strictly before the base time, false for at or before
   * @param staticJoin true when joined on key alone (a group without event time)
   * @param features the group's columns taken
   * @param prefix prepended to the features' names
   * @param maxAge the maximum age (TTL) of a matching row, ISO-8601 ({@code PT720H}); null for none
   * @param defaults the value of a feature on a miss, by feature name
   * @param inner true when base rows without a match were dropped (inner join)
   */
  public record JoinedGroup(
      String group,
      long deltaVersion,
      List<String> baseKeys,
      List<String> groupKeys,
      String eventTime,
      boolean strict,
      boolean staticJoin,
      List<String> features,
      String prefix,
      String maxAge,
      java.util.Map<String, Object> defaults,
      boolean inner) {
    public JoinedGroup {
      defaults = defaults == null ? java.util.Map.of() : defaults;
    }
  }
}
