package dev.lakeline.jobs.cli;

import dev.lakeline.core.config.LakelineKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The generator's size and seed, shared by {@code demo} and {@code generate}. */
final class SampleDataOptions {
  @Option(names = "--scale", paramLabel = "X", description = "Data size: 1.0 = 10,000 loans (default from demo.scale).")
  Double scale;

  @Option(names = "--seed", paramLabel = "N", description = "Generator seed (default from demo.seed).")
  Long seed;

  /** The options given, as configuration overrides. */
  Map<String, String> overrides() {
    Map<String, String> m = new LinkedHashMap<>();
    if (scale != null) {
      m.put(LakelineKeys.DEMO_SCALE.name(), scale.toString());
    }
    if (seed != null) {
      m.put(LakelineKeys.DEMO_SEED.name(), seed.toString());
    }
    return m;
  }
}
