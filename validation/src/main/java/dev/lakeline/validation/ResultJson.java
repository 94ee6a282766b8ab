package dev.lakeline.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lakeline.core.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@link ValidationResult} as Great Expectations' validation result JSON, and back. */
final class ResultJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private ResultJson() {}

  static String write(ValidationResult r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("success", r.success());
    root.put("suite_name", r.suite());
    root.putObject("suite_parameters");
    ValidationResult.Statistics s = r.statistics();
    ObjectNode stats = root.putObject("statistics");
    stats.put("evaluated_expectations", s.evaluatedExpectations());
    stats.put("successful_expectations", s.successfulExpectations());
    stats.put("unsuccessful_expectations", s.unsuccessfulExpectations());
    stats.put("success_percent", s.successPercent());
    ArrayNode results = root.putArray("results");
    for (ExpectationResult e : r.results()) {
      results.add(result(e));
    }
    ObjectNode meta = root.putObject("meta");
    meta.put("row_count", r.rowCount());
    meta.put("validated_by", "lakeline (deequ)");
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the validation result of suite " + r.suite(), e);
    }
  }

  private static ObjectNode result(ExpectationResult e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("success", e.success());
    ObjectNode config = n.putObject("expectation_config");
    config.put("type", e.expectation().type());
    config.set("kwargs", JSON.valueToTree(e.expectation().kwargs()));
    config.putObject("meta").put("severity", e.expectation().severity().name().toLowerCase(Locale.ROOT));
    ObjectNode result = n.putObject("result");
    result.put("element_count", e.elementCount());
    if (e.missingCount() != null) {
      result.put("missing_count", e.missingCount());
      result.put("missing_percent", e.elementCount() == 0 ? 0.0 : 100.0 * e.missingCount() / e.elementCount());
    }
    if (e.unexpectedCount() != null) {
      result.put("unexpected_count", e.unexpectedCount());
      result.put("unexpected_percent", e.unexpectedPercent());
      result.put("unexpected_percent_nonmissing", e.unexpectedPercent());
      result.put("unexpected_percent_total", e.elementCount() == 0 ? 0.0 : 100.0 * e.unexpectedCount() / e.elementCount());
    }
    if (e.rowLevel() || !e.partialUnexpectedList().isEmpty()) {
      result.set("partial_unexpected_list", JSON.valueToTree(e.partialUnexpectedList()));
    }
    if (!e.rowLevel()) {
      result.set("observed_value", JSON.valueToTree(e.observedValue()));
    }
    ObjectNode meta = n.putObject("meta");
    meta.put("label", e.label());
    meta.put("row_level", e.rowLevel());
    meta.put("detail", e.detail());
    ObjectNode exception = n.putObject("exception_info");
    exception.put("raised_exception", e.raisedException());
    exception.put("exception_message", e.exceptionMessage());
    exception.putNull("exception_traceback");
    return n;
  }

  static ValidationResult read(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw Errors.config("Not a validation result (invalid JSON at line %d): %s",
          e.getLocation() == null ? 0 : e.getLocation().getLineNr(), e.getOriginalMessage());
    }
    List<ExpectationResult> results = new ArrayList<>();
    for (JsonNode n : root.path("results")) {
      results.add(readResult(n));
    }
    return new ValidationResult(root.path("suite_name").asText(), root.path("meta").path("row_count").asLong(), results);
  }

  @SuppressWarnings("unchecked")
  private static ExpectationResult readResult(JsonNode n) {
    JsonNode config = n.path("expectation_config");
    String type = config.path("type").asText(config.path("expectation_type").asText());
    Map<String, Object> kwargs = JSON.convertValue(config.path("kwargs"), LinkedHashMap.class);
    Severity severity = Severity.valueOf(config.path("meta").path("severity").asText("error").toUpperCase(Locale.ROOT));
    Expectation expectation = new Expectation(type, kwargs == null ? Map.of() : kwargs, severity);
    JsonNode result = n.path("result");
    JsonNode exception = n.path("exception_info").path("exception_message");
    return new ExpectationResult(
        expectation,
        n.path("meta").path("label").asText(expectation.label()),
        n.path("success").asBoolean(),
        result.path("element_count").asLong(),
        result.hasNonNull("missing_count") ? result.get("missing_count").asLong() : null,
        result.hasNonNull("unexpected_count") ? result.get("unexpected_count").asLong() : null,
        result.has("partial_unexpected_list") ? JSON.convertValue(result.get("partial_unexpected_list"), List.class) : List.of(),
        result.has("observed_value") ? JSON.convertValue(result.get("observed_value"), Object.class) : null,
        exception.isNull() || exception.isMissingNode() ? null : exception.asText(),
        n.path("meta").path("detail").isNull() ? null : n.path("meta").path("detail").asText(null));
  }
}
