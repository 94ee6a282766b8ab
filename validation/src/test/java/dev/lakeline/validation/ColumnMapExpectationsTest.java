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
import dev.lakeline.testkit.TestSpark;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The column-map and row expectations, with GE's counts: nulls are missing, not unexpected. */
@SparkTest
class ColumnMapExpectationsTest {

  private static Dataset<Row> strings(SparkSession spark, String... values) {
    return column(spark, "v", DataTypes.StringType, (Object[]) values);
  }

  private static void assertCounts(ExpectationResult r, long elements, Long missing, long unexpected) {
    assertEquals(elements, r.elementCount(), r.detail());
    assertEquals(missing, r.missingCount(), r.detail());
    assertEquals(unexpected, (long) r.unexpectedCount(), r.detail());
  }

  @Test
  void notNullCountsEveryRowAndListsNulls(SparkSession spark) {
    ExpectationResult r = one(strings(spark, "a", null, null, "b"), e("expect_column_values_to_not_be_null", "column", "v"));
    assertFalse(r.success());
    assertCounts(r, 4, null, 2);
    assertEquals(50.0, r.unexpectedPercent());
    assertEquals(Arrays.asList(null, null), r.partialUnexpectedList());
  }

  @Test
  void beNull(SparkSession spark) {
    Expectation isNull = e("expect_column_values_to_be_null", "column", "v");
    assertTrue(one(strings(spark, null, null), isNull).success());
    ExpectationResult r = one(strings(spark, null, "x", null, null), isNull);
    assertFalse(r.success());
    assertCounts(r, 4, null, 1);
    assertEquals(List.of("x"), r.partialUnexpectedList());
    // mostly over all rows: 3 of 4 are null
    assertTrue(one(strings(spark, null, "x", null, null), isNull.withKwarg("mostly", 0.75)).success());
    assertFalse(one(strings(spark, null, "x", null, null), isNull.withKwarg("mostly", 0.8)).success());
  }

  @Test
  void notInSet(SparkSession spark) {
    Expectation banned = e("expect_column_values_to_not_be_in_set", "column", "v", "value_set", List.of("DROP", "x'y"));
    assertTrue(one(strings(spark, "a", null, "b"), banned).success());
    ExpectationResult r = one(strings(spark, "a", "x'y", null, "DROP", "DROP"), banned);
    assertFalse(r.success());
    assertCounts(r, 5, 1L, 3);
    assertEquals(List.of("DROP", "DROP", "x'y"), r.partialUnexpectedList().stream().map(String::valueOf).sorted().toList());
    // an empty set bans nothing
    assertTrue(one(strings(spark, "a"), e("expect_column_values_to_not_be_in_set", "column", "v", "value_set", List.of())).success());
  }

  @Test
  void inSetWithEmptySetOrNullInTheSet(SparkSession spark) {
    assertFalse(one(strings(spark, "a"), e("expect_column_values_to_be_in_set", "column", "v", "value_set", List.of())).success());
    assertTrue(one(strings(spark, "a", null), e("expect_column_values_to_be_in_set", "column", "v", "value_set", Arrays.asList("a", null))).success());
    assertFalse(one(strings(spark, "a", "b"), e("expect_column_values_to_be_in_set", "column", "v", "value_set", Arrays.asList("a", null))).success());
  }

  @Test
  void matchRegexUsesFindSemanticsAndIgnoresNulls(SparkSession spark) {
    Expectation digits = e("expect_column_values_to_match_regex", "column", "v", "regex", "\\d{3}");
    assertTrue(one(strings(spark, "ab123", "999", null), digits).success()); // find, not full match
    ExpectationResult r = one(strings(spark, "ab123", "12", "x", null), digits);
    assertFalse(r.success());
    assertCounts(r, 4, 1L, 2);
    Expectation anchored = e("expect_column_values_to_match_regex", "column", "v", "regex", "^it's [a-z]+$");
    assertTrue(one(strings(spark, "it's fine"), anchored).success());
    assertFalse(one(strings(spark, "it''s fine"), anchored).success());
    // non-string columns are matched on their text
    assertTrue(one(column(spark, "v", DataTypes.IntegerType, 123, 456), digits).success());
  }

  @Test
  void notMatchRegex(SparkSession spark) {
    Expectation noSpaces = e("expect_column_values_to_not_match_regex", "column", "v", "regex", "\\s");
    assertTrue(one(strings(spark, "ab", null), noSpaces).success());
    ExpectationResult r = one(strings(spark, "a b", "ab", "tab\there"), noSpaces);
    assertCounts(r, 3, 0L, 2);
    assertFalse(r.success());
  }

