package dev.lakeline.core.config;

import static dev.lakeline.core.config.Configs.load;
import static dev.lakeline.core.config.Configs.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command line > environment > profile > file top level > defaults, each reported by sourceOf. */
class ConfigPrecedenceTest {
  @TempDir Path dir;
  String file;

  @BeforeEach
  void writeFile() {
    // Each key is set on a different number of levels, so that one load shows every level winning once.
    file =
        write(
            dir,
            """
            model: {name: m}
            spark:
              app-name: from-file
              shuffle-partitions: 5
            training:
              seed: 100
              history-days: 100
            lakehouse:
              root: /from/file
            profiles:
              emr:
                spark: {shuffle-partitions: 6}
                training: {seed: 101, history-days: 101}
                lakehouse: {root: s3://from/profile}
            """);
  }

  @Test
  void eachLevelOverridesTheOnesBelowIt() {
    Map<String, String> env =
        Map.of(
            "LAKELINE_SPARK_SHUFFLE_PARTITIONS", "7",
            "LAKELINE_TRAINING_SEED", "102");
    Map<String, String> commandLine = Map.of("spark.shuffle-partitions", "9");

    LakelineConfig config = load(file, "emr", env, commandLine);

    assertEquals("local[2]", config.get(LakelineKeys.SPARK_MASTER));
    assertEquals("default", config.sourceOf(LakelineKeys.SPARK_MASTER));

    assertEquals("from-file", config.get(LakelineKeys.SPARK_APP_NAME));
    assertEquals("file " + file, config.sourceOf(LakelineKeys.SPARK_APP_NAME));

    assertEquals(101, config.get(LakelineKeys.TRAINING_HISTORY_DAYS));
    assertEquals("s3://from/profile", config.lakehouseRoot());
    assertEquals("file " + file + ", profile emr", config.sourceOf(LakelineKeys.TRAINING_HISTORY_DAYS));

    assertEquals(102L, config.get(LakelineKeys.TRAINING_SEED));
    assertEquals("environment LAKELINE_TRAINING_SEED", config.sourceOf(LakelineKeys.TRAINING_SEED));

    assertEquals(9, config.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
    assertEquals("command line", config.sourceOf(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
  }

  @Test
  void theEnvironmentOverridesTheFileWithoutAProfile() {
    LakelineConfig config =
        load(file, null, Map.of("LAKELINE_LAKEHOUSE_ROOT", "/from/env", "LAKELINE_TRAINING_ALGORITHM", "gbt"), Map.of());

    assertEquals("/from/env", config.lakehouseRoot());
    assertEquals("environment LAKELINE_LAKEHOUSE_ROOT", config.sourceOf(LakelineKeys.LAKEHOUSE_ROOT));
    assertEquals("gbt", config.get(LakelineKeys.TRAINING_ALGORITHM));
    assertEquals("environment LAKELINE_TRAINING_ALGORITHM", config.sourceOf(LakelineKeys.TRAINING_ALGORITHM));
  }

  @Test
  void theCommandLineOverridesTheEnvironmentAndSuppliesRequiredKeys() {
    LakelineConfig config =
        load(
            null,
            null,
            Map.of("LAKELINE_MODEL_NAME", "env_model", "LAKELINE_DEMO_SCALE", "2.5"),
            Map.of("model.name", "cli_model"));

    assertEquals("cli_model", config.get(LakelineKeys.MODEL_NAME));
    assertEquals("command line", config.sourceOf(LakelineKeys.MODEL_NAME));
    assertEquals(2.5, config.get(LakelineKeys.DEMO_SCALE));
    assertEquals("environment LAKELINE_DEMO_SCALE", config.sourceOf(LakelineKeys.DEMO_SCALE));
  }

  @Test
  void environmentVariablesAreDerivedFromTheKeyName() {
    assertEquals("LAKELINE_SPARK_SHUFFLE_PARTITIONS", LakelineKeys.SPARK_SHUFFLE_PARTITIONS.environmentVariable());
    assertEquals("LAKELINE_INFERENCE_MODEL_VERSION", LakelineKeys.INFERENCE_MODEL_VERSION.environmentVariable());
    assertEquals("LAKELINE_LAKEHOUSE_ROOT", LakelineKeys.LAKEHOUSE_ROOT.environmentVariable());
  }

  @Test
  void unrelatedEnvironmentVariablesAreIgnored() {
    LakelineConfig config =
        load(file, null, Map.of("LAKELINE_HOME", "/opt/lakeline", "PATH", "/usr/bin", "SPARK_SHUFFLE_PARTITIONS", "3"), Map.of());

    assertEquals(5, config.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
  }

  /** A value the command line or the environment replaces is never resolved, so its ${VAR} need not be set. */
  @Test
  void aReplacedValueNeedsNoneOfItsEnvironmentVariables() {
    String withVariable = write(dir, """
        model: {name: m}
        profiles:
          emr:
            lakehouse: {root: "${LAKELINE_TEST_UNSET_ROOT}"}
        """);
    LakelineConfig fromCommandLine = load(withVariable, "emr", Map.of(), Map.of("lakehouse.root", "s3://given"));
    assertEquals("s3://given", fromCommandLine.lakehouseRoot());
    LakelineConfig fromEnvironment = load(withVariable, "emr", Map.of("LAKELINE_LAKEHOUSE_ROOT", "s3://env"), Map.of());
    assertEquals("s3://env", fromEnvironment.lakehouseRoot());
    LakelineException.ConfigError e = org.junit.jupiter.api.Assertions.assertThrows(
        LakelineException.ConfigError.class, () -> load(withVariable, "emr", Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("LAKELINE_TEST_UNSET_ROOT"), e.getMessage());
  }
}
