package dev.lakeline.core.config;

import static dev.lakeline.core.config.Configs.load;
import static dev.lakeline.core.config.Configs.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ${VAR} and ${VAR:-default} in file values, resolved from the environment map. */
class ConfigSubstitutionTest {
  @TempDir Path dir;

  private LakelineConfig loadWith(String yaml, Map<String, String> env) {
    return load(write(dir, "model: {name: m}\n" + yaml), null, env, Map.of());
  }

  @Test
  void aVariableIsReplacedByItsValue() {
    LakelineConfig config = loadWith("lakehouse: {root: \"${DATA}/lake\"}\n", Map.of("DATA", "/mnt/data"));

    assertEquals("/mnt/data/lake", config.lakehouseRoot());
  }

  @Test
  void theDefaultIsUsedWhenTheVariableIsUnsetOrEmpty() {
    String yaml = "lakehouse: {root: \"${LAKE_ROOT:-/fallback/lake}\"}\n";

    assertEquals("/fallback/lake", loadWith(yaml, Map.of()).lakehouseRoot());
    assertEquals("/fallback/lake", loadWith(yaml, Map.of("LAKE_ROOT", "")).lakehouseRoot());
    assertEquals("/set/lake", loadWith(yaml, Map.of("LAKE_ROOT", "/set/lake")).lakehouseRoot());
  }

  @Test
  void severalVariablesInOneValueAndAnEmptyDefault() {
    LakelineConfig config =
        loadWith("spark: {app-name: \"${TEAM}-${JOB:-train}${SUFFIX:-}\"}\n", Map.of("TEAM", "risk"));

    assertEquals("risk-train", config.get(LakelineKeys.SPARK_APP_NAME));
  }

  @Test
  void substitutedValuesAreConvertedToTheKeysType() {
    LakelineConfig config =
        loadWith(
            "spark: {shuffle-partitions: \"${PARTITIONS:-12}\"}\ntraining: {test-fraction: \"${FRACTION}\"}\n",
            Map.of("FRACTION", "0.3"));

    assertEquals(12, config.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
    assertEquals(0.3, config.get(LakelineKeys.TRAINING_TEST_FRACTION));
  }

  @Test
  void valuesOfMapKeysAndProfilesAreSubstitutedToo() {
    String file =
        write(
            dir,
            """
            model: {name: m}
            spark:
              conf:
                spark.executor.memory: "${EXECUTOR_MEMORY:-4g}"
            profiles:
              emr:
                lakehouse: {root: "${S3_ROOT}"}
            """);

    LakelineConfig config = load(file, "emr", Map.of("S3_ROOT", "s3://bucket/lake"), Map.of());

    assertEquals("s3://bucket/lake", config.lakehouseRoot());
    assertEquals(Map.of("spark.executor.memory", "4g"), config.get(LakelineKeys.SPARK_CONF));
  }

  @Test
  void anUnsetVariableInAProfileThatIsNotSelectedIsNotAnError() {
    String file =
        write(
            dir,
            """
            model: {name: m}
            profiles:
              emr:
                lakehouse: {root: "${S3_ROOT}"}
            """);

    LakelineConfig config = load(file, "local", Map.of(), Map.of());

    assertEquals("./lakehouse", config.lakehouseRoot());
  }

  @Test
  void textThatIsNotAVariableIsKeptAsItIs() {
    LakelineConfig config = loadWith("spark: {app-name: \"cost $5 {x} $HOME\"}\n", Map.of("HOME", "/root"));

    assertEquals("cost $5 {x} $HOME", config.get(LakelineKeys.SPARK_APP_NAME));
  }

  @Test
  void valuesWithDollarSignsAndBackslashesAreInsertedLiterally() {
    LakelineConfig config = loadWith("spark: {app-name: \"${NAME}\"}\n", Map.of("NAME", "a$1\\b"));

    assertEquals("a$1\\b", config.get(LakelineKeys.SPARK_APP_NAME));
  }
}
