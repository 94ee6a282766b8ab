package dev.lakeline.validation;

import static dev.lakeline.validation.Frames.e;
import static dev.lakeline.validation.Frames.failedLabels;
import static dev.lakeline.validation.Frames.frame;
import static dev.lakeline.validation.Frames.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

@SparkTest
class RowLevelTest {

  private static Dataset<Row> loans(SparkSession spark) {
    return frame(spark, "id INT, amount INT, grade STRING",
        row(1, 100, "A"),
        row(2, -5, "A"),
        row(3, null, "Z"),
        row(4, 50, null),
        row(4, 60, "B"));
  }

  @Test
  void eachRowListsTheErrorExpectationsItBreaks(SparkSession spark) {
    Expectation positive = e("expect_column_values_to_be_between", "column", "amount", "min_value", 0);
    Expectation grades = e("expect_column_values_to_be_in_set", "column", "grade", "value_set", List.of("A", "B"));
    Expectation unique = e("expect_column_values_to_be_unique", "column", "id");
    Expectation present = e("expect_column_values_to_not_be_null", "column", "amount");
    ExpectationSuite suite = new ExpectationSuite("loans", List.of(positive, grades, unique, present));

    Dataset<Row> rows = Validator.rowLevel(loans(spark), suite);

    assertEquals(DataTypes.createArrayType(DataTypes.StringType), rows.schema().apply(Validator.FAILED_EXPECTATIONS_COLUMN).dataType());
    assertEquals(List.of(
        List.of(),
        List.of(positive.label()),
        List.of(grades.label(), present.label()), // a null amount breaks only the not-null check
        List.of(unique.label()),                  // a null grade breaks nothing; both rows of id 4 break uniqueness
        List.of(unique.label())), failedLabels(rows, "id"));
    assertEquals(List.of("id", "amount", "grade", Validator.FAILED_EXPECTATIONS_COLUMN), List.of(rows.columns()));
  }

  @Test
  void warningsAndBatchLevelExpectationsAreNotRowLevel(SparkSession spark) {
    ExpectationSuite suite = new ExpectationSuite("loans", List.of(
        e("expect_column_values_to_be_between", "column", "amount", "min_value", 0).withSeverity(Severity.WARNING),
        e("expect_column_max_to_be_between", "column", "amount", "max_value", 10),
        e("expect_table_row_count_to_be_between", "min_value", 100),
        e("expect_column_distinct_values_to_be_in_set", "column", "grade", "value_set", List.of("A"))));
    ValidationResult result = Validator.validate(loans(spark), suite);
    assertEquals(4, result.unsuccessful());
    assertTrue(failedLabels(Validator.rowLevel(loans(spark), suite, result), "id").stream().allMatch(List::isEmpty));
  }

  @Test
  void sameLabelsAreNumbered(SparkSession spark) {
    Expectation low = e("expect_column_values_to_be_between", "column", "amount", "min_value", 0);
    Expectation high = e("expect_column_values_to_be_between", "column", "amount", "max_value", 80);
    ExpectationSuite suite = new ExpectationSuite("loans", List.of(low, high));
    assertEquals(List.of(low.label() + " #1", low.label() + " #2"), suite.labels());
    List<List<String>> labels = failedLabels(Validator.rowLevel(loans(spark), suite), "id");
    assertEquals(List.of(low.label() + " #2"), labels.get(0));
    assertEquals(List.of(low.label() + " #1"), labels.get(1));
  }

  @Test
  void twoExpectationsOnTheSameKeyShareDeequsAnalyzer(SparkSession spark) {
    Expectation unique = e("expect_column_values_to_be_unique", "column", "id");
    ExpectationSuite suite = new ExpectationSuite("loans", List.of(unique, unique.withKwarg("mostly", 0.5)));
    ValidationResult result = Validator.validate(loans(spark), suite);
    assertEquals(List.of(false, true), result.results().stream().map(ExpectationResult::success).toList());
    assertEquals(List.of(unique.label() + " #1", unique.label() + " #2"), failedLabels(Validator.rowLevel(loans(spark), suite, result), "id").get(4));
  }

  @Test
  void aResultOfAnotherSuiteIsRefused(SparkSession spark) {
    ExpectationSuite suite = new ExpectationSuite("loans", List.of(e("expect_column_values_to_not_be_null", "column", "id")));
    ValidationResult other = Validator.validate(loans(spark), ExpectationSuite.empty("other"));
    assertThrows(LakelineException.ConfigError.class, () -> Validator.rowLevel(loans(spark), suite, other));
  }
}
