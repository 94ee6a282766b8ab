package dev.lakeline.validation;

import static dev.lakeline.validation.Frames.e;
import static dev.lakeline.validation.Frames.frame;
import static dev.lakeline.validation.Frames.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakeline.testkit.SparkTest;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The result in Great Expectations' JSON layout, and back. */
@SparkTest
class ResultJsonTest {

  private static ValidationResult result(SparkSession spark) {
    return Validator.validate(
        frame(spark, "id INT, amount DOUBLE, day DATE", row(1, 10.0, java.sql.Date.valueOf("2024-01-02")), row(2, -1.0, null), row(2, null, null)),
        new ExpectationSuite("loans", List.of(
            e("expect_column_values_to_be_between", "column", "amount", "min_value", 0),
            e("expect_column_mean_to_be_between", "column", "amount", "min_value", 0),
            e("expect_column_values_to_be_unique", "column", "id").withSeverity(Severity.WARNING),
            e("expect_column_values_to_not_be_null", "column", "id"),
            e("expect_column_values_to_be_between", "column", "day", "min_value", "2024-01-03"))));
  }

  @Test
  void writesGreatExpectationsLayout(SparkSession spark) throws Exception {
    ValidationResult r = result(spark);
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertFalse(json.get("success").asBoolean());
    assertEquals("loans", json.get("suite_name").asText());
    JsonNode stats = json.get("statistics");
    assertEquals(5, stats.get("evaluated_expectations").asInt());
    assertEquals(2, stats.get("successful_expectations").asInt());
    assertEquals(3, stats.get("unsuccessful_expectations").asInt());
    assertEquals(40.0, stats.get("success_percent").asDouble(), 1e-9);

    JsonNode between = json.get("results").get(0);
    assertEquals("expect_column_values_to_be_between", between.get("expectation_config").get("type").asText());
    assertEquals("amount", between.get("expectation_config").get("kwargs").get("column").asText());
    assertEquals("error", between.get("expectation_config").get("meta").get("severity").asText());
    JsonNode res = between.get("result");
    assertEquals(3, res.get("element_count").asLong());
    assertEquals(1, res.get("missing_count").asLong());
    assertEquals(1, res.get("unexpected_count").asLong());
    assertEquals(50.0, res.get("unexpected_percent").asDouble(), 1e-9);
    assertEquals(-1.0, res.get("partial_unexpected_list").get(0).asDouble());
    assertFalse(between.get("exception_info").get("raised_exception").asBoolean());

    JsonNode mean = json.get("results").get(1).get("result");
    assertEquals(4.5, mean.get("observed_value").asDouble(), 1e-9);
    assertFalse(mean.has("unexpected_count"));
    assertEquals("warning", json.get("results").get(2).get("expectation_config").get("meta").get("severity").asText());
    assertEquals("2024-01-02", json.get("results").get(4).get("result").get("partial_unexpected_list").get(0).asText());
  }

  @Test
  void readsBackWhatItWrote(SparkSession spark) {
    ValidationResult r = result(spark);
    ValidationResult back = ValidationResult.fromJson(r.toJson());
    assertEquals(r.toJson(), back.toJson());
    assertEquals(r.suite(), back.suite());
    assertEquals(r.rowCount(), back.rowCount());
    assertEquals(r.results().stream().map(ExpectationResult::expectation).toList(),
        back.results().stream().map(ExpectationResult::expectation).toList());
    assertEquals(r.failureSummary(), back.failureSummary());
  }

  @Test
  void failureSummaryHasOneLinePerFailureWithValues(SparkSession spark) {
    String summary = result(spark).failureSummary();
    List<String> lines = summary.lines().toList();
    assertEquals(3, lines.size(), summary);
    assertTrue(lines.get(0).contains("[ERROR] expect_column_values_to_be_between(amount): 1 of 2 non-null values are unexpected (50.00%)"), summary);
    assertTrue(lines.get(0).contains("unexpected values: -1.0"), summary);
    assertTrue(lines.get(1).startsWith("  - [WARNING] expect_column_values_to_be_unique(id)"), summary);
  }
}
