package dev.lakeline.transformations;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The daily snapshots against an independent formulation: a plain SQL join of each (entity, day) with the events of
 * the entity in [D+1 - w, D+1), on random data with ties, events exactly at midnight and at a window's start, and
 * events one microsecond before midnight; for the days with events and for a dense range of days.
 */
@SparkTest
class DailySnapshotsOracleTest {
  private static final List<String> WINDOWS = List.of("4h", "1d", "3d");
  private static final List<Long> HOURS = List.of(4L, 24L, 72L);

  @Test
  void matchesAJoinOfEachDayWithItsEvents(SparkSession spark) {
    // 1,200 events over 12 days on a 30-minute grid (midnights, 20:00 and so window starts included), half of them
    // moved by a random number of seconds, a fifth by 30 minutes less one microsecond; 10% null values.
    Dataset<Row> events = spark.sql("SELECT id, CONCAT('c', CAST(FLOOR(RAND(3) * 8) AS INT)) AS k,"
        + " TIMESTAMP_MICROS(1704067200000000 + (CAST(FLOOR(RAND(5) * 12 * 48) AS BIGINT) * 1800"
        + " + IF(RAND(13) < 0.5, CAST(FLOOR(RAND(17) * 1800) AS BIGINT), 0)) * 1000000"
        + " + IF(RAND(9) < 0.2, 1799999999, 0)) AS t,"
        + " IF(RAND(7) < 0.1, NULL, CAST(FLOOR(RAND(11) * 1000) - 300 AS DOUBLE)) AS v FROM range(1200)").localCheckpoint();
    events.createOrReplaceTempView("daily_oracle_events");
    DailySnapshots step = new DailySnapshots(List.of("k"), "t", "v", WINDOWS, List.of(Aggregate.values()), "v", "day",
        List.of(), null, null);
    String eventDays = "SELECT DISTINCT k, DATE(t) AS day FROM daily_oracle_events";
    // the dense range starts two days before the first event and ends three days after the last
    String rangeDays = "SELECT k, day FROM (SELECT DISTINCT k FROM daily_oracle_events)"
        + " LATERAL VIEW EXPLODE(SEQUENCE(DATE'2023-12-30', DATE'2024-01-15')) AS day";
    int[] compared = {0};
    for (String[] c : new String[][] {{eventDays, null}, {rangeDays, "range"}}) {
      DailySnapshots s = c[1] == null ? step : step.withDateRange(LocalDate.parse("2023-12-30"), LocalDate.parse("2024-01-15"));
      List<Row> actual = s.apply(events).orderBy("k", "day").collectAsList();
      List<Row> expected = spark.sql(oracle(c[0])).orderBy("k", "day").collectAsList();
      TestData.assertSameRows(expected, actual, s.outputSchema(events.schema()).fieldNames());
      compared[0] += actual.size();
      // the data does exercise the edges: empty windows in the dense range, some stddevs null
      assertTrue(actual.stream().anyMatch(r -> r.getLong(r.fieldIndex("v_events_4h")) == 0L));
    }
    assertTrue(compared[0] > 8 * 17, "rows compared: " + compared[0]);
  }

  /** Each (k, day) of {@code days} with its aggregates, window by window, from a join with the events before D+1. */
  private static String oracle(String days) {
    StringBuilder select = new StringBuilder("SELECT d.k, d.day");
    for (int i = 0; i < WINDOWS.size(); i++) {
      String inside = "CASE WHEN e.t >= TIMESTAMP(DATE_ADD(d.day, 1)) - INTERVAL " + HOURS.get(i) + " HOURS THEN ";
      select.append(", COUNT(").append(inside).append("e.v END)")
          .append(", SUM(").append(inside).append("e.v END)")
          .append(", AVG(").append(inside).append("e.v END)")
          .append(", MIN(").append(inside).append("e.v END)")
          .append(", MAX(").append(inside).append("e.v END)")
          .append(", STDDEV_SAMP(").append(inside).append("e.v END)")
          .append(", COUNT(").append(inside).append("e.id END)");
    }
    return select + " FROM (" + days + ") d LEFT JOIN daily_oracle_events e ON e.k = d.k"
        + " AND e.t < TIMESTAMP(DATE_ADD(d.day, 1)) AND e.t >= TIMESTAMP(DATE_ADD(d.day, 1)) - INTERVAL 72 HOURS"
        + " GROUP BY d.k, d.day";
  }
}
