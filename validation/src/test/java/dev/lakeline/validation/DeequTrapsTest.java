package dev.lakeline.validation;

import static dev.lakeline.validation.Frames.column;
import static dev.lakeline.validation.Frames.e;
import static dev.lakeline.validation.Frames.failedLabels;
import static dev.lakeline.validation.Frames.frame;
import static dev.lakeline.validation.Frames.one;
import static dev.lakeline.validation.Frames.row;
import static dev.lakeline.validation.Frames.suite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * Each Deequ 2.0.7 trap (see notes/validation-delta.md §1.10), handled: the Deequ side of each is pinned in
 * {@code internal.deequ.DeequBehaviourTest}.
 */
@SparkTest
class DeequTrapsTest {

  // --- 1. keys that are entirely null slip past Deequ's uniqueness ------------------------------------------------

  @Test
  void allNullKeysAreDuplicatesWhenRowsAreNeverIgnored(SparkSession spark) {
    Dataset<Row> batch = frame(spark, "id INT, a STRING, b INT", row(1, "x", 1), row(2, null, null), row(3, null, null));
    Expectation pk = e("expect_compound_columns_to_be_unique", "column_list", List.of("a", "b"), "ignore_row_if", "never");
    ExpectationResult r = one(batch, pk);
    assertFalse(r.success(), "Deequ alone reports these keys unique");
    assertEquals(2L, (long) r.unexpectedCount());
    assertEquals(1, r.partialUnexpectedList().size());
    Map<?, ?> key = (Map<?, ?>) r.partialUnexpectedList().get(0);
    assertTrue(key.containsKey("a") && key.get("a") == null && key.get("b") == null, key.toString());
    assertEquals(List.of(List.of(), List.of(pk.label()), List.of(pk.label())), failedLabels(Validator.rowLevel(batch, suite(pk)), "id"));
  }

  /** With GE's default ignore_row_if, all-null keys are not evaluated: the metric and the row-level agree. */
  @Test
  void allNullKeysAreMissingByDefaultAndRowLevelAgrees(SparkSession spark) {
    Dataset<Row> batch = frame(spark, "id INT, a STRING, b INT", row(1, "x", 1), row(2, null, null), row(3, null, null));
    Expectation unique = e("expect_compound_columns_to_be_unique", "column_list", List.of("a", "b"));
    ExpectationResult r = one(batch, unique);
    assertTrue(r.success());
    assertEquals(2L, (long) r.missingCount(), "the all-null keys are visible as missing");
    // Deequ's own row-level result marks these rows as failing while its metric passes; ours does not.
    assertEquals(List.of(List.of(), List.of(), List.of()), failedLabels(Validator.rowLevel(batch, suite(unique)), "id"));
  }

  @Test
  void primaryKeyExpectationsCatchNullKeys(SparkSession spark) {
    Dataset<Row> batch = frame(spark, "a STRING, b INT", row("x", 1), row(null, null), row(null, null));
    ValidationResult result = Validator.validate(batch, new ExpectationSuite("pk", Expectation.primaryKey(List.of("a", "b"))));
    assertEquals(List.of(false, false, false), result.results().stream().map(ExpectationResult::success).toList());
  }

  // --- 2. isNonNegative / isPositive miss large negatives (DECIMAL(20,10) overflow) -----------------------------

  @Test
  void largeNegativesFailANonNegativeBound(SparkSession spark) {
    Expectation nonNegative = e("expect_column_values_to_be_between", "column", "v", "min_value", 0);
    ExpectationResult longs = one(column(spark, "v", DataTypes.LongType, 5L, -99999999999L, Long.MIN_VALUE), nonNegative);
    assertFalse(longs.success());
    assertEquals(2L, (long) longs.unexpectedCount());
    Dataset<Row> decimals = column(spark, "v", DataTypes.createDecimalType(38, 2),
        new BigDecimal("12345678901234567890.50"), new BigDecimal("-12345678901234567890.50"));
    ExpectationResult d = one(decimals, nonNegative);
    assertEquals(1L, (long) d.unexpectedCount());
    ExpectationResult positive = one(decimals, nonNegative.withKwarg("strict_min", true));
    assertEquals(1L, (long) positive.unexpectedCount());
    assertTrue(one(column(spark, "v", DataTypes.LongType, 0L, 99999999999L), nonNegative).success());
  }

