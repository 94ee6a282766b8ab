package dev.lakeline.validation;

import static dev.lakeline.validation.Frames.e;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class SuggestionsTest {
  @TempDir Path dir;

  private static Dataset<Row> sample(SparkSession spark) {
    return spark.range(0, 200).selectExpr(
        "CAST(id AS INT) AS loan_id",
        "CASE WHEN id % 3 = 0 THEN 'RENT' WHEN id % 3 = 1 THEN 'OWN' ELSE 'MORTGAGE' END AS `home.ownership`",
        "CAST(id * 10 AS BIGINT) AS amount",
        "CASE WHEN id % 2 = 0 THEN 36 ELSE 60 END AS term",
        "CASE WHEN id % 10 = 0 THEN NULL ELSE 'x' END AS note");
  }

  private static boolean has(ExpectationSuite suite, Expectation e) {
    return suite.expectations().contains(e);
  }

  @Test
  void suggestsGreatExpectationsTypesThatPassOnTheSample(SparkSession spark) {
    ExpectationSuite suite = Suggestions.suggest(sample(spark), "loans");
    assertEquals("loans", suite.name());
    String yaml = SuiteFiles.toYaml(suite);
    assertTrue(has(suite, e("expect_column_values_to_not_be_null", "column", "loan_id")), yaml);
    assertTrue(has(suite, e("expect_column_values_to_be_unique", "column", "loan_id")), yaml);
    assertTrue(has(suite, e("expect_column_values_to_be_between", "column", "amount", "min_value", 0)), yaml);
    assertTrue(has(suite, e("expect_column_values_to_be_in_set", "column", "term", "value_set", List.of(36, 60)))
        || has(suite, e("expect_column_values_to_be_in_set", "column", "term", "value_set", List.of(60, 36))), yaml);
    assertTrue(suite.expectations().stream().anyMatch(x -> x.type().equals("expect_column_values_to_be_in_set")
        && x.kwargs().get("column").equals("home.ownership")
        && ((List<?>) x.kwargs().get("value_set")).containsAll(List.of("RENT", "OWN", "MORTGAGE"))), yaml);
    assertTrue(suite.expectations().stream().anyMatch(x -> x.type().equals("expect_column_values_to_not_be_null")
        && x.kwargs().get("column").equals("note") && x.kwargs().get("mostly") instanceof Double m && m < 0.9), yaml);
    assertTrue(has(suite, e("expect_table_columns_to_match_set", "column_set", List.of(sample(spark).columns()), "exact_match", true)), yaml);
    assertTrue(has(suite, e("expect_column_values_to_be_of_type", "column", "amount", "type_", "bigint")), yaml);
    assertTrue(Validator.validate(sample(spark), suite).success());
  }

  @Test
  void deequsProfilerPrintsNothingBetweenTheCommandsLines(SparkSession spark) {
    // Deequ prints "Unable to map type DateType" for a date column to the (Scala) console
    Dataset<Row> dated = sample(spark).selectExpr("*", "DATE'2024-06-30' AS issue_date");
    java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
    scala.Function0<ExpectationSuite> suggest = () -> Suggestions.suggest(dated, "loans");
    ExpectationSuite suite = scala.Console.withOut(console, suggest);
    assertFalse(suite.expectations().isEmpty());
    assertEquals("", console.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void theSuggestedNonNegativeBoundCatchesLargeNegatives(SparkSession spark) {
    ExpectationSuite suite = Suggestions.suggest(sample(spark), "loans");
    Dataset<Row> bad = sample(spark).limit(1).selectExpr("loan_id + 1000 AS loan_id", "`home.ownership`", "CAST(-99999999999 AS BIGINT) AS amount", "term", "note");
    ValidationResult result = Validator.validate(bad, suite);
    assertFalse(result.result("expect_column_values_to_be_between(amount)").success());
  }

  @Test
  void aSmallSampleWithNullsGetsAValidSuiteWithoutTheNullCheckItsBoundRulesOut(SparkSession spark) {
    // 1 of 3 values present: Deequ's completeness lower bound is 0.33 - 1.96 * sqrt(0.33 * 0.67 / 3) = -0.2
    Dataset<Row> small = spark.sql("SELECT * FROM VALUES (1, 'a'), (2, CAST(NULL AS STRING)), (3, NULL) AS t(id, x)");
    ExpectationSuite suite = Suggestions.suggest(small, "small");
    String yaml = SuiteFiles.toYaml(suite);
    assertEquals(suite, SuiteFiles.parse("small.yaml", yaml), "the suggestion is a valid suite file");
    assertTrue(suite.expectations().stream().noneMatch(x -> x.kwargs().get("mostly") instanceof Number m && m.doubleValue() <= 0), yaml);
    assertFalse(suite.expectations().stream().anyMatch(x -> x.type().equals("expect_column_values_to_not_be_null")
        && x.kwargs().get("column").equals("x")), "a bound of 0 or below asserts nothing, so there is no null check on x:\n" + yaml);
    assertTrue(has(suite, e("expect_column_values_to_not_be_null", "column", "id")), yaml);
    assertTrue(Validator.validate(small, suite).success());
  }

  @Test
  void writtenSuggestionsLoadBackUnchanged(SparkSession spark) {
    ExpectationSuite suite = Suggestions.suggest(sample(spark), "loans");
    Path file = dir.resolve("suites/loans.yaml");
    SuiteFiles.write(suite, file);
    assertEquals(suite, SuiteFiles.load(file.toString()));
  }
}
