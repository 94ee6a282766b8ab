package dev.lakeline.featurestore;

import static dev.lakeline.featurestore.FeatureGroupTest.r;
import static dev.lakeline.featurestore.FeatureGroupTest.rows;
import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static dev.lakeline.testkit.TestSpark.inZone;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Time ranges, time splits and "latest as of" compare the base event time in UTC whatever the session's time zone:
 * a DATE is its midnight UTC (as in the point-in-time join), a TIMESTAMP an instant.
 */
@SparkTest
class FeatureViewUtcTest {
  private static final List<String> ZONES = List.of("Europe/Berlin", "America/New_York", "UTC");

  static final StructType DAILY =
      new StructType()
          .add("loan_id", DataTypes.LongType)
          .add("issue_date", DataTypes.DateType)
          .add("amount", DataTypes.DoubleType)
          .add("defaulted", DataTypes.IntegerType);

  static final StructType TIMED =
      new StructType()
          .add("event_id", DataTypes.LongType)
          .add("ts", DataTypes.TimestampType)
          .add("x", DataTypes.DoubleType);

  private static Instant at(String instant) {
    return Instant.parse(instant);
  }

  /** A view over loans issued one a day, Jan 1 to Jan 10 2024, with a DATE event time. */
  private static FeatureView dailyView(SparkSession spark, FeatureStore store) {
    FeatureGroup loans = store.createFeatureGroup(FeatureGroupSpec.of("daily", List.of("loan_id"), "issue_date"), DAILY);
    List<Object[]> data = new ArrayList<>();
    for (int day = 1; day <= 10; day++) {
      data.add(r((long) day, Date.valueOf(String.format("2024-01-%02d", day)), 100.0 * day, day % 2));
    }
    loans.overwrite(rows(spark, DAILY, data.toArray(Object[][]::new)), "daily:1");
    return store.createFeatureView(
        new FeatureViewSpec("daily_view", 1, new FeatureViewSpec.GroupRef("daily", 1), List.of("amount"),
            List.of("defaulted"), List.of(), ""));
  }

  /** A view over events every six hours of Jan 1 and 2 2024 (UTC), with a TIMESTAMP event time. */
  private static FeatureView timedView(SparkSession spark, FeatureStore store) {
    FeatureGroup events = store.createFeatureGroup(FeatureGroupSpec.of("timed", List.of("event_id"), "ts"), TIMED);
    List<Object[]> data = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      data.add(r((long) i, Timestamp.from(at("2024-01-01T00:00:00Z").plusSeconds(6 * 3600L * i)), (double) i));
    }
    events.overwrite(rows(spark, TIMED, data.toArray(Object[][]::new)), "timed:1");
    return store.createFeatureView(
        new FeatureViewSpec("timed_view", 1, new FeatureViewSpec.GroupRef("timed", 1), List.of("x"), List.of(), List.of(), ""));
  }

  private static List<Integer> days(Dataset<Row> rows) {
    List<Integer> out = new ArrayList<>();
    for (Row r : rows.selectExpr("day(issue_date)").orderBy("day(issue_date)").collectAsList()) {
      out.add(r.getInt(0));
    }
    return out;
  }

  private static List<Long> ids(Dataset<Row> rows) {
    return rows.select("event_id").orderBy("event_id").collectAsList().stream().map(r -> r.getLong(0)).toList();
  }

  @Test
  void aDateEventTimeIsComparedAsItsMidnightUtcInEverySessionTimeZone(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    FeatureView view = dailyView(spark, store);
    for (String z : ZONES) {
      inZone(spark, z, () -> {
        assertEquals(List.of(5), days(view.batchData(at("2024-01-05T00:00:00Z"), at("2024-01-06T00:00:00Z")).data()), z);
        // a boundary inside a day: Jan 3's midnight is before the start, Jan 6's is after the end
        assertEquals(List.of(4, 5), days(view.batchData(at("2024-01-03T12:00:00Z"), at("2024-01-05T12:00:00Z")).data()), z);
        // the latest row per loan at or before Jan 5 02:00 UTC: loans of Jan 1 to 5, standing at Jan 5 (UTC)
        Dataset<Row> latest = view.latestFeatures(at("2024-01-05T02:00:00Z")).data();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L),
            latest.select("loan_id").orderBy("loan_id").collectAsList().stream().map(r -> r.getLong(0)).toList(), z);
        assertEquals(List.of(Date.valueOf("2024-01-05")),
            latest.select("issue_date").distinct().collectAsList().stream().map(r -> r.getDate(0)).toList(), z);
      });
    }

    // a time split made in Berlin: train before Jan 4 (Jan 4 is the gap), validation Jan 5-6, test from Jan 8
    TrainingDataset td = inZone(spark, "Europe/Berlin", () -> view.createTrainingDataset(new TrainingDatasetOptions(null,
        SplitSpec.byTime(at("2024-01-05T00:00:00Z"), at("2024-01-08T00:00:00Z"), Duration.ofDays(1)), 1L)));
    assertEquals(List.of(1, 2, 3), days(td.train()));
    assertEquals(List.of(5, 6), days(td.validation()));
    assertEquals(List.of(8, 9, 10), days(td.test()));
    // … is recreated with the same rows in any other zone
    for (String z : ZONES) {
      inZone(spark, z, () -> assertSameRows(td.read(), view.recreateTrainingDataset(td.manifest())));
    }
  }

  @Test
  void aTimestampEventTimeIsComparedAsAnInstantInEverySessionTimeZone(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    FeatureView view = timedView(spark, store);
    TrainingDataset td = inZone(spark, "Europe/Berlin", () -> view.createTrainingDataset(new TrainingDatasetOptions(null,
        SplitSpec.byTime(null, at("2024-01-02T00:00:00Z"), Duration.ofHours(6)), 1L)));
    assertEquals(List.of(0L, 1L, 2L), ids(td.train()), "before Jan 1 18:00 UTC");
    assertEquals(List.of(4L, 5L, 6L, 7L), ids(td.test()), "from Jan 2 00:00 UTC");
    for (String z : ZONES) {
      inZone(spark, z, () -> {
        assertEquals(List.of(1L, 2L), ids(view.batchData(at("2024-01-01T06:00:00Z"), at("2024-01-01T18:00:00Z")).data()), z);
        Dataset<Row> latest = view.latestFeatures(at("2024-01-01T12:00:00Z")).data();
        assertEquals(List.of(0L, 1L, 2L), ids(latest), z);
        assertEquals(at("2024-01-01T12:00:00Z"), latest.select("ts").first().getTimestamp(0).toInstant(), z);
        assertSameRows(td.read(), view.recreateTrainingDataset(td.manifest()));
      });
    }
  }
}
