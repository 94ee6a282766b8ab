package dev.lakeline.transformations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.internal.HashRuns;
import dev.lakeline.testkit.SparkTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.memory.TaskMemoryManager;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.Test;

/**
 * {@link HashRuns} (the grouping the rolling pass uses in place of Spark's sort): every row comes out once, intact,
 * and rows of one hash are adjacent, in memory and when it falls back to Spark's external sorter (spilling or not).
 */
@SparkTest
class HashRunsTest {
  /**
   * 40,000 rows on two partitions. Most hashes are 1 to 3,000 (top 10 bits zero), so one bucket holds far more than
   * 1,024 rows and its packed sort drops the hashes' low bits: hashes differing only there must still come out apart.
   * Payloads of varying length check that every row's bytes arrive whole.
   */
  private static Dataset<Row> rows(SparkSession spark) {
    return spark.sql("SELECT id,"
        + " CASE WHEN id % 5 = 0 THEN xxhash64(id % 997)"
        + "      ELSE 1 + id % 3000 END AS h,"
        + " REPEAT(CONCAT('p', id), CAST(id % 7 AS INT)) AS payload"
        + " FROM range(40000)").repartition(2);
  }

  /** Per partition, the (id, hash, payload, spilled) of its rows in the order HashRuns gives them. */
  private static List<Object[]> grouped(Dataset<Row> in, HashRuns.Limits limits) {
    FlatMapFunction<java.util.Iterator<InternalRow>, Object[]> group = it -> {
      HashRuns runs = new HashRuns(it, 3, 1, limits);
      List<Object[]> out = new ArrayList<>();
      TaskMemoryManager memory = TaskContext.get().taskMemoryManager();
      long before = memory.getMemoryConsumptionForThisTask();
      while (runs.hasNext()) {
        if (out.isEmpty() && !runs.spilled() && memory.getMemoryConsumptionForThisTask() <= before) {
          throw new AssertionError("the buffered rows hold no execution memory");
        }
        InternalRow r = runs.next();
        out.add(new Object[] {TaskContext.getPartitionId(), r.getLong(0), r.getLong(1), r.getUTF8String(2).toString(),
            runs.spilled()});
      }
      if (runs.hasNext()) {
        throw new AssertionError("asked again after the last row, it must say there are no more");
      }
      if (!runs.spilled() && memory.getMemoryConsumptionForThisTask() != before) {
        throw new AssertionError("execution memory not given back: " + memory.getMemoryConsumptionForThisTask());
      }
      return out.iterator();
    };
    return in.queryExecution().toRdd().toJavaRDD().mapPartitions(group).collect();
  }

  private static void check(List<Object[]> out, boolean spilled) {
    assertEquals(40000, out.size());
    Set<Long> ids = new HashSet<>();
    Map<Integer, Long> last = new HashMap<>();
    Set<String> closed = new HashSet<>(); // (partition, hash) runs already left behind
    for (Object[] r : out) {
      long id = (Long) r[1];
      assertTrue(ids.add(id), "row " + id + " came out twice");
      assertEquals(("p" + id).repeat((int) (id % 7)), r[3], "row " + id + "'s payload");
      if (id % 5 != 0) {
        assertEquals(1 + id % 3000, (Long) r[2], "row " + id + "'s hash");
      }
      assertEquals(spilled, r[4], "spilled");
      int partition = (Integer) r[0];
      long hash = (Long) r[2];
      Long previous = last.put(partition, hash);
      if (previous != null && previous != hash) {
        assertTrue(closed.add(partition + "/" + previous), "hash " + previous + " left once");
        assertTrue(!closed.contains(partition + "/" + hash), "hash " + hash + " comes back after other rows");
      }
    }
  }

  @Test
  void inMemoryRowsOfOneHashAreAdjacentAndEveryRowComesOutWhole(SparkSession spark) {
    check(grouped(rows(spark), HashRuns.Limits.DEFAULT), false);
  }

  @Test
  void fallingBackToSparksSorterKeepsTheSamePromise(SparkSession spark) {
    check(grouped(rows(spark), new HashRuns.Limits(256 * 1024, Integer.MAX_VALUE)), true);
  }

  @Test
  void fallingBackToSparksSorterThatSpillsToDiskKeepsTheSamePromise(SparkSession spark) {
    check(grouped(rows(spark), new HashRuns.Limits(64 * 1024, 1000)), true);
  }
}
