package dev.lakeline.benchmarks;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.lakeline.core.spark.SparkSessions;
import dev.lakeline.pitjoin.FeatureJoin;
import dev.lakeline.pitjoin.PitJoinSpec;
import dev.lakeline.pitjoin.PitJoinStrategy;
import dev.lakeline.pitjoin.PointInTimeJoin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The point-in-time join three ways on the same generated Parquet files, in one JVM: Lakeline's SORT_MERGE and
 * RANK_WINDOW strategies, and DuckDB's {@code ASOF LEFT JOIN} (JDBC, in-process, reading the same files). Each run
 * is "time to a materialised result": the join plus one checksum aggregate (rows, matched rows, an exact integer
 * sum that depends on which row matched which, and a float sum), which is also how the results are checked equal.
 * One warm-up round on small data first, and per scenario at least {@code --warm-up} untimed SORT_MERGE and DuckDB
 * runs, more until the last three SORT_MERGE runs are within 20 % (the JIT compiler is still speeding up the short
 * runs after the first few); then the median of {@code --runs} runs.
 * RANK_WINDOW, whose runs are long enough to warm themselves, is cancelled after {@code --rank-timeout} seconds and
 * reported as not finished. Spark reads the files with their schema given (read once when they are written), as a
 * Delta table's reader gets it from the log, so that no run times Spark's Parquet schema inference (a job per read).
 */
public final class PitJoinBenchmark {
  /** A generated data set: spine rows and one or more feature groups on {@code keys} keys. */
  record Scenario(String name, long keys, long featureRows, long spineRows, int groups, double hotShare) {
    String describe() {
      return String.format(Locale.ROOT, "%s: %,d keys, %,d feature rows%s, %,d spine rows%s", name, keys, featureRows,
          groups > 1 ? " × " + groups + " groups" : "", spineRows,
          hotShare > 0 ? String.format(Locale.ROOT, ", key 0 holds %.0f%% of both", hotShare * 100) : "");
    }
  }

  static final List<Scenario> SCENARIOS = List.of(
      new Scenario("uniform", 1_000, 1_000_000, 100_000, 1, 0),
      new Scenario("hot-key", 1_000, 1_000_000, 100_000, 1, 0.2),
      new Scenario("large", 1_000, 10_000_000, 1_000_000, 1, 0),
      new Scenario("few-per-key", 100_000, 1_000_000, 100_000, 1, 0),
      new Scenario("five-groups", 1_000, 1_000_000, 100_000, 5, 0));

  private static final long BASE_MICROS = 1_704_067_200_000_000L; // 2024-01-01T00:00:00Z
  private static final long STEP_MICROS = 7_000_000L; // feature times: unique, 7 s apart, shuffled over keys

  private PitJoinBenchmark() {}

  /** {@code benchmarks/run pit}'s options. */
  @picocli.CommandLine.Command(name = "benchmarks/run pit", sortOptions = false,
      description = "SORT_MERGE vs RANK_WINDOW vs DuckDB's ASOF JOIN on generated data; prints a Markdown table.")
  static final class Options implements BenchmarkOptions.Checked {
    @picocli.CommandLine.Option(names = "--scenario", split = ",", paramLabel = "NAME",
        description = "Scenarios to run (default: all): uniform, hot-key, large, few-per-key, five-groups.")
    List<String> scenarios = new ArrayList<>();

