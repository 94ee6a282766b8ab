package dev.lakeline.jobs.cli;

import dev.lakeline.core.config.LakelineKeys;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --model-file}, shared by {@code train}, {@code infer} and {@code monitor}. */
final class ModelFileOption {
  @Option(names = "--model-file", paramLabel = "FILE",
      description = "Model file: the feature view, label, ids and features of the model (default from model.file: the demo's "
          + "loan model). See docs/model-registry.md.")
  String modelFile;

  /** Adds the option, when given, to {@code overrides} as model.file. */
  void addTo(Map<String, String> overrides) {
    if (modelFile != null) {
      overrides.put(LakelineKeys.MODEL_FILE.name(), modelFile);
    }
  }
}
