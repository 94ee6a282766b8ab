package dev.lakeline.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lakeline.core.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads expectation suites from YAML or JSON files in Great Expectations' layout:
 *
 * <pre>
 * expectation_suite_name: loans
 * expectations:
 *   - expectation_type: expect_column_values_to_not_be_null
 *     kwargs: {column: loan_id}
 *     severity: error          # Lakeline's addition: error (default) or warning
 * </pre>
 *
 * Loading is strict: unknown fields, unknown expectation types and unknown or missing kwargs are errors naming
 * the file, the expectation and the fix.
 */
public final class SuiteFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> SUITE_FIELDS =
      Set.of("expectation_suite_name", "name", "expectations", "meta", "data_asset_type", "ge_cloud_id", "id");
  private static final Set<String> EXPECTATION_FIELDS =
      Set.of("expectation_type", "type", "kwargs", "meta", "severity", "id", "notes", "rendered_content");

  private SuiteFiles() {}

  /** Loads a suite from a file path, or from the classpath with a {@code classpath:} prefix. */
  public static ExpectationSuite load(String location) {
    try (InputStream in = open(location)) {
      return parse(location, YAML.readTree(in));
    } catch (JsonProcessingException e) {
      throw Errors.config(
          "%s is not valid YAML/JSON at line %d: %s",
          location, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), e.getOriginalMessage());
    } catch (IOException e) {
      throw Errors.config(e, "Cannot read expectation suite %s: %s", location, e.getMessage());
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

  static ExpectationSuite parse(String file, JsonNode root) {
    if (root == null || !root.isObject()) {
      throw Errors.config("%s: an expectation suite must be a mapping with 'expectation_suite_name' and 'expectations'.", file);
    }
    root.fieldNames().forEachRemaining(f -> {
      if (!SUITE_FIELDS.contains(f)) {
        throw Errors.config("%s: unknown suite field '%s'. Known fields: %s.", file, f, SUITE_FIELDS);
      }
    });
    String name = root.path("expectation_suite_name").asText(root.path("name").asText(""));
    if (name.isEmpty()) {
      throw Errors.config("%s: the suite has no 'expectation_suite_name'. Add one.", file);
    }
    JsonNode list = root.path("expectations");
    if (!list.isArray()) {
      throw Errors.config("%s: 'expectations' must be a list.", file);
    }
    List<Expectation> expectations = new ArrayList<>();
    int index = 0;
    for (JsonNode node : list) {
      expectations.add(parseExpectation(file, ++index, node));
    }
    return new ExpectationSuite(name, expectations);
  }

  private static Expectation parseExpectation(String file, int index, JsonNode node) {
    String at = file + ": expectation #" + index;
    if (!node.isObject()) {
      throw Errors.config("%s must be a mapping with 'expectation_type' and 'kwargs'.", at);
    }
    node.fieldNames().forEachRemaining(f -> {
      if (!EXPECTATION_FIELDS.contains(f)) {
        throw Errors.config("%s: unknown field '%s'. Known fields: %s.", at, f, EXPECTATION_FIELDS);
      }
    });
    String type = node.path("expectation_type").asText(node.path("type").asText(""));
    String where = at + " (" + type + ")";
    Map<String, Object> kwargs = new LinkedHashMap<>();
    JsonNode k = node.path("kwargs");
    if (!k.isMissingNode() && !k.isObject()) {
      throw Errors.config("%s: 'kwargs' must be a mapping.", where);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = k.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      kwargs.put(e.getKey(), YAML.convertValue(e.getValue(), Object.class));
    }
    String sev = node.path("severity").asText(node.path("meta").path("severity").asText("error"));
    Severity severity;
    try {
      severity = Severity.valueOf(sev.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Errors.config("%s: severity '%s' is not 'error' or 'warning'.", where, sev);
    }
    Expectation expectation = new Expectation(type, kwargs, severity);
    ExpectationTypes.check(where, expectation);
    return expectation;
  }
}
