package dev.lakeline.jobs.cli;

import dev.lakeline.core.config.ConfigLoader;
import dev.lakeline.core.config.ConfigSources;
import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.core.config.LakelineKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every job shares: where the configuration comes from, and the lakehouse root. */
public final class CommonOptions {
  /** The configuration file used when --config is not given and conf/lakeline.yaml is absent. */
  public static final String BUNDLED_CONFIG = ConfigLoader.CLASSPATH + "lakeline-conf/lakeline.yaml";

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration file. Default: conf/lakeline.yaml if it exists here, else the bundled defaults.")
  String config;

  @Option(
      names = "--profile",
      paramLabel = "NAME",
      description = "Environment profile: local, emr or databricks. Default: $LAKELINE_PROFILE, else local.")
  String profile;

  @Option(
      names = "--lakehouse",
      paramLabel = "URI",
      description = "Root of the lakehouse (a folder, s3://, abfss://, dbfs:/ or /Volumes/ path). Overrides lakehouse.root, whose default is lakehouse/ under $LAKELINE_HOME (the ./lakeline script sets it to its folder) or else under the current folder; 'lakeline config' shows where it points.")
  String lakehouse;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override any configuration key (repeatable), e.g. --set training.algorithm=gbt. See 'lakeline config --keys'.")
  Map<String, String> set = new LinkedHashMap<>();

  /** The configuration file this run reads. */
  public String configLocation() {
    if (config != null) {
      return config;
    }
    return Files.isRegularFile(Path.of("conf", "lakeline.yaml")) ? "conf/lakeline.yaml" : BUNDLED_CONFIG;
  }

  /** Loads the configuration with the documented precedence; {@code extra} are command-specific overrides. */
  public LakelineConfig load(Map<String, String> extra) {
    Map<String, String> overrides = new LinkedHashMap<>(set);
    overrides.putAll(extra);
    if (lakehouse != null) {
      overrides.put(LakelineKeys.LAKEHOUSE_ROOT.name(), lakehouse);
    }
    return ConfigLoader.load(new ConfigSources(configLocation(), profile, System.getenv(), overrides));
  }
}
