package dev.lakeline.core.config;

import static dev.lakeline.core.config.Configs.load;
import static dev.lakeline.core.config.Configs.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Profile overlays and how a profile is selected. */
class ConfigProfilesTest {
  @TempDir Path dir;
  String file;

  @BeforeEach
  void writeFile() {
    file =
        write(
            dir,
            """
            lakehouse:
              root: /top/level
            model:
              name: m
            spark:
              shuffle-partitions: 8
            profiles:
              local:
                lakehouse: {root: /local/lake}
              emr:
                lakehouse:
                  root: s3://bucket/lake
                spark:
                  shuffle-partitions: 200
              databricks:
                lakehouse:
                  root: /Volumes/main/lakeline/lake
            """);
  }

  @ParameterizedTest
  @CsvSource({"local, /local/lake", "emr, s3://bucket/lake", "databricks, /Volumes/main/lakeline/lake"})
  void theProfileAskedForOverlaysTheTopLevel(String profile, String root) {
    LakelineConfig config = load(file, profile, Map.of(), Map.of());

    assertEquals(profile, config.profile());
    assertEquals(root, config.lakehouseRoot());
    assertEquals("file " + file + ", profile " + profile, config.sourceOf(LakelineKeys.LAKEHOUSE_ROOT));
  }

  @Test
  void keysTheProfileDoesNotSetKeepTheTopLevelValue() {
    LakelineConfig databricks = load(file, "databricks", Map.of(), Map.of());
    LakelineConfig emr = load(file, "emr", Map.of(), Map.of());

    assertEquals(8, databricks.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
    assertEquals("file " + file, databricks.sourceOf(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
    assertEquals(200, emr.get(LakelineKeys.SPARK_SHUFFLE_PARTITIONS));
  }

  @Test
  void withoutAProfileTheEnvironmentSelectsIt() {
    LakelineConfig config = load(file, null, Map.of(ConfigLoader.PROFILE_ENV, "emr"), Map.of());

    assertEquals("emr", config.profile());
    assertEquals("s3://bucket/lake", config.lakehouseRoot());
  }

  @Test
  void theProfileOptionWinsOverTheEnvironment() {
    LakelineConfig config = load(file, "databricks", Map.of(ConfigLoader.PROFILE_ENV, "emr"), Map.of());

    assertEquals("databricks", config.profile());
    assertEquals("/Volumes/main/lakeline/lake", config.lakehouseRoot());
  }

  @Test
  void withNeitherTheProfileIsLocal() {
    LakelineConfig config = load(file);

    assertEquals("local", config.profile());
    assertEquals("/local/lake", config.lakehouseRoot());
  }

  @Test
  void aProfileTheFileDoesNotMentionLeavesTheTopLevel() {
    String noProfiles = write(dir, "other.yaml", "model: {name: m}\nlakehouse: {root: /top}\n");

    LakelineConfig config = load(noProfiles, "emr", Map.of(), Map.of());

    assertEquals("emr", config.profile());
    assertEquals("/top", config.lakehouseRoot());
    assertEquals("file " + noProfiles, config.sourceOf(LakelineKeys.LAKEHOUSE_ROOT));
  }
}
