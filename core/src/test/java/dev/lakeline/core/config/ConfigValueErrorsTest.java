package dev.lakeline.core.config;

import static dev.lakeline.core.config.Configs.assertMentions;
import static dev.lakeline.core.config.Configs.failure;
import static dev.lakeline.core.config.Configs.write;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values of the wrong type or out of range, from the file, the environment or the command line; bad profiles. */
class ConfigValueErrorsTest {
  @TempDir Path dir;

  private String fileWith(String yaml) {
    return write(dir, "model: {name: m}\n" + yaml);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "spark.shuffle-partitions | four    | an integer >= 1 and <= 100000",
        "spark.shuffle-partitions | 0       | an integer >= 1 and <= 100000",
        "spark.shuffle-partitions | 2.5     | an integer >= 1 and <= 100000",
        "training.test-fraction   | 1.5     | a number >= 0.01 and <= 0.9",
        "training.test-fraction   | lots    | a number >= 0.01 and <= 0.9",
        "training.history-days    | -1      | an integer >= 1 and <= 36500",
        "demo.seed                | 4.2     | an integer",
        "demo.scale               | NaN     | a number >= 0.001 and <= 1000",
        "training.algorithm       | forest  | one of [logistic_regression, gbt]",
        "training.algorithm       | GBT     | one of [logistic_regression, gbt]",
      })
  void aWrongFileValueNamesTheFileKeyAndWhatIsExpected(String key, String value, String expected) {
    String[] parts = key.split("\\.");
    String file = fileWith(parts[0] + ":\n  " + parts[1] + ": " + value + "\n");

    String message = failure(file);

    assertMentions(message, file, "key '" + key + "'", "expects " + expected);
  }

  @Test
  void aMappingWhereAScalarBelongsIsRejected() {
    String file = fileWith("spark:\n  master:\n    host: x\n");

    assertMentions(failure(file), file, "key 'spark.master'", "expects a string", "got a mapping");
  }

  @Test
  void aListWhereAScalarBelongsIsRejected() {
    String file = fileWith("training: {history-days: [1, 2]}\n");

    assertMentions(failure(file), file, "key 'training.history-days'", "expects an integer", "got a list");
  }

  @Test
  void anEmptyValueIsRejected() {
    String file = write(dir, "model:\n  name:\n");

    assertMentions(failure(file), file, "key 'model.name'", "expects a string", "null");
  }

  @Test
  void aScalarWhereAMapBelongsIsRejected() {
    String file = fileWith("spark: {conf: x}\n");

    assertMentions(failure(file), file, "key 'spark.conf'", "expects a map of string keys to string values", "'x'");
  }

  @Test
  void aMapEntryMustBeAScalar() {
    String file = fileWith("spark:\n  conf:\n    spark.a: {b: c}\n");

    assertMentions(failure(file), file, "key 'spark.conf'", "entry 'spark.a'", "expects a string value");
  }

  @Test
  void aWrongValueInTheSelectedProfileIsRejected() {
    String file = fileWith("profiles:\n  emr:\n    spark: {shuffle-partitions: many}\n");

    assertMentions(failure(file, "emr", Map.of(), Map.of()), file, "key 'spark.shuffle-partitions'", "'many'");
  }

  @Test
  void aWrongEnvironmentValueNamesTheVariableAndTheKey() {
    String message = failure(null, null, Map.of("LAKELINE_MODEL_NAME", "m", "LAKELINE_SPARK_SHUFFLE_PARTITIONS", "lots"), Map.of());

    assertMentions(
        message, "environment variable LAKELINE_SPARK_SHUFFLE_PARTITIONS", "'spark.shuffle-partitions'", "expects an integer", "'lots'");
  }

  @Test
  void aWrongCommandLineValueNamesTheKey() {
    String message = failure(null, null, Map.of(), Map.of("model.name", "m", "training.algorithm", "svm"));

    assertMentions(message, "the command line", "'training.algorithm'", "one of [logistic_regression, gbt]", "'svm'");
  }

  @Test
  void anUnknownCommandLineKeyGetsAHint() {
    String message = failure(null, null, Map.of(), Map.of("model.name", "m", "spark.mastr", "local[1]"));

    assertMentions(message, "the command line", "unknown key 'spark.mastr'", "Did you mean 'spark.master'?");
  }

  @Test
  void aMapKeyCannotBeSetOnTheCommandLine() {
    String message = failure(null, null, Map.of(), Map.of("model.name", "m", "spark.conf", "a=b"));

    assertMentions(message, "'spark.conf'", "can only be set in the config file");
  }

  @Test
  void anUnknownProfileOptionIsNamedWithTheChoices() {
    String message = failure(fileWith(""), "prod", Map.of(), Map.of());

    assertMentions(message, "Unknown profile 'prod'", "--profile", "[local, emr, databricks]");
  }

  @Test
  void anUnknownProfileInTheEnvironmentNamesTheVariable() {
    String message = failure(fileWith(""), null, Map.of(ConfigLoader.PROFILE_ENV, "staging"), Map.of());

    assertMentions(message, "Unknown profile 'staging'", "LAKELINE_PROFILE", "[local, emr, databricks]");
  }
}
