package dev.lakeline.transformations;

import static dev.lakeline.transformations.TestData.frame;
import static dev.lakeline.transformations.TestData.row;
import static dev.lakeline.transformations.TestData.schema;
import static dev.lakeline.transformations.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakeline.testkit.SparkTest;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class DedupTest {
  private static Dataset<Row> updates(SparkSession spark) {
    return frame(spark, schema("k string", "t timestamp", "status string", "score double"),
        row("a", ts("2024-01-01T00:00:00Z"), "old", 1.0),
        row("a", ts("2024-01-02T00:00:00Z"), "new", 2.0),
        // b: two rows at the latest time; the tie goes to the greatest on (status, score): "open" > "closed".
        row("b", ts("2024-01-05T00:00:00Z"), "closed", 9.0),
        row("b", ts("2024-01-05T00:00:00Z"), "open", 1.0),
        row("b", ts("2024-01-05T00:00:00Z"), "open", null),
        row("b", ts("2024-01-04T00:00:00Z"), "zzz", 100.0),
        // c: a null time is older than any time.
        row("c", null, "no time", 5.0),
        row("c", ts("2020-01-01T00:00:00Z"), "dated", 0.0),
        // d: only null times: one of them is kept, by the same rule.
        row("d", null, "x", 1.0),
        row("d", null, "y", 1.0),
        // null keys group together, as in GROUP BY.
        row(null, ts("2024-01-01T00:00:00Z"), "n1", 1.0),
        row(null, ts("2024-01-03T00:00:00Z"), "n2", 1.0));
  }

  private static final List<List<Object>> EXPECTED = List.of(
      Arrays.asList("a", "new", 2.0),
      Arrays.asList("b", "open", 1.0),
      Arrays.asList("c", "dated", 0.0),
      Arrays.asList("d", "y", 1.0),
      Arrays.asList("null", "n2", 1.0));

  @Test
  void keepsTheLatestRowPerKeyWithDeterministicTies(SparkSession spark) {
    Step dedup = Dedup.latest("t", "k");
    List<List<Object>> out = TestData.values(dedup.apply(updates(spark)).na().fill("null", new String[] {"k"}), "k",
        "status", "score");
    assertEquals(EXPECTED, out);
  }

  @Test
  void theSameRowsWhateverTheInputOrderAndPartitioning(SparkSession spark) {
    Step dedup = Dedup.latest("t", "k");
    for (int partitions : new int[] {1, 3, 7}) {
      Dataset<Row> shuffled = updates(spark).orderBy(org.apache.spark.sql.functions.rand(partitions)).repartition(partitions);
      List<List<Object>> out = TestData.values(dedup.apply(shuffled).na().fill("null", new String[] {"k"}), "k",
          "status", "score");
      assertEquals(EXPECTED, out, "partitions: " + partitions);
    }
  }
}
