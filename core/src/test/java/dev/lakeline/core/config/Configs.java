package dev.lakeline.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.LakelineException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Helpers for the configuration tests: YAML files in a temporary folder, loading, and error checks. */
final class Configs {
  private Configs() {}

  /** Writes {@code yaml} to {@code dir/lakeline.yaml} and returns the file's path as a string. */
  static String write(Path dir, String yaml) {
    return write(dir, "lakeline.yaml", yaml);
  }

  static String write(Path dir, String name, String yaml) {
    try {
      return Files.writeString(dir.resolve(name), yaml).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LakelineConfig load(String file, String profile, Map<String, String> env, Map<String, String> overrides) {
    return ConfigLoader.load(new ConfigSources(file, profile, env, overrides));
  }

  static LakelineConfig load(String file) {
    return load(file, null, Map.of(), Map.of());
  }

  /** Asserts that loading fails with a configuration error (exit code 2) and returns its message. */
  static String failure(String file, String profile, Map<String, String> env, Map<String, String> overrides) {
    LakelineException.ConfigError e =
        assertThrows(LakelineException.ConfigError.class, () -> load(file, profile, env, overrides));
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    return e.getMessage();
  }

  static String failure(String file) {
    return failure(file, null, Map.of(), Map.of());
  }

  /** Asserts that {@code message} contains every one of {@code parts}. */
  static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected the message to mention <" + part + ">, but it was:\n" + message);
    }
  }
}
