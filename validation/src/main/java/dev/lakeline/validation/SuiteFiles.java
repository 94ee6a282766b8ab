package dev.lakeline.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.lakeline.core.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Expectation suite files in YAML or JSON, in Great Expectations' layout (0.x {@code expectation_suite_name} /
 * {@code expectation_type} or 1.x {@code name} / {@code type}), with Lakeline's additions:
 *
 * <pre>
 * expectation_suite_name: loans
 * policy: quarantine          # strict (default) | always | quarantine; also accepted as meta.policy
 * expectations:
 *   - expectation_type: expect_column_values_to_not_be_null
 *     kwargs: {column: loan_id}
 *     severity: warning       # error (default) | warning; also accepted as meta.severity
 * </pre>
 *
 * Loading is strict: unknown fields, unknown expectation types, unknown, misspelt, missing or wrongly typed
 * kwargs are errors naming the file, the expectation and the fix.
 */
public final class SuiteFiles {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // a key twice is an error

  private SuiteFiles() {}

  /** Loads a suite from a file path, or from the classpath with a {@code classpath:} prefix. */
  public static ExpectationSuite load(String location) {
    try (InputStream in = open(location)) {
      return SuiteParser.parse(location, YAML.readTree(in));
    } catch (JsonProcessingException e) {
      throw Errors.config(
          "%s is not valid YAML/JSON at line %d: %s",
          location, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), e.getOriginalMessage());
    } catch (IOException e) {
      throw Errors.config(e, "Cannot read expectation suite %s: %s", location, e.getMessage());
    }
  }

  /** Parses suite text (YAML or JSON); {@code source} names it in messages. */
  public static ExpectationSuite parse(String source, String text) {
    try {
      return SuiteParser.parse(source, YAML.readTree(text));
    } catch (JsonProcessingException e) {
      throw Errors.config(
          "%s is not valid YAML/JSON at line %d: %s",
          source, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), e.getOriginalMessage());
    }
  }

  /** The suite as YAML in the layout {@link #load} reads. */
  public static String toYaml(ExpectationSuite suite) {
    ObjectNode root = YAML.createObjectNode();
    root.put("expectation_suite_name", suite.name());
    root.put("policy", suite.policy().name().toLowerCase(Locale.ROOT));
    ArrayNode list = root.putArray("expectations");
    for (Expectation e : suite.expectations()) {
      ObjectNode n = list.addObject();
      n.put("expectation_type", e.type());
      n.set("kwargs", YAML.valueToTree(e.kwargs()));
      if (e.severity() != Severity.ERROR) {
        n.put("severity", e.severity().name().toLowerCase(Locale.ROOT));
      }
    }
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write suite " + suite.name() + " as YAML", e);
    }
  }

  /** Writes the suite to {@code file} as YAML (creating parent folders); {@link #load} reads it back unchanged. */
  public static void write(ExpectationSuite suite, Path file) {
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, toYaml(suite), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.config(e, "Cannot write expectation suite %s to %s: %s. Check the folder exists and is writable.",
          suite.name(), file, e.getMessage());
    }
  }

  private static InputStream open(String location) throws IOException {
    if (location.startsWith("classpath:")) {
      InputStream in = SuiteFiles.class.getClassLoader().getResourceAsStream(location.substring(10));
      if (in == null) {
        throw Errors.notFound("Expectation suite %s is not on the classpath.", location);
      }
      return in;
    }
    Path p = Path.of(location);
    if (!Files.isRegularFile(p)) {
      throw Errors.notFound("Expectation suite file %s does not exist. Check the path.", location);
    }
    return Files.newInputStream(p);
  }
}
