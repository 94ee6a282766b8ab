package dev.lakeline.validation;

import static dev.lakeline.validation.Frames.column;
import static dev.lakeline.validation.Frames.e;
import static dev.lakeline.validation.Frames.frame;
import static dev.lakeline.validation.Frames.one;
import static dev.lakeline.validation.Frames.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** Table, aggregate and schema expectations: observed values, bounds, and what happens without values. */
@SparkTest
class AggregateAndSchemaExpectationsTest {

  private static Dataset<Row> ints(SparkSession spark, Integer... values) {
    return column(spark, "v", DataTypes.IntegerType, (Object[]) values);
  }

  private static double observed(ExpectationResult r) {
    return ((Number) r.observedValue()).doubleValue();
  }

  @Test
  void minAndMaxReportIntegersForIntegerColumns(SparkSession spark) {
    Dataset<Row> batch = ints(spark, 3, null, 7, 5);
    ExpectationResult min = one(batch, e("expect_column_min_to_be_between", "column", "v", "min_value", 3));
    assertTrue(min.success(), min.detail());
    assertEquals(3L, min.observedValue());
    assertFalse(one(batch, e("expect_column_min_to_be_between", "column", "v", "min_value", 3, "strict_min", true)).success());
    ExpectationResult max = one(batch, e("expect_column_max_to_be_between", "column", "v", "max_value", 6));
    assertFalse(max.success());
    assertEquals(7L, max.observedValue());
    assertNull(max.unexpectedCount());
    assertEquals(4, max.elementCount());
  }

  @Test
  void meanSumAndMedian(SparkSession spark) {
    Dataset<Row> batch = ints(spark, 1, 2, 3, 10, null);
    assertEquals(4.0, observed(one(batch, e("expect_column_mean_to_be_between", "column", "v", "min_value", 4, "max_value", 4))));
    assertTrue(one(batch, e("expect_column_mean_to_be_between", "column", "v", "min_value", 4, "max_value", 4)).success());
    assertFalse(one(batch, e("expect_column_mean_to_be_between", "column", "v", "max_value", 4, "strict_max", true)).success());
    assertEquals(16.0, observed(one(batch, e("expect_column_sum_to_be_between", "column", "v", "min_value", 0))));
    assertFalse(one(batch, e("expect_column_sum_to_be_between", "column", "v", "max_value", 15)).success());
    // the exact median of 1, 2, 3, 10 averages the two middle values
    ExpectationResult median = one(batch, e("expect_column_median_to_be_between", "column", "v", "min_value", 2.5, "max_value", 2.5));
    assertEquals(2.5, observed(median));
    assertTrue(median.success());
    assertEquals(3.0, observed(one(ints(spark, 5, 1, 3), e("expect_column_median_to_be_between", "column", "v", "min_value", 0))));
  }

  /** GE's stdev is the sample standard deviation; Deequ computes the population one. */
  @Test
  void stdevIsTheSampleStandardDeviation(SparkSession spark) {
    // values 2, 4, 4, 4, 5, 5, 7, 9: population sd = 2, sample sd = sqrt(32/7) = 2.138
    Dataset<Row> batch = ints(spark, 2, 4, 4, 4, 5, 5, 7, 9, null);
    ExpectationResult r = one(batch, e("expect_column_stdev_to_be_between", "column", "v", "min_value", 2.1, "max_value", 2.2));
    assertEquals(Math.sqrt(32.0 / 7), observed(r), 1e-12);
    assertTrue(r.success(), r.detail());
    assertFalse(one(batch, e("expect_column_stdev_to_be_between", "column", "v", "max_value", 2.0)).success());
    ExpectationResult single = one(ints(spark, 5, null), e("expect_column_stdev_to_be_between", "column", "v", "min_value", 0));
    assertFalse(single.success(), "one value has no sample standard deviation");
    assertNull(single.observedValue());
  }

  @Test
  void aggregatesFailWithoutValuesButAreNotErrors(SparkSession spark) {
    Dataset<Row> allNull = ints(spark, null, null);
    for (String stat : List.of("min", "max", "mean", "median", "stdev", "sum")) {
      ExpectationResult r = one(allNull, e("expect_column_" + stat + "_to_be_between", "column", "v", "min_value", 0));
      assertFalse(r.success(), stat);
      assertFalse(r.raisedException(), stat + ": " + r.exceptionMessage());
      assertNull(r.observedValue(), stat);
    }
  }

