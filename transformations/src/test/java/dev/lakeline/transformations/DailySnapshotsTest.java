package dev.lakeline.transformations;

import static dev.lakeline.testkit.TestSpark.inZone;
import static dev.lakeline.transformations.TestData.date;
import static dev.lakeline.transformations.TestData.frame;
import static dev.lakeline.transformations.TestData.row;
import static dev.lakeline.transformations.TestData.schema;
import static dev.lakeline.transformations.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.SparkTest;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class DailySnapshotsTest {
  private static Dataset<Row> events(SparkSession spark) {
    return frame(spark, schema("who string", "t timestamp", "v int"),
        row("a", ts("2024-01-01T23:59:59.999999Z"), 1),
        row("a", ts("2024-01-02T00:00:00Z"), 2),
        row("a", ts("2024-01-02T20:00:00Z"), 4),
        row("a", ts("2024-01-02T23:00:00Z"), null),
        row("a", ts("2024-01-04T03:00:00Z"), 8),
        row("b", ts("2024-01-03T12:00:00Z"), 10),
        row(null, ts("2024-01-03T12:00:00Z"), 99),
        row("a", null, 99));
  }

  private static final DailySnapshots STEP = DailySnapshots.of("who", "t", "v", "1d", "4h", "2d")
      .withAggregates(Aggregate.COUNT, Aggregate.EVENTS, Aggregate.SUM);

  private static final String COLUMNS = "who string, day date, v_count_1d bigint, v_events_1d bigint, v_sum_1d bigint, "
      + "v_count_4h bigint, v_events_4h bigint, v_sum_4h bigint, v_count_2d bigint, v_events_2d bigint, v_sum_2d bigint";

  @Test
  void oneRowPerEntityAndDayWithEventsWindowsEndAtMidnightUtc(SparkSession spark) {
    Dataset<Row> expected = frame(spark, org.apache.spark.sql.types.StructType.fromDDL(COLUMNS),
        // 01-01 23:59:59.999999 is the day's last microsecond: in that day.
        row("a", date("2024-01-01"), 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L, 1L),
        // 1d = the day; 4h = from 20:00 (included) to midnight; 2d = 01-01 and 01-02. The null value is an event.
        row("a", date("2024-01-02"), 2L, 3L, 6L, 1L, 2L, 4L, 3L, 4L, 7L),
        // Nothing after 20:00 on 01-04: the 4h window is empty (count 0, sum null).
        row("a", date("2024-01-04"), 1L, 1L, 8L, 0L, 0L, null, 1L, 1L, 8L),
        row("b", date("2024-01-03"), 1L, 1L, 10L, 0L, 0L, null, 1L, 1L, 10L));
    DataFrameAssertions.assertSameRows(expected, STEP.apply(events(spark)));
  }

  @Test
  void givenDatesGiveEveryEntityARowOnEachDate(SparkSession spark) {
    Dataset<Row> expected = frame(spark, org.apache.spark.sql.types.StructType.fromDDL(COLUMNS),
        row("a", date("2024-01-02"), 2L, 3L, 6L, 1L, 2L, 4L, 3L, 4L, 7L),
        row("a", date("2024-01-03"), 0L, 0L, null, 0L, 0L, null, 2L, 3L, 6L),
        // b's only event is later than 01-02: it never counts in an earlier snapshot.
        row("b", date("2024-01-02"), 0L, 0L, null, 0L, 0L, null, 0L, 0L, null),
        row("b", date("2024-01-03"), 1L, 1L, 10L, 0L, 0L, null, 1L, 1L, 10L));
    DataFrameAssertions.assertSameRows(
        expected, STEP.withDateRange(LocalDate.parse("2024-01-02"), LocalDate.parse("2024-01-03")).apply(events(spark)));
    DataFrameAssertions.assertSameRows(
        expected, STEP.withDates(LocalDate.parse("2024-01-03"), LocalDate.parse("2024-01-02")).apply(events(spark)));
  }

  @Test
  void daysAreUtcWhateverTheSessionTimeZone(SparkSession spark) {
    List<Row> utc = STEP.apply(events(spark)).orderBy("who", "day").collectAsList();
    assertEquals(utc, inZone(spark, "America/Los_Angeles", () -> STEP.apply(events(spark)).orderBy("who", "day").collectAsList()));
  }

  @Test
  void oldDailyTrailingAggregatesKeepsItsColumns(SparkSession spark) {
    Dataset<Row> out = Features.dailyTrailingAggregates("who", "t", "v", 1, "s").apply(events(spark));
    Dataset<Row> expected = frame(spark,
        org.apache.spark.sql.types.StructType.fromDDL("who string, day date, s_count_1d bigint, s_sum_1d double"),
        row("a", date("2024-01-01"), 1L, 1.0),
        row("a", date("2024-01-02"), 2L, 6.0),
        row("a", date("2024-01-04"), 1L, 8.0),
        row("b", date("2024-01-03"), 1L, 10.0));
    DataFrameAssertions.assertSameRows(expected, out);
  }

  @Test
  void datesAreCheckedWhenTheStepIsBuilt() {
    assertThrows(LakelineException.ConfigError.class,
        () -> STEP.withDateRange(LocalDate.parse("2024-01-03"), LocalDate.parse("2024-01-02")));
    assertThrows(LakelineException.ConfigError.class, () -> STEP.withDayColumn("who").outputSchema(
        TestData.schema("who string", "t timestamp", "v int")));
  }
}
