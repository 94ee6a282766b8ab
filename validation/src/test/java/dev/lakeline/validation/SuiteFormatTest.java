package dev.lakeline.validation;

import static dev.lakeline.validation.Frames.e;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lakeline.core.LakelineException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lakeline's additions to the suite format, the full catalog's kwargs, and writing suites back. */
class SuiteFormatTest {
  @TempDir Path dir;

  private static final String HEAD = "expectation_suite_name: s\nexpectations:\n";

  private static ExpectationSuite parse(String yaml) {
    return SuiteFiles.parse("s.yaml", yaml);
  }

  private static String error(String yaml) {
    return assertThrows(LakelineException.ConfigError.class, () -> parse(yaml)).getMessage();
  }

  private static String errorFor(String type, String kwargs) {
    return error(HEAD + "  - expectation_type: expect_column_values_to_not_be_null\n    kwargs: {column: id}\n"
        + "  - expectation_type: " + type + "\n    kwargs: " + kwargs + "\n");
  }

  private static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
    }
  }

  /** Every expectation of the catalog, with every kwarg it takes. */
  static final ExpectationSuite FULL = new ExpectationSuite("full", List.of(
      e("expect_column_to_exist", "column", "id", "column_index", 0),
      e("expect_table_columns_to_match_set", "column_set", List.of("id", "amount"), "exact_match", false),
      e("expect_column_values_to_be_of_type", "column", "id", "type_", "IntegerType"),
      e("expect_column_values_to_not_be_null", "column", "id", "mostly", 0.99),
      e("expect_column_values_to_be_null", "column", "note", "mostly", 0.5),
      e("expect_column_values_to_be_between", "column", "amount", "min_value", 0, "max_value", 1.5e12, "strict_min", true, "strict_max", false, "mostly", 0.9),
      e("expect_column_values_to_be_in_set", "column", "grade", "value_set", Arrays.asList("A", "it's", "c:\\d", null, 7, true)),
      e("expect_column_values_to_not_be_in_set", "column", "grade", "value_set", List.of("X")),
      e("expect_column_values_to_match_regex", "column", "code", "regex", "^[A-Z]{2}\\d+$"),
      e("expect_column_values_to_not_match_regex", "column", "code", "regex", "\\s"),
      e("expect_column_value_lengths_to_be_between", "column", "code", "min_value", 2, "max_value", 12),
      e("expect_column_values_to_be_unique", "column", "id"),
      e("expect_compound_columns_to_be_unique", "column_list", List.of("id", "day"), "ignore_row_if", "never"),
      e("expect_table_row_count_to_be_between", "min_value", 1, "max_value", 10_000_000_000L),
      e("expect_column_min_to_be_between", "column", "amount", "min_value", -1),
      e("expect_column_max_to_be_between", "column", "amount", "max_value", 100),
      e("expect_column_mean_to_be_between", "column", "amount", "min_value", 1, "max_value", 2),
      e("expect_column_median_to_be_between", "column", "amount", "min_value", 1),
      e("expect_column_stdev_to_be_between", "column", "amount", "max_value", 3),
      e("expect_column_sum_to_be_between", "column", "amount", "min_value", 0),
      e("expect_column_proportion_of_unique_values_to_be_between", "column", "id", "min_value", 0.5, "max_value", 1),
      e("expect_column_distinct_values_to_be_in_set", "column", "grade", "value_set", List.of("A", "B")),
      e("expect_row_values_to_satisfy_sql", "condition", "amount >= fee OR `odd name` = 'x'", "mostly", 0.95).withSeverity(Severity.WARNING)),
      IngestionPolicy.QUARANTINE);

  @Test
  void theFullCatalogRoundTripsThroughYaml() {
    Path file = dir.resolve("nested/full.yaml");
    SuiteFiles.write(FULL, file);
    assertEquals(FULL, SuiteFiles.load(file.toString()));
    assertEquals(FULL, parse(SuiteFiles.toYaml(FULL)));
  }

  /** Feature groups store their suite as JSON (Jackson, record components); the extra constructor must not break it. */
  @Test
  void suitesRoundTripThroughJackson() throws Exception {
    ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    assertEquals(FULL, mapper.readValue(mapper.writeValueAsString(FULL), ExpectationSuite.class));
    // a suite stored before the policy existed reads as STRICT
    ExpectationSuite old = mapper.readValue("{\"name\":\"s\",\"expectations\":[]}", ExpectationSuite.class);
    assertEquals(IngestionPolicy.STRICT, old.policy());
  }

  @Test
  void numbersAreNormalisedSoCodeAndFilesAgree() {
    assertEquals(e("expect_column_values_to_be_between", "column", "x", "min_value", 300L, "mostly", 0.5f),
        e("expect_column_values_to_be_between", "column", "x", "min_value", 300, "mostly", 0.5));
  }

  @Test
  void policyAtTheTopOrInMeta() {
    assertEquals(IngestionPolicy.STRICT, parse("expectation_suite_name: s\nexpectations: []\n").policy());
    assertEquals(IngestionPolicy.QUARANTINE, parse("expectation_suite_name: s\npolicy: quarantine\nexpectations: []\n").policy());
    assertEquals(IngestionPolicy.ALWAYS, parse("expectation_suite_name: s\nmeta: {policy: ALWAYS}\nexpectations: []\n").policy());
    assertMentions(error("expectation_suite_name: s\npolicy: lenient\nexpectations: []\n"), "s.yaml", "'lenient'", "strict, always, quarantine");
    assertMentions(error("expectation_suite_name: s\npolicy: strict\nmeta: {policy: always}\nexpectations: []\n"), "disagree");
    assertMentions(error("expectation_suite_name: s\npolicy_: strict\nexpectations: []\n"), "'policy_'", "Did you mean 'policy'?");
  }

  @Test
  void gxOneSeveritiesAndFields() {
    ExpectationSuite s = parse("name: s\nsuite_parameters: {}\nnotes: n\nexpectations:\n"
        + "  - type: expect_column_values_to_be_unique\n    kwargs: {column: id}\n    severity: critical\n    description: d\n"
        + "  - type: expect_column_values_to_be_unique\n    kwargs: {column: x}\n    severity: info\n");
    assertEquals(List.of(Severity.ERROR, Severity.WARNING), s.expectations().stream().map(Expectation::severity).toList());
  }

  @Test
  void misspeltTypesAndKwargsGetASuggestion() {
    assertMentions(errorFor("expect_column_values_to_be_betwen", "{column: x}"), "expectation #2", "Did you mean 'expect_column_values_to_be_between'?");
    assertMentions(errorFor("expect_column_values_to_match_regex", "{column: x, regx: a}"), "expectation #2", "'regx'", "Did you mean 'regex'?");
  }

  /** GE's row_condition would silently widen an expectation to every row if ignored: refused, saying what to do instead. */
  @Test
  void greatExpectationsRowConditionsAreRefusedWithTheAlternative() {
    for (String kwarg : List.of("row_condition: 'kind = \"a\"', condition_parser: spark", "condition_parser: spark")) {
      assertMentions(errorFor("expect_column_values_to_be_between", "{column: x, min_value: 0, " + kwarg + "}"),
          "expectation #2", "not supported", "expect_row_values_to_satisfy_sql");
    }
  }

  @Test
  void wrongKwargTypesNameTheFix() {
    assertMentions(errorFor("expect_column_values_to_be_of_type", "{column: x, type_: integr}"), "expectation #2", "'type_'", "Spark SQL type name");
    assertMentions(errorFor("expect_column_values_to_match_regex", "{column: x, regex: '[a-'}"), "expectation #2", "not a valid regular expression");
    assertMentions(errorFor("expect_row_values_to_satisfy_sql", "{condition: 'amount >>= 1'}"), "expectation #2", "not valid Spark SQL");
    assertMentions(errorFor("expect_row_values_to_satisfy_sql", "{condition: ''}"), "expectation #2", "'condition'", "boolean expression");
    assertMentions(errorFor("expect_table_row_count_to_be_between", "{min_value: 1.5}"), "'min_value'", "whole number");
    assertMentions(errorFor("expect_column_value_lengths_to_be_between", "{column: x, min_value: -1}"), "'min_value'", "whole number >= 0");
    assertMentions(errorFor("expect_column_to_exist", "{column: [a]}"), "'column'", "column name");
    assertMentions(errorFor("expect_column_mean_to_be_between", "{column: x, min_value: '2024-01-01'}"), "'min_value'", "must be a number");
    assertMentions(errorFor("expect_compound_columns_to_be_unique", "{column_list: [a, b], ignore_row_if: sometimes}"), "'ignore_row_if'", "never");
    assertMentions(errorFor("expect_column_values_to_be_in_set", "{column: x, value_set: [[1, 2]]}"), "'value_set'", "plain values");
    assertMentions(errorFor("expect_table_columns_to_match_set", "{column_set: []}"), "'column_set'", "non-empty list");
  }

  @Test
  void kwargsThatContradictEachOther() {
    assertMentions(errorFor("expect_column_values_to_be_between", "{column: x}"), "expectation #2", "'min_value', 'max_value' or both");
    assertMentions(errorFor("expect_column_values_to_be_between", "{column: x, min_value: 5, max_value: 1}"), "greater than", "Swap");
    assertMentions(errorFor("expect_column_values_to_be_between", "{column: d, min_value: '2024-12-31', max_value: '2024-01-01'}"),
        "'min_value' (2024-12-31) is greater than 'max_value' (2024-01-01)", "Swap");
    assertMentions(errorFor("expect_column_values_to_be_between", "{column: d, min_value: '2024-01-01 12:00:00', max_value: '2024-01-01'}"),
        "greater than", "Swap");
    assertMentions(errorFor("expect_column_mean_to_be_between", "{column: x, min_value: 5, max_value: 5, strict_max: true}"),
        "no value can pass", "strict_max");
    assertMentions(errorFor("expect_column_values_to_be_between", "{column: d, min_value: '2024-01-01', max_value: '2024-01-01', strict_min: true}"),
        "no value can pass", "strict_min");
    parse(HEAD + "  - expectation_type: expect_column_values_to_be_between\n    kwargs: {column: x, min_value: 5, max_value: 5}\n");
    assertMentions(errorFor("expect_column_values_to_not_be_in_set", "{column: x, value_set: [a, null]}"), "contains null");
    assertMentions(errorFor("expect_compound_columns_to_be_unique", "{column_list: [a, a]}"), "twice");
  }

  @Test
  void isoDatesAreValidBoundsForValues() {
    ExpectationSuite s = parse(HEAD + "  - expectation_type: expect_column_values_to_be_between\n    kwargs: {column: d, min_value: '2024-01-01', max_value: '2024-12-31 23:59:59'}\n");
    assertEquals("2024-01-01", s.expectations().get(0).kwargs().get("min_value"));
  }
}