  /**
   * A NaN is a value, not a null: it makes the mean, sum and standard deviation NaN, and the maximum too (Spark
   * orders NaN above every number), as on Spark in GE. The expectation fails observing NaN; it must not claim the
   * column has no values (Deequ's metric is NaN, which is also what it gives for a filter that matched no row).
   */
  @Test
  void aNanValueFailsTheStatisticsItMakesNanAndIsReportedAsObserved(SparkSession spark) {
    Dataset<Row> batch = column(spark, "v", DataTypes.DoubleType, 1.0, Double.NaN, 3.0, null);
    for (String stat : List.of("max", "mean", "stdev", "sum")) {
      ExpectationResult r = one(batch, e("expect_column_" + stat + "_to_be_between", "column", "v", "max_value", 100));
      assertFalse(r.success(), stat);
      assertFalse(r.raisedException(), stat + ": " + r.exceptionMessage());
      assertTrue(r.observedValue() instanceof Double d && d.isNaN(), stat + ": observed " + r.observedValue());
      assertTrue(r.detail().contains("NaN") && !r.detail().contains("no non-null values"), stat + ": " + r.detail());
    }
    // the minimum skips NaN unless every value is NaN
    assertEquals(1.0, observed(one(batch, e("expect_column_min_to_be_between", "column", "v", "max_value", 100))));
    ExpectationResult allNan = one(column(spark, "v", DataTypes.DoubleType, Double.NaN, Double.NaN),
        e("expect_column_min_to_be_between", "column", "v", "max_value", 100));
    assertFalse(allNan.success());
    assertTrue(allNan.detail().contains("NaN"), allNan.detail());
  }

  @Test
  void aggregatesWithoutBoundsOnlyRecord(SparkSession spark) {
    ExpectationResult r = one(ints(spark, 4, 8), e("expect_column_mean_to_be_between", "column", "v"));
    assertTrue(r.success());
    assertEquals(6.0, observed(r));
  }

  @Test
  void proportionOfUniqueValues(SparkSession spark) {
    Dataset<Row> batch = ints(spark, 1, 1, 2, 3, null);
    ExpectationResult r = one(batch, e("expect_column_proportion_of_unique_values_to_be_between", "column", "v", "min_value", 0.75));
    assertEquals(0.75, observed(r), 1e-12);
    assertTrue(r.success());
    assertFalse(one(batch, e("expect_column_proportion_of_unique_values_to_be_between", "column", "v", "min_value", 0.75, "strict_min", true)).success());
    // no non-null values: GE's proportion is 0
    ExpectationResult none = one(ints(spark, null, null), e("expect_column_proportion_of_unique_values_to_be_between", "column", "v", "max_value", 0.5));
    assertEquals(0.0, observed(none));
    assertTrue(none.success());
  }

  @Test
  void distinctValuesInSet(SparkSession spark) {
    Dataset<Row> batch = column(spark, "v", DataTypes.StringType, "a", "b", null, "a");
    assertTrue(one(batch, e("expect_column_distinct_values_to_be_in_set", "column", "v", "value_set", List.of("a", "b", "c"))).success());
    ExpectationResult r = one(column(spark, "v", DataTypes.StringType, "a", "z", "y", "z"), e("expect_column_distinct_values_to_be_in_set", "column", "v", "value_set", List.of("a")));
    assertFalse(r.success());
    assertFalse(r.rowLevel());
    assertEquals(List.of("a", "y", "z"), r.observedValue());
    assertEquals(List.of("y", "z"), r.partialUnexpectedList());
    assertTrue(one(column(spark, "v", DataTypes.StringType), e("expect_column_distinct_values_to_be_in_set", "column", "v", "value_set", List.of("a"))).success());
  }

  @Test
  void rowCount(SparkSession spark) {
    ExpectationResult r = one(ints(spark, 1, null, 3), e("expect_table_row_count_to_be_between", "min_value", 1, "max_value", 3));
    assertTrue(r.success());
    assertEquals(3L, ((Number) r.observedValue()).longValue());
    assertFalse(one(ints(spark), e("expect_table_row_count_to_be_between", "min_value", 1)).success());
  }

  @Test
  void ofType(SparkSession spark) {
    Dataset<Row> batch = frame(spark, "i INT, l BIGINT, s STRING, d DECIMAL(10,2), ts TIMESTAMP, a ARRAY<STRING>", row(1, 2L, "x", null, null, null));
    for (String[] ok : new String[][] {
        {"i", "int"}, {"i", "IntegerType"}, {"i", "integer"}, {"l", "bigint"}, {"l", "LongType"}, {"s", "string"},
        {"s", "StringType"}, {"d", "decimal(10,2)"}, {"d", "DecimalType"}, {"d", "decimal"}, {"ts", "timestamp"},
        {"a", "array<string>"}, {"a", "array"}}) {
      ExpectationResult r = one(batch, e("expect_column_values_to_be_of_type", "column", ok[0], "type_", ok[1]));
      assertTrue(r.success(), ok[0] + " as " + ok[1] + ": " + r.detail());
    }
    ExpectationResult wrong = one(batch, e("expect_column_values_to_be_of_type", "column", "i", "type_", "bigint"));
    assertFalse(wrong.success());
    assertEquals("int", wrong.observedValue());
    assertFalse(one(batch, e("expect_column_values_to_be_of_type", "column", "d", "type_", "decimal(12,2)")).success());
  }

