package dev.lakeline.transformations;

import static dev.lakeline.testkit.TestSpark.inZone;
import static dev.lakeline.transformations.TestData.date;
import static dev.lakeline.transformations.TestData.frame;
import static dev.lakeline.transformations.TestData.row;
import static dev.lakeline.transformations.TestData.schema;
import static dev.lakeline.transformations.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class DateFeaturesTest {
  private static final String[] PARTS = {"year", "month", "day_of_month", "day_of_week", "hour", "minute", "is_weekend"};

  private static Dataset<Row> times(SparkSession spark) {
    return frame(spark, schema("id string", "t timestamp"),
        row("sun", ts("2024-03-10T23:30:00Z")),
        row("pre1970", ts("1969-12-31T23:00:00Z")),
        row("far", ts("9999-12-31T23:59:59.999999Z")),
        row("null", null));
  }

  @Test
  void partsAreReadOnTheWallClockOfTheGivenZoneNotTheSessions(SparkSession spark) {
    inZone(spark, "America/Los_Angeles", () -> {
      Dataset<Row> utc = DateFeatures.dateParts("t", "UTC", PARTS).apply(times(spark));
      assertEquals(List.of(
              Arrays.asList("far", 9999, 12, 31, 5, 23, 59, 0),
              Arrays.asList("null", null, null, null, null, null, null, null),
              Arrays.asList("pre1970", 1969, 12, 31, 3, 23, 0, 0),
              Arrays.asList("sun", 2024, 3, 10, 7, 23, 30, 1)),
          TestData.values(utc, "id", "t_year", "t_month", "t_day_of_month", "t_day_of_week", "t_hour", "t_minute",
              "t_is_weekend"));
      // In Paris (UTC+1 in March) that Sunday evening is already Monday.
      Dataset<Row> paris = DateFeatures.dateParts("t", "Europe/Paris", PARTS).apply(times(spark)).where("id = 'sun'");
      assertEquals(List.of(Arrays.asList("sun", 2024, 3, 11, 1, 0, 30, 0)),
          TestData.values(paris, "id", "t_year", "t_month", "t_day_of_month", "t_day_of_week", "t_hour", "t_minute",
              "t_is_weekend"));
    });
  }

  @Test
  void datesHaveDayPartsButNoTimeOfDay(SparkSession spark) {
    Dataset<Row> df = frame(spark, schema("id string", "d date"), row("sat", date("2024-03-09")));
    Dataset<Row> out = DateFeatures.dateParts("d", "UTC", "day_of_week", "is_weekend").apply(df);
    assertEquals(List.of(Arrays.asList("sat", 6, 1)), TestData.values(out, "id", "d_day_of_week", "d_is_weekend"));
    var e = assertThrows(LakelineException.ConfigError.class, () -> DateFeatures.dateParts("d", "UTC", "hour").apply(df));
    assertTrue(e.getMessage().contains("'hour'") && e.getMessage().contains("'d'"), e.getMessage());
    var part = assertThrows(LakelineException.ConfigError.class, () -> DateFeatures.dateParts("d", "UTC", "weekday"));
    assertTrue(part.getMessage().contains("unknown part 'weekday'"), part.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> DateFeatures.dateParts("d", "Mars/Olympus", "month"));
  }

  @Test
  void cyclicalEncodingPutsTheEndsOfACycleTogether(SparkSession spark) {
    Dataset<Row> df = frame(spark, schema("h int"), row(0), row(6), row(18), row((Object) null));
    List<Row> out = DateFeatures.cyclical("h", 24).apply(df).collectAsList();
    assertEquals(0.0, out.get(0).getDouble(1), 1e-12);
    assertEquals(1.0, out.get(0).getDouble(2), 1e-12);
    assertEquals(1.0, out.get(1).getDouble(1), 1e-12);
    assertEquals(0.0, out.get(1).getDouble(2), 1e-12);
    assertEquals(-1.0, out.get(2).getDouble(1), 1e-12);
    assertTrue(out.get(3).isNullAt(1) && out.get(3).isNullAt(2));
  }

  @Test
  void ageInCompletedYearsOrDays(SparkSession spark) {
    Dataset<Row> df = frame(spark, schema("id string", "born date", "asof date"),
        row("leap-before", date("2000-02-29"), date("2023-02-28")),
        row("leap-after", date("2000-02-29"), date("2023-03-01")),
        row("leap-on", date("2000-02-29"), date("2024-02-29")),
        row("day-before", date("1990-06-15"), date("2024-06-14")),
        row("birthday", date("1990-06-15"), date("2024-06-15")),
        row("future", date("2025-01-01"), date("2024-06-15")),
        row("null", null, date("2024-06-15")));
    Map<String, Integer> years = TestData.byId(
        DateFeatures.age("born", "asof", "years", "age").apply(df), "id", "age", o -> (Integer) o);
    Map<String, Integer> expected = new HashMap<>(Map.of(
        "leap-before", 22, "leap-after", 23, "leap-on", 24, "day-before", 33, "birthday", 34));
    expected.put("future", null);
    expected.put("null", null);
    assertEquals(expected, years);

    Map<String, Integer> days = TestData.byId(
        DateFeatures.ageAsOf("born", LocalDate.parse("2000-03-02"), "days", "d").apply(df), "id", "d", o -> (Integer) o);
    assertEquals(2, days.get("leap-on"));

    Dataset<Row> stamps = frame(spark, schema("id string", "t timestamp"), row("late", ts("2000-01-01T23:30:00Z")));
    Map<String, Integer> fromTimestamp = TestData.byId(
        DateFeatures.ageAsOf("t", LocalDate.parse("2001-01-01"), "years", "a").apply(stamps), "id", "a", o -> (Integer) o);
    assertEquals(Map.of("late", 1), fromTimestamp);

    var neither = assertThrows(LakelineException.ConfigError.class, () -> new Age("born", null, null, "years", "a"));
    assertTrue(neither.getMessage().contains("wall clock"), neither.getMessage());
  }
}
