package dev.lakeline.featurestore;

import java.util.List;
import java.util.Map;

/**
 * The record that makes a training dataset reproducible: which view, which rows, which Delta version of every
 * source, which split and seed, and what came out.
 *
 * @param identity what defines the dataset; equal identities give identical rows
 * @param number the dataset's number within its view version ({@code td<n>})
 * @param features the feature columns
 * @param labels the label columns
 * @param keys the columns that identify a row (base key and event time)
 * @param rowsPerSplit row counts by split
 */
public record TrainingDatasetManifest(
    Identity identity,
    int number,
    List<String> features,
    List<String> labels,
    List<String> keys,
    Map<String, Long> rowsPerSplit) {

  /**
   * @param view the feature view's name
   * @param viewVersion its version
   * @param filter the base rows selected
   * @param sourceVersions the Delta version read of every group, by "name vN" (sorted by name)
   * @param split the split type ("random")
   * @param testFraction the test share
   * @param seed the split seed
   */
  public record Identity(
      String view,
      int viewVersion,
      String filter,
      Map<String, Long> sourceVersions,
      String split,
      double testFraction,
      long seed) {
    public Identity {
      sourceVersions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sourceVersions));
    }
  }
}
