package dev.lakeline.core.config;

import static dev.lakeline.core.config.Configs.load;
import static dev.lakeline.core.config.Configs.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading values: defaults, file values, nested keys, the bundled classpath form. */
class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void withoutAFileEveryKeyHasItsDeclaredDefault() {
    LakelineConfig config = load(null, null, Map.of(), Map.of("model.name", "m"));

    assertEquals("local", config.profile());
    for (ConfigKey<?> key : LakelineKeys.ALL) {
      if (key == LakelineKeys.MODEL_NAME) {
        continue;
      }
      assertEquals(key.defaultValue(), config.get(key), key.name());
      assertEquals("default", config.sourceOf(key), key.name());
    }
    assertEquals("./lakehouse", config.lakehouseRoot());
    assertEquals(4, config.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
    assertEquals(Map.of(), config.get(LakelineKeys.SPARK_CONF));
    assertEquals("logistic_regression", config.get(LakelineKeys.TRAINING_ALGORITHM));
  }

  @Test
  void theDescriptionMasksSecretSparkSettingsButUsesThemAsGiven() {
    String file = write(dir, """
        model:
          name: loan_default
        spark:
          conf:
            spark.hadoop.fs.s3a.secret.key: s3-SECRET-value
            spark.hadoop.fs.s3a.access.key: AKIA-ACCESS
            spark.hadoop.fs.azure.account.key.acct.dfs.core.windows.net: azure-KEY
            spark.sql.shuffle.partitions: "8"
        """);

    LakelineConfig config = load(file);
    String shown = config.describe();

    for (String secret : new String[] {"s3-SECRET-value", "AKIA-ACCESS", "azure-KEY"}) {
      assertFalse(shown.contains(secret), secret + " printed: " + shown);
    }
    assertTrue(shown.contains("spark.hadoop.fs.s3a.secret.key=****") && shown.contains("spark.sql.shuffle.partitions=8"), shown);
    assertEquals("s3-SECRET-value", config.get(LakelineKeys.SPARK_CONF).get("spark.hadoop.fs.s3a.secret.key"), "the session gets the value");
  }

  @Test
  void fileValuesAreReadWithTheirTypesAndTheRestKeepDefaults() {
    String file =
        write(
            dir,
            """
            lakehouse:
              root: /data/lake
            model:
              name: loan_default
            spark:
              shuffle-partitions: 16
            demo:
              scale: 0.5
              seed: 12345678901
            training:
              algorithm: gbt
              test-fraction: 0.25
            """);

    LakelineConfig config = load(file);

    assertEquals("/data/lake", config.lakehouseRoot());
    assertEquals("loan_default", config.get(LakelineKeys.MODEL_NAME));
    assertEquals(Integer.valueOf(16), config.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
    assertEquals(Double.valueOf(0.5), config.get(LakelineKeys.DEMO_SCALE));
    assertEquals(Long.valueOf(12345678901L), config.get(LakelineKeys.DEMO_SEED));
    assertEquals("gbt", config.get(LakelineKeys.TRAINING_ALGORITHM));
    assertEquals(Double.valueOf(0.25), config.get(LakelineKeys.TRAINING_TEST_FRACTION));
    assertEquals("file " + file, config.sourceOf(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
    assertEquals("default", config.sourceOf(LakelineKeys.SPARK_MASTER));
    assertEquals("local[2]", config.get(LakelineKeys.SPARK_MASTER));
  }

  @Test
  void keysNestByTheirDotsAndMapKeysKeepTheirEntries() {
    String file =
        write(
            dir,
            """
            model: {name: m}
            spark:
              app-name: nightly
              conf:
                spark.sql.adaptive.enabled: false
                spark.executor.memory: 2g
            inference:
              model-version: "@champion"
              window-days: 7
            """);

    LakelineConfig config = load(file);

    assertEquals("nightly", config.get(LakelineKeys.SPARK_APP_NAME));
    assertEquals(
        Map.of("spark.sql.adaptive.enabled", "false", "spark.executor.memory", "2g"),
        config.get(LakelineKeys.SPARK_CONF));
    assertEquals("@champion", config.get(LakelineKeys.INFERENCE_MODEL_VERSION));
    assertEquals(7, config.get(LakelineKeys.INFERENCE_WINDOW_DAYS));
  }

  @Test
  void anEmptyFileMeansDefaults() {
    String file = write(dir, "# nothing set here\n");

    LakelineConfig config = load(file, null, Map.of(), Map.of("model.name", "m"));

    assertEquals("./lakehouse", config.lakehouseRoot());
    assertEquals("default", config.sourceOf(LakelineKeys.LAKEHOUSE_ROOT));
  }

  @Test
  void aClasspathLocationReadsABundledResource() {
    String location = ConfigLoader.CLASSPATH + "dev/lakeline/core/config/bundled-test.yaml";

    LakelineConfig config = load(location);

    assertEquals("from_classpath", config.get(LakelineKeys.MODEL_NAME));
    assertEquals("gbt", config.get(LakelineKeys.TRAINING_ALGORITHM));
    assertEquals("file " + location, config.sourceOf(LakelineKeys.MODEL_NAME));
  }

  @Test
  void withReplacesOneValueAndLeavesTheOriginalUnchanged() {
    LakelineConfig config = load(null, null, Map.of(), Map.of("model.name", "m"));

    LakelineConfig changed = config.with(LakelineKeys.SPARK_SHUFFLE_PARTITIONS, 9);

    assertEquals(9, changed.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
    assertEquals("api", changed.sourceOf(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
    assertEquals(4, config.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
    assertEquals("default", config.sourceOf(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
  }
}