    @picocli.CommandLine.Option(names = "--runs", paramLabel = "N", description = "Timed runs per path; the median is shown (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @picocli.CommandLine.Option(names = "--warm-up", paramLabel = "N", description = "Untimed runs per scenario first, at least (default: ${DEFAULT-VALUE}).")
    int warmUp = 5;

    @picocli.CommandLine.Option(names = "--rank-timeout", paramLabel = "SECONDS",
        description = "RANK_WINDOW is cancelled after this long and reported as not finished (default: ${DEFAULT-VALUE}).")
    long rankTimeout = 180;

    @Override
    public void check(picocli.CommandLine line) {
      List<String> known = SCENARIOS.stream().map(Scenario::name).toList();
      for (String name : scenarios) {
        if (!known.contains(name)) {
          throw new picocli.CommandLine.ParameterException(
              line, String.format("Unknown scenario '%s' in --scenario: choose from %s.", name, String.join(", ", known)));
        }
      }
      if (runs < 1 || warmUp < 0 || rankTimeout < 1) {
        throw new picocli.CommandLine.ParameterException(
            line, "--runs and --rank-timeout must be at least 1, --warm-up at least 0.");
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = BenchmarkOptions.parseOrExit(new Options(), args);
    List<String> names = options.scenarios;
    int runs = options.runs;
    int warmUpRuns = options.warmUp;
    long rankTimeout = options.rankTimeout;
    List<Scenario> chosen = new ArrayList<>();
    for (Scenario s : SCENARIOS) {
      if (names.isEmpty() || names.contains(s.name())) {
        chosen.add(s);
      }
    }
    Map<String, String> settings = new LinkedHashMap<>(SparkSessions.embeddedDefaults(8));
    settings.put("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    SparkSession spark = SparkSessions.build("local[2]", "lakeline-benchmark", settings);
    spark.sparkContext().setLogLevel("WARN");
    Path root = Files.createTempDirectory("lakeline-pit");
    System.out.printf("Lakeline point-in-time join benchmark · local[2] · %d cores · max heap %d MiB · ≥ %d warm-up runs, %d runs · %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, warmUpRuns, runs, root);
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = duck.createStatement()) {
        st.execute("SET threads = 2");
      }
      Scenario warmUp = new Scenario("warm-up", 100, 20_000, 5_000, 2, 0);
      Data w = generate(spark, root, warmUp);
      for (int i = 0; i < 2; i++) {
        time(spark, w, PitJoinStrategy.SORT_MERGE, 60);
        time(spark, w, PitJoinStrategy.RANK_WINDOW, 60);
        duckDb(duck, w);
      }
      List<String> table = new ArrayList<>();
      table.add("| scenario | SORT_MERGE | RANK_WINDOW | DuckDB ASOF | RANK_WINDOW / SORT_MERGE | SORT_MERGE / DuckDB | Spark floor | results agree |");
      table.add("|---|---:|---:|---:|---:|---:|---:|:---:|");
      for (Scenario s : chosen) {
        System.out.println(s.describe());
        Data d = generate(spark, root, s);
        table.add(run(spark, duck, d, warmUpRuns, runs, rankTimeout));
        System.out.println(table.get(table.size() - 1));
      }
      System.out.println();
      table.forEach(System.out::println);
    }
  }

  private static String run(SparkSession spark, Connection duck, Data d, int warmUp, int runs, long rankTimeout) throws Exception {
    List<Double> merge = new ArrayList<>();
    List<Double> rank = new ArrayList<>();
    List<Double> duckTimes = new ArrayList<>();
    List<Double> floor = new ArrayList<>();
    Checksum mergeSum = null;
    Checksum rankSum = null;
    Checksum duckSum = null;
    boolean rankFinished = true;
    // on this scenario's data: at least warmUp runs, then on until the last three SORT_MERGE runs are within 20 % of
    // each other (at most 4 × warmUp): a fresh JVM's first scenario was sometimes still 2× slow after five
    List<Double> warm = new ArrayList<>();
    while (warm.size() < warmUp || (warm.size() < 4 * warmUp && !settled(warm))) {
      warm.add(time(spark, d, PitJoinStrategy.SORT_MERGE, Long.MAX_VALUE).seconds());
      duckDb(duck, d);
      sparkFloor(spark, d);
    }
    if (!warm.isEmpty()) {
      System.out.printf(Locale.ROOT, "  %d untimed warm-up runs%s%n", warm.size(), settled(warm) ? "" : " (not settled)");
    }
    for (int r = 0; r < runs; r++) {
      Timed m = time(spark, d, PitJoinStrategy.SORT_MERGE, Long.MAX_VALUE);
      merge.add(m.seconds());
      mergeSum = m.checksum();
      long t0 = System.nanoTime();
      duckSum = duckDb(duck, d);
      duckTimes.add((System.nanoTime() - t0) / 1e9);
      floor.add(sparkFloor(spark, d));
      System.out.printf(Locale.ROOT, "  run %d: SORT_MERGE %.2f s, DuckDB %.2f s, Spark floor %.2f s%n", r + 1, merge.get(r),
          duckTimes.get(r), floor.get(r));
    }
    // RANK_WINDOW last, so that a cancelled run cannot slow the others; once it is slow (> 60 s), one run is enough
    for (int r = 0; r < runs && rankFinished && (rank.isEmpty() || rank.get(0) < 60); r++) {
      Timed k = time(spark, d, PitJoinStrategy.RANK_WINDOW, rankTimeout);
      if (k == null) {
        rankFinished = false;
        System.out.printf(Locale.ROOT, "  RANK_WINDOW: not finished after %d s%n", rankTimeout);
      } else {
        rank.add(k.seconds());
        rankSum = k.checksum();
        System.out.printf(Locale.ROOT, "  RANK_WINDOW run %d: %.2f s%n", r + 1, k.seconds());
      }
    }
    double m = median(merge);
    double k = rankFinished ? median(rank) : Double.NaN;
    double u = median(duckTimes);
    boolean agree = mergeSum.matches(duckSum) && (!rankFinished || mergeSum.matches(rankSum));
    if (!agree) {
      System.out.println("  checksums: SORT_MERGE " + mergeSum + ", DuckDB " + duckSum + ", RANK_WINDOW " + rankSum);
    }
    return String.format(Locale.ROOT, "| %s | %.2f s | %s | %.2f s | %s | %.1f× | %.2f s | %s |", d.scenario().name(), m,
        rankFinished ? String.format(Locale.ROOT, "%.2f s", k) : String.format(Locale.ROOT, "> %d s (not finished)", rankTimeout),
        u, rankFinished ? String.format(Locale.ROOT, "%.1f×", k / m) : String.format(Locale.ROOT, "> %.0f×", rankTimeout / m),
        m / u, median(floor), agree ? (rankFinished ? "yes" : "yes (SORT_MERGE = DuckDB)") : "NO: " + mergeSum + " / " + duckSum + " / " + rankSum);
  }

  /** Whether the last three times are within 20 % of each other. */
  private static boolean settled(List<Double> times) {
    if (times.size() < 3) {
      return false;
    }
    List<Double> last = times.subList(times.size() - 3, times.size());
    return Collections.max(last) <= 1.2 * Collections.min(last);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  /** Where a scenario's Parquet files are, and their schemas. */
  record Data(Scenario scenario, String spine, StructType spineSchema, List<String> groups, StructType groupSchema) {}

  private static Data generate(SparkSession spark, Path root, Scenario s) {
    Path dir = root.resolve(s.name());
    String spinePath = dir.resolve("spine").toString();
    rows(spark, s.spineRows(), s, "spine")
        .select(col("id").as("sid"), col("key").as("customer"),
            expr("timestamp_micros(" + BASE_MICROS + " + pmod(xxhash64(id, 'st'), " + s.featureRows() * STEP_MICROS + "))").as("ts"),
            expr("CAST(pmod(xxhash64(id, 'label'), 2) AS INT)").as("label"))
        .write().mode("overwrite").parquet(spinePath);
    List<String> groups = new ArrayList<>();
    for (int g = 0; g < s.groups(); g++) {
      String path = dir.resolve("group" + g).toString();
      rows(spark, s.featureRows(), s, "g" + g)
          .select(col("key").as("customer_id"),
              expr("timestamp_micros(" + BASE_MICROS + " + id * " + STEP_MICROS + ")").as("event_ts"),
              expr("CAST(pmod(xxhash64(id, 'f1" + g + "'), 1000000) AS DOUBLE) / 1000").as("f1"),
              expr("CAST(pmod(xxhash64(id, 'f2" + g + "'), 1000) AS INT)").as("f2"))
          .write().mode("overwrite").parquet(path);
      groups.add(path);
    }
    return new Data(s, spinePath, spark.read().parquet(spinePath).schema(), groups,
        spark.read().parquet(groups.get(0)).schema());
  }

  /** {@code n} rows with an id and a key: uniform over the keys, or key 0 for a share of them. */
  private static Dataset<Row> rows(SparkSession spark, long n, Scenario s, String salt) {
    Column uniform = expr("pmod(xxhash64(id, '" + salt + "k'), " + s.keys() + ")");
    Column key = s.hotShare() > 0
        ? expr("CASE WHEN pmod(xxhash64(id, '" + salt + "h'), 1000) < " + (long) (s.hotShare() * 1000) + " THEN 0 ELSE 1 + pmod(xxhash64(id, '" + salt + "k'), " + (s.keys() - 1) + ") END")
        : uniform;
    return spark.range(0, n, 1, 8).withColumn("key", key);
  }

  private static PitJoinSpec spec(Data d, PitJoinStrategy strategy) {
    List<FeatureJoin> joins = new ArrayList<>();
    for (int g = 0; g < d.groups().size(); g++) {
      joins.add(new FeatureJoin("group" + g, List.of("customer"), List.of("customer_id"), "event_ts", List.of("f1", "f2"),
          d.groups().size() > 1 ? "g" + g + "_" : "", false));
    }
    return new PitJoinSpec("ts", joins).withStrategy(strategy);
  }

  /** One run of a strategy to its checksum; null when it did not finish within {@code timeoutSeconds}. */
  private static Timed time(SparkSession spark, Data d, PitJoinStrategy strategy, long timeoutSeconds) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    String group = "pit-" + strategy + "-" + System.nanoTime();
    try {
      long t0 = System.nanoTime();
      Future<Checksum> f = pool.submit(() -> {
        spark.sparkContext().setJobGroup(group, strategy.toString(), true);
        Map<String, Dataset<Row>> sources = new LinkedHashMap<>();
        for (int g = 0; g < d.groups().size(); g++) {
          sources.put("group" + g, spark.read().schema(d.groupSchema()).parquet(d.groups().get(g)));
        }
        Dataset<Row> out = PointInTimeJoin.join(spark.read().schema(d.spineSchema()).parquet(d.spine()), spec(d, strategy), sources);
        return sparkChecksum(out, d.groups().size());
      });
      try {
        Checksum c = f.get(timeoutSeconds, TimeUnit.SECONDS);
        return new Timed((System.nanoTime() - t0) / 1e9, c);
      } catch (TimeoutException e) {
        spark.sparkContext().cancelJobGroup(group);
        f.cancel(true);
        // cancelled tasks stop only when they next check for it: wait until the cores are free again
        while (spark.sparkContext().statusTracker().getActiveJobIds().length > 0
            || Arrays.stream(spark.sparkContext().statusTracker().getExecutorInfos()).anyMatch(e2 -> e2.numRunningTasks() > 0)) {
          Thread.sleep(500);
        }
        return null;
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(60, TimeUnit.SECONDS);
    }
  }

  record Timed(double seconds, Checksum checksum) {}

  /**
   * What Spark alone takes to touch this data the way any shuffle-based join must, as a reference for SORT_MERGE's
   * time: one job over the spine (count), then every feature row (key and one feature) shuffled by key into the
   * session's partitions and summed. No join at all.
   */
  private static double sparkFloor(SparkSession spark, Data d) {
    long t0 = System.nanoTime();
    spark.read().schema(d.spineSchema()).parquet(d.spine()).agg(count(lit(1))).head();
    Dataset<Row> rows = null;
    for (String g : d.groups()) {
      Dataset<Row> r = spark.read().schema(d.groupSchema()).parquet(g).select(col("customer_id"), col("f2"));
      rows = rows == null ? r : rows.union(r);
    }
    rows.repartition(col("customer_id")).agg(sum("f2")).head();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Rows, matched rows, Σ f2, Σ sid × f2 (exact: it changes if a spine row gets another row's values), Σ f1. */
  record Checksum(long rows, long matched, long f2, long weighted, double f1) {
    boolean matches(Checksum o) {
      return o != null && rows == o.rows && matched == o.matched && f2 == o.f2 && weighted == o.weighted
          && Math.abs(f1 - o.f1) <= 1e-9 * Math.max(1, Math.abs(f1));
    }
  }

  private static Checksum sparkChecksum(Dataset<Row> out, int groups) {
    Column matched = lit(0L);
    Column f2 = lit(0L);
    Column weighted = lit(0L);
    Column f1 = lit(0.0);
    for (int g = 0; g < groups; g++) {
      String p = groups > 1 ? "g" + g + "_" : "";
      matched = matched.plus(expr("CAST(`" + p + "f2` IS NOT NULL AS BIGINT)"));
      f2 = f2.plus(coalesce(col(p + "f2").cast("bigint"), lit(0L)));
      weighted = weighted.plus(col("sid").multiply(coalesce(col(p + "f2").cast("bigint"), lit(0L))));
      f1 = f1.plus(coalesce(col(p + "f1"), lit(0.0)));
    }
    Row r = out.agg(count(lit(1)), sum(matched), sum(f2), sum(weighted), sum(f1)).head();
    return new Checksum(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getDouble(4));
  }

  private static Checksum duckDb(Connection duck, Data d) throws Exception {
    StringBuilder from = new StringBuilder("read_parquet('" + d.spine() + "/*.parquet') s");
    StringBuilder matched = new StringBuilder("0");
    StringBuilder f2 = new StringBuilder("0");
    StringBuilder weighted = new StringBuilder("0");
    StringBuilder f1 = new StringBuilder("0");
    for (int g = 0; g < d.groups().size(); g++) {
      String a = "g" + g;
      from.append(" ASOF LEFT JOIN read_parquet('").append(d.groups().get(g)).append("/*.parquet') ").append(a)
          .append(" ON s.customer = ").append(a).append(".customer_id AND s.ts >= ").append(a).append(".event_ts");
      matched.append(" + CAST(").append(a).append(".f2 IS NOT NULL AS BIGINT)");
      f2.append(" + coalesce(").append(a).append(".f2, 0)");
      weighted.append(" + s.sid * coalesce(").append(a).append(".f2, 0)");
      f1.append(" + coalesce(").append(a).append(".f1, 0)");
    }
    String sql = "SELECT count(*), sum(" + matched + ")::BIGINT, sum(" + f2 + ")::BIGINT, sum(" + weighted
        + ")::BIGINT, sum(" + f1 + ")::DOUBLE FROM " + from;
    try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return new Checksum(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5));
    }
  }
}
