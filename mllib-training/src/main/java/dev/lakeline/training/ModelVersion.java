package dev.lakeline.training;

import org.apache.spark.ml.PipelineModel;

/** One immutable, registered model version. */
public record ModelVersion(String name, int version, String path, ModelCard card) {
  /** Loads the MLlib pipeline (model-dependent transformations + estimator). */
  public PipelineModel load() {
    return PipelineModel.load(path + "/" + ModelRegistry.MODEL_DIR);
  }

  /** "loan_default v3", for messages. */
  public String label() {
    return name + " v" + version;
  }
}
