package dev.lakeline.validation;

import dev.lakeline.core.Spelling;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakeline.core.Errors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the suite document (Great Expectations 0.x or 1.x layout plus Lakeline's fields). Strict: an unknown
 * field, expectation type or kwarg, a missing kwarg or a wrongly typed value is an error that names the file,
 * the expectation (#n) and the fix.
 */
final class SuiteParser {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> SUITE_FIELDS =
      new TreeSet<>(Set.of("expectation_suite_name", "name", "expectations", "meta", "data_asset_type", "ge_cloud_id", "id",
          "notes", "suite_parameters", "evaluation_parameters", "policy"));
  private static final Set<String> EXPECTATION_FIELDS =
      new TreeSet<>(Set.of("expectation_type", "type", "kwargs", "meta", "severity", "id", "notes", "description",
          "rendered_content"));

  private SuiteParser() {}

  static ExpectationSuite parse(String file, JsonNode root) {
    if (root == null || !root.isObject()) {
      throw Errors.config("%s: an expectation suite must be a mapping with 'expectation_suite_name' and 'expectations'.", file);
    }
    root.fieldNames().forEachRemaining(f -> {
      if (!SUITE_FIELDS.contains(f)) {
        String near = Spelling.closest(f, SUITE_FIELDS);
        throw Errors.config("%s: unknown suite field '%s'.%s Known fields: %s.",
            file, f, near == null ? "" : " Did you mean '" + near + "'?", SUITE_FIELDS);
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
      expectations.add(expectation(file, ++index, node));
    }
    return new ExpectationSuite(name, expectations, policy(file, root));
  }

  /** Lakeline's suite-level {@code policy}, at the top level or in {@code meta} (where GE tools ignore it). */
  private static IngestionPolicy policy(String file, JsonNode root) {
    JsonNode top = root.path("policy");
    JsonNode meta = root.path("meta").path("policy");
    if (!top.isMissingNode() && !meta.isMissingNode() && !top.asText().equalsIgnoreCase(meta.asText())) {
      throw Errors.config("%s: 'policy' (%s) and 'meta.policy' (%s) disagree. Keep one.", file, top.asText(), meta.asText());
    }
    JsonNode p = top.isMissingNode() ? meta : top;
    return p.isMissingNode() || p.isNull() ? IngestionPolicy.STRICT : IngestionPolicy.parse(file, p.asText());
  }

  private static Expectation expectation(String file, int index, JsonNode node) {
    String at = file + ": expectation #" + index;
    if (!node.isObject()) {
      throw Errors.config("%s must be a mapping with 'expectation_type' and 'kwargs'.", at);
    }
    node.fieldNames().forEachRemaining(f -> {
      if (!EXPECTATION_FIELDS.contains(f)) {
        String near = Spelling.closest(f, EXPECTATION_FIELDS);
        throw Errors.config("%s: unknown field '%s'.%s Known fields: %s.",
            at, f, near == null ? "" : " Did you mean '" + near + "'?", EXPECTATION_FIELDS);
      }
    });
    String type = node.path("expectation_type").asText(node.path("type").asText(""));
    if (type.isEmpty()) {
      throw Errors.config("%s has no 'expectation_type'. Add one, e.g. expectation_type: expect_column_values_to_not_be_null.", at);
    }
    String where = at + " (" + type + ")";
    JsonNode k = node.path("kwargs");
    if (!k.isMissingNode() && !k.isObject()) {
      throw Errors.config("%s: 'kwargs' must be a mapping.", where);
    }
    Map<String, Object> kwargs = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = k.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      kwargs.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
    }
    Expectation expectation = new Expectation(type, kwargs, severity(where, node));
    ExpectationTypes.check(where, expectation);
    return expectation;
  }

  /** {@code severity} (or {@code meta.severity}): error (default) or warning; GX's critical and info are read as error and warning. */
  private static Severity severity(String where, JsonNode node) {
    String sev = node.path("severity").asText(node.path("meta").path("severity").asText("error"));
    return switch (sev.toLowerCase(Locale.ROOT)) {
      case "error", "critical" -> Severity.ERROR;
      case "warning", "info" -> Severity.WARNING;
      default -> throw Errors.config(
          "%s: severity '%s' is not 'error' or 'warning' (GX's 'critical' and 'info' are read as error and warning).", where, sev);
    };
  }
}
