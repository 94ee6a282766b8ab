package dev.lakeline.transformations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rolling aggregates against an independent formulation: a plain SQL self-join of each event with the events of
 * the same entity in (t - w, t], on random data with many ties and events exactly a window apart.
 */
@SparkTest
class RollingAggregatesOracleTest {
  private static final List<String> WINDOWS = List.of("30m", "1h", "4h", "1d", "7d");
  private static final Map<String, String> INTERVALS =
      Map.of("30m", "30 minutes", "1h", "1 hour", "4h", "4 hours", "1d", "1 day", "7d", "7 days");

  @Test
  void matchesASelfJoinOnRandomData(SparkSession spark) {
    Random random = new Random(20240101);
    long start = Timestamp.valueOf("2024-01-01 00:00:00").getTime() / 1000;
    List<Row> rows = new ArrayList<>();
    for (int id = 0; id < 2000; id++) {
      // Half on a 30-minute grid (ties, events exactly 30m, 1h, 4h, 1d and 7d apart), half at random seconds.
      long seconds = random.nextBoolean() ? 1800L * random.nextInt(10 * 48) : random.nextInt(10 * 86_400);
      // Whole numbers, so sums are exact whatever the order of addition; 10% nulls.
      Double value = random.nextInt(10) == 0 ? null : (double) (random.nextInt(2001) - 500);
      rows.add(RowFactory.create(id, "c" + random.nextInt(15), new Timestamp((start + seconds) * 1000), value));
    }
    Dataset<Row> events = spark.createDataFrame(rows, TestData.schema("id int", "card string", "t timestamp", "v double"));
    events.createOrReplaceTempView("oracle_events");

    Dataset<Row> actual = new RollingAggregates(
        List.of("card"), "t", "v", WINDOWS, List.of(Aggregate.values()), "v").apply(events);
    Map<Integer, Row> byId = new HashMap<>();
    for (Row r : actual.collectAsList()) {
      byId.put(r.getInt(0), r);
    }
    assertEquals(2000, byId.size());

    // One self-join on the longest window; each window's aggregates take only the rows inside it.
    StringBuilder select = new StringBuilder("SELECT a.id");
    for (String w : WINDOWS) {
      String inside = "CASE WHEN b.t > a.t - INTERVAL " + INTERVALS.get(w) + " THEN ";
      select.append(", COUNT(").append(inside).append("b.v END)")
          .append(", COUNT(").append(inside).append("1 END)")
          .append(", SUM(").append(inside).append("b.v END)")
          .append(", AVG(").append(inside).append("b.v END)")
          .append(", MIN(").append(inside).append("b.v END)")
          .append(", MAX(").append(inside).append("b.v END)")
          .append(", STDDEV_SAMP(").append(inside).append("b.v END)");
    }
    String sql = select + " FROM oracle_events a JOIN oracle_events b ON a.card = b.card "
        + "AND b.t > a.t - INTERVAL 7 days AND b.t <= a.t GROUP BY a.id";
    int compared = 0;
    for (Row e : spark.sql(sql).collectAsList()) {
      Row a = byId.get(e.getInt(0));
      for (int i = 0; i < WINDOWS.size(); i++) {
        String w = WINDOWS.get(i);
        int at = 1 + 7 * i;
        String what = "id " + e.getInt(0) + ", window " + w + ": ";
        assertEquals(e.get(at), a.getAs("v_count_" + w), what + "count");
        assertEquals(e.get(at + 1), a.getAs("v_events_" + w), what + "events");
        assertEquals(e.get(at + 2), a.getAs("v_sum_" + w), what + "sum");
        assertEquals(e.get(at + 4), a.getAs("v_min_" + w), what + "min");
        assertEquals(e.get(at + 5), a.getAs("v_max_" + w), what + "max");
        TestData.assertClose((Double) e.get(at + 3), a.getAs("v_mean_" + w), what + "mean");
        TestData.assertClose((Double) e.get(at + 6), a.getAs("v_stddev_" + w), what + "stddev");
        compared++;
      }
    }
    assertEquals(2000 * WINDOWS.size(), compared);
    // The data does exercise the boundaries: some windows hold several events, some stddevs are null.
    assertTrue(byId.values().stream().anyMatch(r -> (Long) r.getAs("v_events_30m") > 1L));
    assertTrue(byId.values().stream().anyMatch(r -> r.getAs("v_stddev_1h") == null));
  }

  /** The fast pass against Spark's own window frames, for every numeric value type, with NaN, ±0.0 and nulls. */
  @ParameterizedTest
  @ValueSource(strings = {"tinyint", "smallint", "int", "bigint", "float", "double", "decimal(12,3)", "decimal(38,2)"})
  void matchesSparksWindowFramesForEveryValueType(String type, SparkSession spark) {
    Random random = new Random(type.hashCode());
    long start = Timestamp.valueOf("2024-01-01 00:00:00").getTime() / 1000;
    List<Row> rows = new ArrayList<>();
    for (int id = 0; id < 600; id++) {
      long seconds = 1800L * random.nextInt(10 * 48);
      int pick = random.nextInt(12);
      String v = switch (pick) {
        case 0 -> null;
        case 1 -> type.equals("float") || type.equals("double") ? "NaN" : "0";
        case 2 -> type.equals("float") || type.equals("double") ? "-0.0" : "-1";
        default -> String.valueOf(random.nextInt(200) - 100) + (type.startsWith("decimal") ? ".125" : "");
      };
      String card = random.nextInt(20) == 0 ? null : "c" + random.nextInt(6);
      Timestamp t = random.nextInt(30) == 0 ? null : new Timestamp((start + seconds) * 1000);
      rows.add(RowFactory.create(id, card, t, v));
    }
    Dataset<Row> events = spark.createDataFrame(rows, TestData.schema("id int", "card string", "t timestamp", "v string"))
        .withColumn("v", org.apache.spark.sql.functions.col("v").cast(type));
    RollingAggregates step = new RollingAggregates(List.of("card"), "t", "v", WINDOWS, List.of(Aggregate.values()), "v");
    Dataset<Row> fast = step.apply(events);
    assertEquals(events.schema().length() + WINDOWS.size() * Aggregate.values().length, fast.schema().length());
    assertEquals(step.withWindowFrames(events).schema(), fast.schema());
    List<Row> actual = fast.orderBy("id").collectAsList();
    assertEquals(600, actual.size());
    TestData.assertSameRows(step.withWindowFrames(events).orderBy("id").collectAsList(), actual, fast.columns());
  }
}
