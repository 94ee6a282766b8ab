package dev.lakeline.transformations;

import static dev.lakeline.transformations.TestData.frame;
import static dev.lakeline.transformations.TestData.row;
import static dev.lakeline.transformations.TestData.schema;
import static dev.lakeline.transformations.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakeline.testkit.SparkTest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class EventFeaturesTest {
  private static Dataset<Row> events(SparkSession spark) {
    return frame(spark, schema("id string", "card string", "t timestamp", "v int"),
        row("e1", "a", ts("2024-01-01T10:00:00Z"), 5),
        row("e2", "a", ts("2024-01-01T10:00:30.5Z"), 7),
        row("e3", "a", ts("2024-01-01T10:02:00Z"), 3),
        row("e4", "a", ts("2024-01-01T10:02:00Z"), 1),
        row("e5", "a", ts("2024-01-01T11:00:00Z"), null),
        row("e6", "a", ts("2024-01-01T11:00:01Z"), 9),
        row("b1", "b", ts("2024-01-01T09:00:00Z"), 4),
        row("n1", "a", null, 100),
        row("n2", null, ts("2024-01-01T10:01:00Z"), 200));
  }

  @Test
  void timeSincePreviousSkipsRowsAtTheSameTime(SparkSession spark) {
    Dataset<Row> out = EventFeatures.timeSincePrevious("card", "t", "gap").apply(events(spark));
    Map<String, Double> gap = TestData.byId(out, "id", "gap", o -> (Double) o);
    Map<String, Double> expected = new HashMap<>();
    expected.put("e1", null);
    expected.put("e2", 30.5);
    expected.put("e3", 89.5);
    expected.put("e4", 89.5);
    expected.put("e5", 3480.0);
    expected.put("e6", 1.0);
    expected.put("b1", null);
    expected.put("n1", null);
    expected.put("n2", null);
    assertEquals(expected, gap);
  }

  @Test
  void lagBreaksTiesByTheOtherColumnsSoRerunsAgree(SparkSession spark) {
    Step lag = new Lag(new EntityTime(List.of("card"), "t"), "v", List.of(1, 2), "v");
    Dataset<Row> out = lag.apply(events(spark));
    // e3 and e4 share a time: ordered by the other columns (id, then v): e3 before e4.
    List<List<Object>> expected = List.of(
        Arrays.asList("b1", null, null),
        Arrays.asList("e1", null, null),
        Arrays.asList("e2", 5, null),
        Arrays.asList("e3", 7, 5),
        Arrays.asList("e4", 3, 7),
        Arrays.asList("e5", 1, 3),
        Arrays.asList("e6", null, 1),
        Arrays.asList("n1", null, null),
        Arrays.asList("n2", null, null));
    assertEquals(expected, TestData.values(out, "id", "v_lag_1", "v_lag_2"));
    // The same answer from reversed, repartitioned input.
    Dataset<Row> shuffled = events(spark).orderBy(org.apache.spark.sql.functions.col("id").desc()).repartition(3);
    assertEquals(expected, TestData.values(lag.apply(shuffled), "id", "v_lag_1", "v_lag_2"));
  }

  @Test
  void eventCountIsCumulativeWithTiesOrTotal(SparkSession spark) {
    Map<String, Long> cumulative = TestData.byId(
        EventFeatures.eventCount("card", "t", true, "n").apply(events(spark)), "id", "n", o -> (Long) o);
    Map<String, Long> expected = new HashMap<>(Map.of("e1", 1L, "e2", 2L, "e3", 4L, "e4", 4L, "e5", 5L, "e6", 6L, "b1", 1L));
    expected.put("n1", null);
    expected.put("n2", null);
    assertEquals(expected, cumulative);
    Map<String, Long> total = TestData.byId(
        EventFeatures.eventCount("card", "t", false, "n").apply(events(spark)), "id", "n", o -> (Long) o);
    assertEquals(6L, total.get("e1"));
    assertEquals(1L, total.get("b1"));
    assertEquals(null, total.get("n1"));
  }
}
