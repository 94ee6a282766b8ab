package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random data ({@link RandomPitData}) from fixed seeds: ties, nulls, an empty group, spine rows before the first
 * feature row, TTL boundaries, duplicate spine rows, four groups over two key sets, a hot key. Both strategies
 * (and SORT_MERGE with its hot-key split forced, and without its spine index) must agree row for row, and on tie-free data with DuckDB's
 * {@code ASOF LEFT JOIN} over the same rows written as Parquet.
 */
@SparkTest
class PitJoinPropertyTest {
  private static final String[] OUTPUT = {"rid", "p_amount", "p_channel", "tier", "s_open_hours", "e_open_hours"};

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void strategiesAgreeRowForRowWithTies(long seed, SparkSession spark) {
    RandomPitData data = new RandomPitData(seed, false);
    Dataset<Row> spine = data.spine(spark);
    Map<String, Dataset<Row>> sources = data.sources(spark);

    List<String> rank = render(Engine.RANK_WINDOW.join(spine, data.spec(), sources));
    List<String> merge = render(Engine.SORT_MERGE.join(spine, data.spec(), sources));
    List<String> shuffle = render(Engine.SORT_MERGE_SHUFFLE.join(spine, data.spec(), sources));
    List<String> split = render(Engine.SORT_MERGE_SPLIT.join(spine, data.spec(), sources));
    List<String> unindexed = render(Engine.SORT_MERGE_UNINDEXED.join(spine, data.spec(), sources));

    assertEquals(data.spine.size(), rank.size(), "one row per spine row");
    assertSameLines("RANK_WINDOW", rank, "SORT_MERGE", merge);
    assertSameLines("RANK_WINDOW", rank, "SORT_MERGE through the shuffle", shuffle);
    assertSameLines("RANK_WINDOW", rank, "SORT_MERGE with hot-key ranges", split);
    assertSameLines("RANK_WINDOW", rank, "SORT_MERGE without the spine index", unindexed);
    assertExercisesBothOutcomes(rank);
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void bothStrategiesAgreeWithDuckDbAsofJoinOnTieFreeData(long seed, SparkSession spark, @TempDir Path dir) throws Exception {
    RandomPitData data = new RandomPitData(seed, true);
    Dataset<Row> spine = data.spine(spark);
    Map<String, Dataset<Row>> sources = data.sources(spark);
    spine.withColumn("t", expr("unix_micros(ts)")).write().parquet(dir.resolve("spine").toString());
    writeMicros(sources.get("purchases"), "event_ts", dir.resolve("purchases"));
    writeMicros(sources.get("profile"), "updated", dir.resolve("profile"));
    writeMicros(sources.get("stores"), "as_of", dir.resolve("stores"));
    writeMicros(sources.get("empty"), "as_of", dir.resolve("empty"));

    List<String> duck = duckDb(dir, RandomPitData.PROFILE_TTL.toNanos() / 1000);
    assertEquals(data.spine.size(), duck.size());
    assertExercisesBothOutcomes(duck);
    for (Engine engine : Engine.values()) {
      assertSameLines("DuckDB ASOF LEFT JOIN", duck, engine.name(), render(engine.join(spine, data.spec(), sources)));
    }
  }

  private static void writeMicros(Dataset<Row> df, String time, Path to) {
    df.withColumn("t", expr("unix_micros(`" + time + "`)")).drop(time).write().parquet(to.toString());
  }

  private static List<String> duckDb(Path dir, long ttlMicros) throws Exception {
    String sql = String.format(
        "SELECT s.rid, p.amount AS p_amount, p.channel AS p_channel,"
            + " CASE WHEN s.t - f.t <= %d THEN f.tier END AS tier,"
            + " st.open_hours AS s_open_hours, e.open_hours AS e_open_hours"
            + " FROM read_parquet('%s/*.parquet') s"
            + " ASOF LEFT JOIN read_parquet('%s/*.parquet') p ON s.customer = p.customer_id AND s.t >= p.t"
            + " ASOF LEFT JOIN read_parquet('%s/*.parquet') f ON s.customer = f.customer_id AND s.t > f.t"
            + " ASOF LEFT JOIN read_parquet('%s/*.parquet') st ON s.store = st.store_id AND s.t >= st.t"
            + " ASOF LEFT JOIN read_parquet('%s/*.parquet') e ON s.store = e.store_id AND s.t >= e.t",
        ttlMicros, dir.resolve("spine"), dir.resolve("purchases"), dir.resolve("profile"), dir.resolve("stores"),
        dir.resolve("empty"));
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        StringBuilder line = new StringBuilder();
        for (int i = 1; i <= OUTPUT.length; i++) {
          line.append(i > 1 ? " | " : "").append(rs.getObject(i));
        }
        out.add(line.toString());
      }
    }
    Collections.sort(out);
    return out;
  }

  private static List<String> render(Dataset<Row> result) {
    List<String> out = new ArrayList<>();
    for (Row r : result.select(OUTPUT[0], java.util.Arrays.copyOfRange(OUTPUT, 1, OUTPUT.length)).collectAsList()) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        line.append(i > 0 ? " | " : "").append(r.get(i));
      }
      out.add(line.toString());
    }
    Collections.sort(out);
    return out;
  }

  /** Matches and misses of every kind, so that agreement means something. */
  private static void assertExercisesBothOutcomes(List<String> lines) {
    int purchases = 0;
    int tiers = 0;
    int stores = 0;
    for (String l : lines) {
      String[] f = l.split(" \\| ");
      purchases += f[1].equals("null") && f[2].equals("null") ? 0 : 1;
      tiers += f[3].equals("null") ? 0 : 1;
      stores += f[4].equals("null") ? 0 : 1;
      assertEquals("null", f[5], "the empty group never matches");
    }
    int n = lines.size();
    assertTrue(purchases > n / 3 && purchases < n, "purchases matched " + purchases + " of " + n);
    assertTrue(tiers > n / 10 && tiers < n, "tiers matched " + tiers + " of " + n);
    assertTrue(stores > n / 3 && stores < n, "stores matched " + stores + " of " + n);
  }

  private static void assertSameLines(String leftName, List<String> left, String rightName, List<String> right) {
    if (left.equals(right)) {
      return;
    }
    List<String> onlyLeft = new ArrayList<>(left);
    right.forEach(onlyLeft::remove);
    List<String> onlyRight = new ArrayList<>(right);
    left.forEach(onlyRight::remove);
    throw new AssertionError(String.format("%s and %s differ (%d vs %d rows).%nOnly in %s (first 20): %s%nOnly in %s (first 20): %s",
        leftName, rightName, left.size(), right.size(), leftName, onlyLeft.subList(0, Math.min(20, onlyLeft.size())),
        rightName, onlyRight.subList(0, Math.min(20, onlyRight.size()))));
  }
}