  // --- 3. a failed metric silently drops out of Deequ's row-level results --------------------------------------

  /** Deequ cannot group by an array key (a failed precondition): the expectation fails, and so does every row. */
  @Test
  void anExpectationWhoseMetricFailedFailsEveryRow(SparkSession spark) {
    Dataset<Row> batch = frame(spark, "id INT, tags ARRAY<STRING>", row(1, List.of("a")), row(2, List.of("b")));
    Expectation unique = e("expect_compound_columns_to_be_unique", "column_list", List.of("id", "tags"));
    Expectation positive = e("expect_column_values_to_be_between", "column", "id", "min_value", 0);
    ExpectationSuite s = suite(unique, positive);
    ValidationResult result = Validator.validate(batch, s);
    ExpectationResult r = result.results().get(0);
    assertFalse(r.success());
    assertTrue(r.raisedException());
    assertNotNull(r.exceptionMessage());
    assertTrue(result.results().get(1).success(), "the other expectations still ran");
    assertEquals(List.of(List.of(unique.label()), List.of(unique.label())), failedLabels(Validator.rowLevel(batch, s), "id"));
    try (GateResult gate = Gate.evaluate(batch, s, IngestionPolicy.QUARANTINE)) {
      assertEquals(Decision.QUARANTINED, gate.decision());
      assertEquals(0, gate.acceptedCount());
      assertEquals(2, gate.quarantinedCount());
    }
  }

  /** A SQL condition that throws while scanning fails every measure of the shared scan: all of them fail closed. */
  @Test
  void aRuntimeErrorInTheSharedScanFailsClosed(SparkSession spark) {
    Dataset<Row> batch = column(spark, "amount", DataTypes.IntegerType, 1, 500, 2);
    Expectation guarded = e("expect_row_values_to_satisfy_sql", "condition", "assert_true(amount < 100) IS NULL");
    Expectation between = e("expect_column_values_to_be_between", "column", "amount", "min_value", 0);
    ExpectationSuite s = suite(guarded, between);
    ValidationResult result = Validator.validate(batch, s);
    assertEquals(3, result.rowCount());
    assertTrue(result.results().stream().allMatch(ExpectationResult::raisedException), result.failureSummary());
    assertEquals(List.of(List.of(guarded.label(), between.label()), List.of(guarded.label(), between.label()),
        List.of(guarded.label(), between.label())), failedLabels(Validator.rowLevel(batch, s, result), "amount"));
    try (GateResult gate = Gate.evaluate(batch, s, IngestionPolicy.STRICT)) {
      assertEquals(Decision.REJECTED, gate.decision());
    }
  }

  // --- 4. a filter matching no row fails in Deequ; GE calls that vacuously true ----------------------------------

