package dev.lakeline.core.config;

import static dev.lakeline.core.config.Configs.assertMentions;
import static dev.lakeline.core.config.Configs.failure;
import static dev.lakeline.core.config.Configs.write;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors in the file itself: where it is, its syntax, its keys and profiles, its variables. */
class ConfigFileErrorsTest {
  @TempDir Path dir;

  @Test
  void aMissingFileIsNamed() {
    String missing = dir.resolve("nope.yaml").toString();

    String message = failure(missing);

    assertMentions(message, missing, "does not exist", "--config");
  }

  @Test
  void aFolderIsNotAConfigFile() {
    assertMentions(failure(dir.toString()), dir.toString(), "does not exist");
  }

  @Test
  void aMissingClasspathResourceIsNamed() {
    String message = failure("classpath:dev/lakeline/nope.yaml");

    assertMentions(message, "classpath:dev/lakeline/nope.yaml", "is not on the classpath");
  }

  @Test
  void invalidYamlGivesTheFileAndTheLine() {
    String file =
        write(
            dir,
            """
            model:
              name: m
            spark:
              master: [local, unclosed
            training:
              seed: 1
            """);

    String message = failure(file);

    assertMentions(message, file, "is not valid YAML");
    // The bracket opens on line 4; the parser notices it is unclosed on line 5.
    assertTrue(message.contains("at line 4,") || message.contains("at line 5,"), message);
  }

  @Test
  void badIndentationGivesItsLine() {
    String file = write(dir, "model:\n  name: m\n bad: indent\n");

    assertMentions(failure(file), file, "is not valid YAML at line 3");
  }

  @Test
  void aFileThatIsNotAMappingIsRejected() {
    String file = write(dir, "- model\n- spark\n");

    assertMentions(failure(file), file, "must be a YAML mapping");
  }

  @Test
  void anUnknownKeyIsNamedWithTheNearestKnownKey() {
    String file = write(dir, "model: {name: m}\nlakehouse: {roots: /x}\n");

    String message = failure(file);

    assertMentions(message, file, "unknown key 'lakehouse.roots'", "Did you mean 'lakehouse.root'?", "Known keys:");
  }

  @Test
  void anUnknownNestedKeyIsNamedWithItsFullPath() {
    String file = write(dir, "model: {name: m}\ntraining:\n  algorithm: gbt\n  sede: 3\n");

    String message = failure(file);

    assertMentions(message, file, "unknown key 'training.sede'", "Did you mean 'training.seed'?");
  }

  @Test
  void aKeyFarFromEveryKnownKeyGetsNoGuessButTheList() {
    String file = write(dir, "model: {name: m}\ncolour: blue\n");

    String message = failure(file);

    assertMentions(message, file, "unknown key 'colour'", "spark.shuffle-partitions", "training.algorithm");
    assertFalse(message.contains("Did you mean"), message);
  }

  @Test
  void anUnknownKeyInAProfileIsNamedWithTheProfileAndAHint() {
    String file = write(dir, "model: {name: m}\nprofiles:\n  emr:\n    spark: {mastr: yarn}\n");

    String message = failure(file);

    assertMentions(message, file, "unknown key 'profiles.emr.spark.mastr'", "Did you mean 'spark.master'?");
  }

  @Test
  void anUnknownProfileInTheFileIsNamed() {
    String file = write(dir, "model: {name: m}\nprofiles:\n  staging:\n    lakehouse: {root: /x}\n");

    String message = failure(file);

    assertMentions(message, file, "unknown profile 'profiles.staging'", "local", "emr", "databricks");
  }

  @Test
  void profilesMustBeAMappingOfMappings() {
    assertMentions(failure(write(dir, "model: {name: m}\nprofiles: emr\n")), "'profiles' must be a mapping");

    String file = write(dir, "model: {name: m}\nprofiles:\n  emr: s3://bucket\n");
    assertMentions(failure(file), file, "'profiles.emr' must be a mapping");
  }

  @Test
  void aMissingRequiredKeyIsNamedWithWhereToSetIt() {
    String file = write(dir, "spark:\n  master: local[1]\n");

    String message = failure(file);

    assertMentions(message, "Missing required configuration key 'model.name'", file, "LAKELINE_MODEL_NAME");
  }

  @Test
  void aMissingRequiredKeyWithoutAFileSuggestsOne() {
    String message = failure(null);

    assertMentions(message, "'model.name'", "a --config file", "LAKELINE_MODEL_NAME");
  }

  @Test
  void anUnsetVariableWithoutDefaultNamesTheFileKeyAndVariable() {
    String file = write(dir, "model: {name: m}\nlakehouse:\n  root: \"${LAKE_ROOT}/x\"\n");

    String message = failure(file, null, Map.of("OTHER", "1"), Map.of());

    assertMentions(message, file, "'lakehouse.root'", "${LAKE_ROOT}", "not set", "${LAKE_ROOT:-default}");
  }

  @Test
  void anUnsetVariableInTheSelectedProfileIsAnError() {
    String file = write(dir, "model: {name: m}\nprofiles:\n  emr:\n    lakehouse: {root: \"${S3_ROOT}\"}\n");

    String message = failure(file, "emr", Map.of(), Map.of());

    assertMentions(message, file, "'lakehouse.root'", "${S3_ROOT}");
  }
}