  @Test
  void valueLengths(SparkSession spark) {
    Expectation len = e("expect_column_value_lengths_to_be_between", "column", "v", "min_value", 2, "max_value", 3);
    assertTrue(one(strings(spark, "ab", "abc", null), len).success());
    ExpectationResult r = one(strings(spark, "a", "ab", "abcd", null), len);
    assertCounts(r, 4, 1L, 2);
    assertFalse(one(strings(spark, "ab"), len.withKwarg("strict_min", true)).success());
    assertFalse(one(strings(spark, "abc"), len.withKwarg("strict_max", true)).success());
    assertTrue(one(strings(spark, "abcdefgh"), e("expect_column_value_lengths_to_be_between", "column", "v", "min_value", 8)).success());
  }

  @Test
  void betweenOnDatesWithIsoBounds(SparkSession spark) {
    Dataset<Row> dates = frame(spark, "d DATE", row(java.sql.Date.valueOf("2024-01-01")), row(java.sql.Date.valueOf("2024-06-30")), row((Object) null));
    assertTrue(one(dates, e("expect_column_values_to_be_between", "column", "d", "min_value", "2024-01-01", "max_value", "2024-12-31")).success());
    ExpectationResult r = one(dates, e("expect_column_values_to_be_between", "column", "d", "min_value", "2024-02-01"));
    assertFalse(r.success());
    assertEquals(List.of("2024-01-01"), r.partialUnexpectedList());
    // Spark would cast '2024-01-01 12:00:00' to the date 2024-01-01, dropping the time: 2024-01-01 would pass a
    // minimum of noon that day, and match that time in a set. A time of day on a DATE column is refused instead.
    for (Expectation timed : List.of(
        e("expect_column_values_to_be_between", "column", "d", "min_value", "2024-01-01 12:00:00"),
        e("expect_column_values_to_be_in_set", "column", "d", "value_set", List.of("2024-06-30", "2024-01-01 12:00:00")))) {
      LakelineException.ConfigError error = assertThrows(LakelineException.ConfigError.class, () -> one(dates, timed));
      assertTrue(error.getMessage().contains("value '2024-01-01 12:00:00' has a time of day, but column 'd' is a date"), error.getMessage());
    }
    assertTrue(one(dates, e("expect_column_values_to_be_between", "column", "d", "min_value", "2024-01-01 00:00:00")).success(),
        "midnight is the date itself");
    LakelineException.ConfigError zoned = assertThrows(LakelineException.ConfigError.class,
        () -> one(dates, e("expect_column_values_to_be_between", "column", "d", "min_value", "2024-01-01T00:00:00Z")));
    assertTrue(zoned.getMessage().contains("has a UTC offset, but column 'd' is date"), zoned.getMessage());
  }

  @Test
  void betweenOnTimestampsReadsIsoBoundsAsUtcWhateverTheSessionZone(SparkSession spark) {
    // 02:00 UTC on 1 January: within [the day's midnight UTC, 03:00 UTC] in every session, as Lakeline's times are
    Dataset<Row> ts = frame(spark, "t TIMESTAMP", row(java.sql.Timestamp.from(java.time.Instant.parse("2024-01-01T02:00:00Z"))));
    Expectation between = e("expect_column_values_to_be_between", "column", "t", "min_value", "2024-01-01", "max_value", "2024-01-01 03:00:00");
    for (String zone : List.of("UTC", "America/New_York", "Asia/Kolkata")) {
      assertTrue(TestSpark.inZone(spark, zone, () -> one(ts, between).success()), zone);
      assertFalse(TestSpark.inZone(spark, zone, () -> one(ts, between.withKwarg("max_value", "2024-01-01 01:59:59")).success()), zone);
      Expectation inSet = e("expect_column_values_to_be_in_set", "column", "t", "value_set", List.of("2024-01-01 02:00:00"));
      assertTrue(TestSpark.inZone(spark, zone, () -> one(ts, inSet).success()), zone);
    }
    // an instant with Z or an offset, the form reports print timestamps in, is a bound too (GE users write them)
    assertTrue(one(ts, between.withKwarg("max_value", "2024-01-01T02:00:00Z")).success());
    assertFalse(one(ts, between.withKwarg("max_value", "2024-01-01T02:59:59+01:00")).success(), "01:59:59 UTC");
    assertTrue(one(ts, e("expect_column_values_to_be_in_set", "column", "t", "value_set", List.of("2024-01-01T03:00:00+01:00"))).success());
    // the report's unexpected values are instants, whatever the JVM's zone (a Timestamp's toString() is its wall clock)
    java.util.TimeZone jvmZone = java.util.TimeZone.getDefault();
    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
    try {
      assertEquals(List.of("2024-01-01T02:00:00Z"), one(ts, between.withKwarg("max_value", "2024-01-01 01:59:59")).partialUnexpectedList());
    } finally {
      java.util.TimeZone.setDefault(jvmZone);
    }
  }