  @Test
  void columnMapExpectationsPassWhenNothingIsEvaluated(SparkSession spark) {
    Dataset<Row> allNull = column(spark, "v", DataTypes.StringType, null, null, null);
    Dataset<Row> empty = column(spark, "v", DataTypes.StringType);
    List<Expectation> mapExpectations = List.of(
        e("expect_column_values_to_be_between", "column", "v", "min_value", "2024-01-01"),
        e("expect_column_values_to_be_in_set", "column", "v", "value_set", List.of("a")),
        e("expect_column_values_to_not_be_in_set", "column", "v", "value_set", List.of("a")),
        e("expect_column_values_to_match_regex", "column", "v", "regex", "^a$"),
        e("expect_column_values_to_not_match_regex", "column", "v", "regex", "^a$"),
        e("expect_column_value_lengths_to_be_between", "column", "v", "min_value", 5),
        e("expect_column_values_to_be_unique", "column", "v"),
        e("expect_compound_columns_to_be_unique", "column_list", List.of("v")),
        e("expect_row_values_to_satisfy_sql", "condition", "v = 'a'"),
        e("expect_column_values_to_be_null", "column", "v"));
    ValidationResult onNulls = Validator.validate(allNull, new ExpectationSuite("nulls", mapExpectations));
    for (ExpectationResult r : onNulls.results()) {
      assertTrue(r.success(), r.label() + ": " + r.detail() + " " + r.exceptionMessage());
      assertEquals(3, r.elementCount(), r.label());
      assertEquals(0L, (long) r.unexpectedCount(), r.label());
    }
    assertEquals(3L, (long) onNulls.results().get(0).missingCount());
    ValidationResult onEmpty = Validator.validate(empty, new ExpectationSuite("empty", mapExpectations)
        .with(e("expect_column_values_to_not_be_null", "column", "v")));
    assertTrue(onEmpty.success(), onEmpty.failureSummary());
    assertFalse(one(allNull, e("expect_column_values_to_not_be_null", "column", "v")).success());
  }

  // --- 5. Deequ does not escape column names ------------------------------------------------------------------

  @Test
  void oddColumnNamesWorkEverywhere(SparkSession spark) {
    for (String name : List.of("loan amount", "we`ird", "dotted.name", "it's", "a,b", "_c0")) {
      Dataset<Row> batch = frame(spark, "id INT", row(1), row(2), row(3), row(4))
          .selectExpr("id", "CASE WHEN id = 4 THEN 40 WHEN id = 3 THEN 1 ELSE id END AS `" + name.replace("`", "``") + "`");
      String quoted = "`" + name.replace("`", "``") + "`";
      List<Expectation> list = List.of(
          e("expect_column_values_to_be_between", "column", name, "max_value", 10),
          e("expect_column_values_to_be_in_set", "column", name, "value_set", List.of(1, 2, 3)),
          e("expect_column_values_to_match_regex", "column", name, "regex", "^[0-9]$"),
          e("expect_column_value_lengths_to_be_between", "column", name, "max_value", 1),
          e("expect_column_values_to_be_unique", "column", name),
          e("expect_compound_columns_to_be_unique", "column_list", List.of(name, "id"), "ignore_row_if", "never"),
          e("expect_column_max_to_be_between", "column", name, "max_value", 10),
          e("expect_column_stdev_to_be_between", "column", name, "max_value", 100),
          e("expect_column_proportion_of_unique_values_to_be_between", "column", name, "min_value", 1),
          e("expect_row_values_to_satisfy_sql", "condition", quoted + " < 10"),
          e("expect_column_values_to_be_of_type", "column", name, "type_", "int"));
      ExpectationSuite s = new ExpectationSuite("odd", list);
      ValidationResult result = Validator.validate(batch, s);
      assertEquals(List.of(false, false, false, false, false, true, false, true, false, false, true),
          result.results().stream().map(ExpectationResult::success).toList(), name + "\n" + result.failureSummary());
      assertTrue(result.results().stream().noneMatch(ExpectationResult::raisedException), result.failureSummary());
      assertEquals(List.of(40), result.results().get(0).partialUnexpectedList(), name);
      Dataset<Row> rows = Validator.rowLevel(batch, s, result);
      assertEquals(List.of("id", name, Validator.FAILED_EXPECTATIONS_COLUMN), List.of(rows.columns()));
      assertEquals(List.of(), failedLabels(rows, "id").get(1), name);
      assertEquals(List.of(list.get(4).label()), failedLabels(rows, "id").get(0), name + ": row 1 repeats the value of row 3");
      assertEquals(5, failedLabels(rows, "id").get(3).size(), name + ": 40 breaks every value bound");
    }
  }
}