  @Test
  void columnExistsAndIndex(SparkSession spark) {
    Dataset<Row> batch = frame(spark, "a INT, b INT", row(1, 2));
    assertTrue(one(batch, e("expect_column_to_exist", "column", "b")).success());
    assertTrue(one(batch, e("expect_column_to_exist", "column", "b", "column_index", 1)).success());
    assertFalse(one(batch, e("expect_column_to_exist", "column", "b", "column_index", 0)).success());
    assertFalse(one(batch, e("expect_column_to_exist", "column", "c")).success());
  }

  @Test
  void tableColumnsMatchSet(SparkSession spark) {
    Dataset<Row> batch = frame(spark, "a INT, b INT", row(1, 2));
    assertTrue(one(batch, e("expect_table_columns_to_match_set", "column_set", List.of("b", "a"))).success());
    ExpectationResult extra = one(batch, e("expect_table_columns_to_match_set", "column_set", List.of("a")));
    assertFalse(extra.success());
    assertTrue(extra.detail().contains("unexpected [b]"), extra.detail());
    assertEquals(List.of("a", "b"), extra.observedValue());
    assertTrue(one(batch, e("expect_table_columns_to_match_set", "column_set", List.of("a"), "exact_match", false)).success());
    assertFalse(one(batch, e("expect_table_columns_to_match_set", "column_set", List.of("a", "c"), "exact_match", false)).success());
  }

  @Test
  void aggregatesNeedNumericColumns(SparkSession spark) {
    Dataset<Row> batch = column(spark, "name", DataTypes.StringType, "x");
    LakelineException.ConfigError error = assertThrows(
        LakelineException.ConfigError.class,
        () -> Validator.validate(batch, Frames.suite(e("expect_column_mean_to_be_between", "column", "name", "min_value", 0))));
    assertTrue(error.getMessage().contains("'name' is string") && error.getMessage().contains("numeric"), error.getMessage());
  }

  @Test
  void valuesOfTheWrongTypeAreConfigErrors(SparkSession spark) {
    Dataset<Row> batch = frame(spark, "n INT, d DATE", row(1, java.sql.Date.valueOf("2024-01-01")));
    LakelineException.ConfigError dateOnNumber = assertThrows(LakelineException.ConfigError.class,
        () -> Validator.validate(batch, Frames.suite(e("expect_column_values_to_be_between", "column", "n", "min_value", "2024-01-01"))));
    assertTrue(dateOnNumber.getMessage().contains("column 'n' is int"), dateOnNumber.getMessage());
    LakelineException.ConfigError arrayInSet = assertThrows(LakelineException.ConfigError.class,
        () -> Validator.validate(frame(spark, "a ARRAY<INT>", row(List.of(1))),
            Frames.suite(e("expect_column_values_to_be_in_set", "column", "a", "value_set", List.of(1)))));
    assertTrue(arrayInSet.getMessage().contains("expectation #1") && arrayInSet.getMessage().contains("array<int>"), arrayInSet.getMessage());
  }

  @Test
  void sqlConditionsAreCheckedAgainstTheBatch(SparkSession spark) {
    Dataset<Row> batch = column(spark, "amount", DataTypes.IntegerType, 1);
    LakelineException.ConfigError unknown = assertThrows(
        LakelineException.ConfigError.class,
        () -> Validator.validate(batch, Frames.suite(e("expect_row_values_to_satisfy_sql", "condition", "amount > fee"))));
    assertTrue(unknown.getMessage().contains("expectation #1") && unknown.getMessage().contains("fee"), unknown.getMessage());
    LakelineException.ConfigError notBoolean = assertThrows(
        LakelineException.ConfigError.class,
        () -> Validator.validate(batch, Frames.suite(e("expect_row_values_to_satisfy_sql", "condition", "amount + 1"))));
    assertTrue(notBoolean.getMessage().contains("not a boolean"), notBoolean.getMessage());
    // a row condition judges each row alone: an aggregate failed deep in Spark (exit 1, a stack trace), a window
    // broke the write's observed metrics, a random one would count and split rows differently
    for (String[] c : new String[][] {
        {"sum(amount) > 0", "an aggregate"}, {"amount > avg(amount) OVER ()", "a window function"},
        {"amount > rand()", "not deterministic"}}) {
      LakelineException.ConfigError notPerRow = assertThrows(
          LakelineException.ConfigError.class,
          () -> Validator.check(spark, batch.schema(), Frames.suite(e("expect_row_values_to_satisfy_sql", "condition", c[0]))), c[0]);
      assertTrue(notPerRow.getMessage().contains("expectation #1") && notPerRow.getMessage().contains(c[1])
          && notPerRow.getMessage().contains("each row alone"), c[0] + ": " + notPerRow.getMessage());
    }
  }
}