  @Test
  void betweenCountsAndMostly(SparkSession spark) {
    Dataset<Row> batch = column(spark, "v", DataTypes.IntegerType, 1, 2, 3, 50, null);
    Expectation between = e("expect_column_values_to_be_between", "column", "v", "min_value", 0, "max_value", 10);
    ExpectationResult r = one(batch, between);
    assertCounts(r, 5, 1L, 1);
    assertEquals(25.0, r.unexpectedPercent());
    assertEquals(List.of(50), r.partialUnexpectedList());
    assertTrue(one(batch, between.withKwarg("mostly", 0.75)).success());
    assertFalse(one(batch, between.withKwarg("mostly", 0.76)).success());
  }

  @Test
  void uniqueCountsEveryRowOfADuplicatedValue(SparkSession spark) {
    ExpectationResult r = one(column(spark, "v", DataTypes.IntegerType, 1, 2, 2, 3, 3, 3, null, null), e("expect_column_values_to_be_unique", "column", "v"));
    assertFalse(r.success());
    assertCounts(r, 8, 2L, 5);
    assertEquals(List.of(2, 3), r.partialUnexpectedList().stream().map(o -> (Integer) o).sorted().toList());
    // mostly: 1 of 6 non-null values is unique
    assertTrue(one(column(spark, "v", DataTypes.IntegerType, 1, 2, 2, 3, 3, 3), e("expect_column_values_to_be_unique", "column", "v", "mostly", 1.0 / 6)).success());
  }

  @Test
  void compoundUniqueListsDuplicatedKeysAsMaps(SparkSession spark) {
    Dataset<Row> batch = frame(spark, "a STRING, b INT", row("x", 1), row("x", 1), row("x", 2), row("y", null), row("y", null));
    ExpectationResult r = one(batch, e("expect_compound_columns_to_be_unique", "column_list", List.of("a", "b")));
    assertFalse(r.success());
    assertCounts(r, 5, 0L, 4); // (y, NULL) twice is a duplicate: only rows whose key is entirely null are skipped
    assertEquals(2, r.partialUnexpectedList().size());
    assertTrue(r.partialUnexpectedList().contains(Map.of("a", "x", "b", 1)), r.partialUnexpectedList().toString());
    // any_value_is_missing skips rows with a null in the key
    ExpectationResult skipPartial =
        one(batch, e("expect_compound_columns_to_be_unique", "column_list", List.of("a", "b"), "ignore_row_if", "any_value_is_missing"));
    assertCounts(skipPartial, 5, 2L, 2);
  }

  @Test
  void sqlPredicateCountsNullResultsAsMissing(SparkSession spark) {
    Dataset<Row> batch = frame(spark, "amount DOUBLE, fee DOUBLE", row(10.0, 1.0), row(5.0, 6.0), row(null, 1.0), row(3.0, 3.0));
    Expectation covers = e("expect_row_values_to_satisfy_sql", "condition", "amount >= fee");
    ExpectationResult r = one(batch, covers);
    assertFalse(r.success());
    assertCounts(r, 4, 1L, 1);
    assertEquals(List.of(Map.of("amount", 5.0, "fee", 6.0)), r.partialUnexpectedList());
    assertTrue(one(batch, covers.withKwarg("mostly", 0.66)).success());
    assertTrue(one(batch, e("expect_row_values_to_satisfy_sql", "condition", "amount IS NULL OR amount > 0")).success());
  }

  @Test
  void successfulExpectationsRunNoSampleQuery(SparkSession spark) {
    ExpectationResult r = one(column(spark, "v", DataTypes.IntegerType, 1, 2), e("expect_column_values_to_be_between", "column", "v", "min_value", 0));
    assertTrue(r.success());
    assertTrue(r.partialUnexpectedList().isEmpty());
    assertNull(r.observedValue());
    assertEquals(0L, (long) r.unexpectedCount());
  }
}
