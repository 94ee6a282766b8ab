package dev.lakeline.training;

import java.util.List;
import java.util.Map;

/**
 * Everything recorded about a model version: how it was trained, on what, and how well it did.
 *
 * @param runKey identifies the training run's inputs; a rerun with the same key reuses the version
 * @param algorithm the MLlib estimator
 * @param params its parameters
 * @param metrics test metrics (areaUnderROC, areaUnderPR, accuracy, ...)
 * @param trainingDataset the training dataset's folder
 * @param sourceVersions the Delta version of every feature group the training dataset read
 * @param features the input feature columns
 * @param label the label column
 * @param logicalDate the logical date of the training run
 * @param versions Lakeline (and the commit it was built from), Spark, Delta and Java versions at training time
 * @param runId the job run that trained it ({@code lakeline runs show <id>}), or null (trained from a notebook, or
 *     before Lakeline recorded runs)
 */
public record ModelCard(
    String runKey,
    String algorithm,
    Map<String, String> params,
    Map<String, Double> metrics,
    String trainingDataset,
    Map<String, Long> sourceVersions,
    List<String> features,
    String label,
    String logicalDate,
    Map<String, String> versions,
    String runId) {

  /** A card without a run id: trained outside a Lakeline job. */
  public ModelCard(
      String runKey,
      String algorithm,
      Map<String, String> params,
      Map<String, Double> metrics,
      String trainingDataset,
      Map<String, Long> sourceVersions,
      List<String> features,
      String label,
      String logicalDate,
      Map<String, String> versions) {
    this(runKey, algorithm, params, metrics, trainingDataset, sourceVersions, features, label, logicalDate, versions, null);
  }
}
