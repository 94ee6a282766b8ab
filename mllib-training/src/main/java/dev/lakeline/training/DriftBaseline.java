package dev.lakeline.training;

import java.util.List;

/**
 * What a model version's inputs and scores looked like when it was trained: the profile of every input feature on
 * the training split, and of its scores on the test split. Kept with the version ({@code baseline.json}); batch
 * inference measures each batch's drift against it ({@link Drift}).
 *
 * @param features one profile per input feature, in the model's order
 * @param score the profile of the test scores, or null when the version kept none
 */
public record DriftBaseline(List<FeatureProfile> features, FeatureProfile score) {
  public DriftBaseline {
    features = List.copyOf(features);
  }

  /** What {@code batch} is measured against: every feature, then the scores when both sides have them. */
  public List<FeatureProfile> profilesFor(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> batch) {
    List<FeatureProfile> out = new java.util.ArrayList<>(features);
    if (score != null && List.of(batch.columns()).contains(score.name())) {
      out.add(score);
    }
    return out;
  }

  /** The profiles of {@code numeric} and {@code categorical} columns of the training rows, and of the test scores. */
  public static DriftBaseline of(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> training, List<String> numeric, List<String> categorical, ScoreDistribution scores) {
    return new DriftBaseline(
        FeatureProfile.of(training, numeric, categorical), scores == null ? null : FeatureProfile.ofScores(BatchScorer.SCORE, scores));
  }
}
