package dev.lakeline.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading suites from files; no Spark needed. */
class SuiteFilesTest {
  @TempDir Path dir;

  private String write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p.toString();
  }

  /** A YAML suite whose second expectation is {@code secondExpectation} (indented as a list item). */
  private String yamlWithSecond(String secondExpectation) throws IOException {
    return write(
        "suite.yaml",
        "expectation_suite_name: s\n"
            + "expectations:\n"
            + "  - expectation_type: expect_column_values_to_not_be_null\n"
            + "    kwargs: {column: id}\n"
            + secondExpectation);
  }

  private LakelineException.ConfigError loadError(String file) {
    return assertThrows(LakelineException.ConfigError.class, () -> SuiteFiles.load(file));
  }

  private static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "message should mention '" + p + "': " + message);
    }
  }

  @Test
  void loadsYaml() throws IOException {
    String file =
        write(
            "loans.yaml",
            """
            # a comment
            expectation_suite_name: loans
            expectations:
              - expectation_type: expect_column_values_to_not_be_null
                kwargs: {column: applicant_id}
              - expectation_type: expect_column_values_to_be_between
                kwargs: {column: loan_amount, min_value: 500, max_value: 40000.5, strict_min: true}
              - expectation_type: expect_column_values_to_be_in_set
                kwargs:
                  column: status
                  value_set: [Fully Paid, Charged Off]
                  mostly: 0.9
                severity: warning
              - expectation_type: expect_compound_columns_to_be_unique
                kwargs: {column_list: [a, b]}
              - expectation_type: expect_table_row_count_to_be_between
                kwargs: {min_value: 1}
            """);

    ExpectationSuite suite = SuiteFiles.load(file);

    assertEquals("loans", suite.name());
    assertEquals(5, suite.expectations().size());
    Expectation notNull = suite.expectations().get(0);
    assertEquals("expect_column_values_to_not_be_null", notNull.type());
    assertEquals(Map.of("column", "applicant_id"), notNull.kwargs());
    assertEquals(Severity.ERROR, notNull.severity());
    Expectation between = suite.expectations().get(1);
    assertEquals(500, ((Number) between.kwargs().get("min_value")).intValue());
    assertEquals(40000.5, ((Number) between.kwargs().get("max_value")).doubleValue());
    assertEquals(Boolean.TRUE, between.kwargs().get("strict_min"));
    Expectation inSet = suite.expectations().get(2);
    assertEquals(List.of("Fully Paid", "Charged Off"), inSet.kwargs().get("value_set"));
    assertEquals(0.9, ((Number) inSet.kwargs().get("mostly")).doubleValue());
    assertEquals(Severity.WARNING, inSet.severity());
    assertEquals(List.of("a", "b"), suite.expectations().get(3).kwargs().get("column_list"));
  }

  @Test
  void loadsGreatExpectationsJson() throws IOException {
    String file =
        write(
            "loans.json",
            """
            {
              "data_asset_type": null,
              "expectation_suite_name": "loans.warning",
              "ge_cloud_id": null,
              "meta": {"great_expectations_version": "0.18.8"},
              "expectations": [
                {
                  "expectation_type": "expect_column_values_to_not_be_null",
                  "kwargs": {"column": "loan_id", "result_format": "BASIC"},
                  "meta": {}
                },
                {
                  "expectation_type": "expect_column_values_to_be_in_set",
                  "kwargs": {"column": "term", "value_set": [36, 60], "mostly": 1},
                  "meta": {"severity": "warning", "notes": "from the profiler"}
                },
                {
                  "expectation_type": "expect_column_values_to_be_between",
                  "kwargs": {"column": "int_rate", "min_value": 0, "max_value": null}
                }
              ]
            }
            """);

    ExpectationSuite suite = SuiteFiles.load(file);

    assertEquals("loans.warning", suite.name());
    assertEquals(3, suite.expectations().size());
    assertEquals("loan_id", suite.expectations().get(0).kwargs().get("column"));
    assertEquals(Severity.ERROR, suite.expectations().get(0).severity());
    assertEquals(List.of(36, 60), suite.expectations().get(1).kwargs().get("value_set"));
    assertEquals(Severity.WARNING, suite.expectations().get(1).severity());
    assertEquals(null, suite.expectations().get(2).kwargs().get("max_value"));
  }

  @Test
  void loadsGxOneStyleKeys() throws IOException {
    String file =
        write(
            "gx.json",
            """
            {"name": "gx", "id": "abc", "expectations": [
              {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"}, "id": "e1", "notes": null}
            ]}
            """);
    ExpectationSuite suite = SuiteFiles.load(file);
    assertEquals("gx", suite.name());
    assertEquals("expect_column_values_to_be_unique", suite.expectations().get(0).type());
  }

  @Test
  void theExampleSuitesLoad() {
    for (String name : List.of("loans", "credit_reports", "card_spend", "predictions")) {
      Path p = Path.of("..", "conf", "expectations", name + ".yaml");
      ExpectationSuite suite = SuiteFiles.load(p.toString());
      assertEquals(name, suite.name());
      assertFalse(suite.expectations().isEmpty(), name);
    }
  }

  @Test
  void unknownExpectationType() throws IOException {
    String file = yamlWithSecond("  - expectation_type: expect_column_values_to_be_positive\n    kwargs: {column: x}\n");
    assertMentions(
        loadError(file).getMessage(),
        file,
        "expectation #2",
        "unknown expectation type 'expect_column_values_to_be_positive'",
        "expect_column_values_to_be_between"); // the fix: the supported types
  }

  @Test
  void missingKwarg() throws IOException {
    String file = yamlWithSecond("  - expectation_type: expect_column_values_to_be_in_set\n    kwargs: {column: x}\n");
    assertMentions(loadError(file).getMessage(), file, "expectation #2", "'value_set'", "Add it");
  }

  @Test
  void misspeltKwarg() throws IOException {
    String file =
        yamlWithSecond("  - expectation_type: expect_column_values_to_be_between\n    kwargs: {column: x, min_vaule: 1}\n");
    assertMentions(loadError(file).getMessage(), file, "expectation #2", "'min_vaule'", "min_value");
  }

  @Test
  void mostlyThatIsNotANumber() throws IOException {
    String file =
        yamlWithSecond("  - expectation_type: expect_column_values_to_not_be_null\n    kwargs: {column: x, mostly: abc}\n");
    assertMentions(loadError(file).getMessage(), file, "expectation #2", "'mostly'", "between 0 and 1", "abc");
  }

  @Test
  void mostlyOutOfRange() throws IOException {
    String file =
        yamlWithSecond("  - expectation_type: expect_column_values_to_not_be_null\n    kwargs: {column: x, mostly: 1.5}\n");
    assertMentions(loadError(file).getMessage(), file, "expectation #2", "'mostly'");
  }

  @Test
  void valueSetThatIsNotAList() throws IOException {
    String file =
        yamlWithSecond("  - expectation_type: expect_column_values_to_be_in_set\n    kwargs: {column: x, value_set: RENT}\n");
    assertMentions(loadError(file).getMessage(), file, "expectation #2", "'value_set'", "list");
  }

  @Test
  void columnListThatIsNotAList() throws IOException {
    String file =
        yamlWithSecond("  - expectation_type: expect_compound_columns_to_be_unique\n    kwargs: {column_list: a}\n");
    assertMentions(loadError(file).getMessage(), file, "expectation #2", "'column_list'", "list");
  }

  @Test
  void boundThatIsNotANumber() throws IOException {
    String file =
        yamlWithSecond("  - expectation_type: expect_column_values_to_be_between\n    kwargs: {column: x, min_value: ten}\n");
    assertMentions(loadError(file).getMessage(), file, "expectation #2", "'min_value'", "number");
  }

  @Test
  void strictFlagThatIsNotABoolean() throws IOException {
    String file =
        yamlWithSecond("  - expectation_type: expect_column_values_to_be_between\n    kwargs: {column: x, min_value: 1, strict_min: \"yes\"}\n");
    assertMentions(loadError(file).getMessage(), file, "expectation #2", "'strict_min'", "true or false");
  }

  @Test
  void unknownExpectationField() throws IOException {
    String file =
        yamlWithSecond(
            "  - expectation_type: expect_column_values_to_not_be_null\n    kwargs: {column: x}\n    sevrity: warning\n");
    assertMentions(loadError(file).getMessage(), file, "expectation #2", "'sevrity'", "severity");
  }

  @Test
  void unknownSuiteField() throws IOException {
    String file = write("s.yaml", "expectation_suite_name: s\nexpecations: []\n");
    assertMentions(loadError(file).getMessage(), file, "'expecations'", "expectations");
  }

  @Test
  void severityMustBeErrorOrWarning() throws IOException {
    String file =
        yamlWithSecond(
            "  - expectation_type: expect_column_values_to_not_be_null\n    kwargs: {column: x}\n    severity: fatal\n");
    assertMentions(loadError(file).getMessage(), file, "expectation #2", "'fatal'", "'error' or 'warning'");
    // case does not matter for valid values
    String ok =
        yamlWithSecond(
            "  - expectation_type: expect_column_values_to_not_be_null\n    kwargs: {column: x}\n    severity: WARNING\n");
    assertEquals(Severity.WARNING, SuiteFiles.load(ok).expectations().get(1).severity());
  }

  @Test
  void suiteWithoutNameOrWithoutAListIsRejected() throws IOException {
    assertMentions(loadError(write("a.yaml", "expectations: []\n")).getMessage(), "expectation_suite_name");
    assertMentions(loadError(write("b.yaml", "expectation_suite_name: s\nexpectations: {}\n")).getMessage(), "list");
    assertMentions(loadError(write("c.yaml", "- just\n- a list\n")).getMessage(), "c.yaml");
  }

  @Test
  void invalidSyntaxIsAConfigErrorWithTheLine() throws IOException {
    String file = write("broken.yaml", "expectation_suite_name: s\nexpectations:\n  - {expectation_type: x\n");
    assertMentions(loadError(file).getMessage(), file, "line");
  }

  @Test
  void aMissingFileIsNotFound() {
    String file = dir.resolve("nope.yaml").toString();
    LakelineException.NotFound e = assertThrows(LakelineException.NotFound.class, () -> SuiteFiles.load(file));
    assertMentions(e.getMessage(), file);
  }
}
