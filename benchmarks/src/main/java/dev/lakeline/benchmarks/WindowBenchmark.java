package dev.lakeline.benchmarks;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lakeline.core.spark.SparkSessions;
import dev.lakeline.transformations.Aggregate;
import dev.lakeline.transformations.RollingAggregates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rolling window aggregations per entity (count, sum, mean, min, max and stddev of the amount over the trailing
 * 1h, 4h, 1d and 7d, as of every transaction) with the transformation library's {@code rolling_aggregates},
 * against the naive formulation: join every transaction to the same card's transactions of the last 7 days,
 * then aggregate per transaction and window. Same generated data, same JVM; both results are computed in full
 * (Spark's {@code noop} sink) and compared (every aggregate's total and count, to a relative 1e-9: the two add
 * floating-point numbers in different orders). Prints a Markdown table.
 */
public final class WindowBenchmark {
  private static final String[] WINDOWS = {"1h", "4h", "1d", "7d"};
  private static final long[] SECONDS = {3_600, 4 * 3_600, 86_400, 7 * 86_400};

  private WindowBenchmark() {}

  public static void main(String[] args) throws Exception {
    List<Long> sizes = new ArrayList<>(List.of(10_000_000L));
    boolean selfJoin = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> {
          sizes.clear();
          for (String s : args[++i].split(",")) {
            sizes.add(Long.parseLong(s.replace("_", "")));
          }
        }
        case "--no-self-join" -> selfJoin = false;
        default -> throw new IllegalArgumentException("usage: benchmarks/run windows [--rows N[,N...]] [--no-self-join]");
      }
    }
    Map<String, String> settings = new java.util.LinkedHashMap<>(SparkSessions.embeddedDefaults(4));
    settings.put("spark.sql.shuffle.partitions", "8");
    SparkSession spark = SparkSessions.build("local[2]", "lakeline-benchmark", settings);
    spark.sparkContext().setLogLevel("WARN");
    Path root = Files.createTempDirectory("lakeline-windows");
    System.out.printf("Lakeline rolling-window benchmark · local[2] · %d cores · max heap %d MiB · %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, root);
    System.out.println("windows 1h, 4h, 1d, 7d × count, sum, mean, min, max, stddev (24 features per transaction)");
    System.out.println();
    run(spark, root, 20_000L, true); // warm-up, not printed
    System.out.println("| transactions | cards | rolling_aggregates | rows/s | naive self-join | rows/s | speed-up | results agree |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|:---:|");
    for (long n : sizes) {
      System.out.println(run(spark, root, n, selfJoin));
    }
  }

  private static String run(SparkSession spark, Path root, long n, boolean selfJoin) {
    long cards = Math.max(1, n / 100);
    String source = root.resolve("tx-" + n).toString();
    generate(spark, n, cards).write().mode("overwrite").parquet(source);
    Dataset<Row> tx = spark.read().parquet(source);

    RollingAggregates rolling = RollingAggregates.of("card_id", "ts", "amount", WINDOWS);
    long t0 = System.nanoTime();
    Dataset<Row> fast = rolling.apply(tx);
    fast.write().format("noop").mode("overwrite").save();
    double fastSeconds = (System.nanoTime() - t0) / 1e9;
    double[] fastCheck = checksum(fast, rolling);
    if (!selfJoin) {
      return String.format(Locale.ROOT, "| %,d | %,d | %.1f s | %,.0f | – | – | – | – |", n, cards, fastSeconds, n / fastSeconds);
    }
    long t1 = System.nanoTime();
    Dataset<Row> naive = selfJoin(tx, rolling);
    naive.write().format("noop").mode("overwrite").save();
    double naiveSeconds = (System.nanoTime() - t1) / 1e9;
    boolean agree = agree(fastCheck, checksum(naive, rolling));
    return String.format(Locale.ROOT, "| %,d | %,d | %.1f s | %,.0f | %.1f s | %,.0f | %.1f× | %s |",
        n, cards, fastSeconds, n / fastSeconds, naiveSeconds, n / naiveSeconds, naiveSeconds / fastSeconds, agree ? "yes" : "NO");
  }

  /** Transactions of {@code cards} cards over 30 days; amounts with two decimals, some repeated timestamps. */
  static Dataset<Row> generate(SparkSession spark, long n, long cards) {
    Column id = col("id");
    return spark.range(0, n, 1, 8).select(
        concat(lit("t"), id.cast("string")).as("txn_id"),
        concat(lit("c"), pmod(xxhash64(id, lit("card")), lit(cards)).cast("string")).as("card_id"),
        timestamp_seconds(lit(1_717_200_000L).plus(pmod(xxhash64(id, lit("ts")), lit(30L * 86_400)))).as("ts"),
        round(pmod(xxhash64(id, lit("amount")), lit(50_000L)).divide(100.0), 2).as("amount"));
  }

  /**
   * The naive formulation: each transaction joined to its card's transactions in the trailing 7 days (t - 7d, t],
   * then per transaction and window the aggregates of the joined amounts inside that window.
   */
  static Dataset<Row> selfJoin(Dataset<Row> tx, RollingAggregates rolling) {
    Dataset<Row> a = tx.alias("a");
    Dataset<Row> b = tx.select(col("card_id").as("b_card"), col("ts").as("b_ts"), col("amount").as("b_amount"));
    Column lag = expr("unix_micros(a.ts) - unix_micros(b_ts)");
    Dataset<Row> joined = a.join(b, col("a.card_id").equalTo(col("b_card"))
        .and(lag.geq(0)).and(lag.lt(SECONDS[3] * 1_000_000L)));
    List<Column> aggs = new ArrayList<>();
    for (int w = 0; w < WINDOWS.length; w++) {
      Column in = when(lag.lt(SECONDS[w] * 1_000_000L), col("b_amount"));
      aggs.add(count(in).as(rolling.column(Aggregate.COUNT, WINDOWS[w])));
      aggs.add(sum(in).as(rolling.column(Aggregate.SUM, WINDOWS[w])));
      aggs.add(avg(in).as(rolling.column(Aggregate.MEAN, WINDOWS[w])));
      aggs.add(min(in).as(rolling.column(Aggregate.MIN, WINDOWS[w])));
      aggs.add(max(in).as(rolling.column(Aggregate.MAX, WINDOWS[w])));
      aggs.add(stddev_samp(in).as(rolling.column(Aggregate.STDDEV, WINDOWS[w])));
    }
    return joined.groupBy(col("a.txn_id"), col("a.card_id"), col("a.ts"), col("a.amount"))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  /** The total and the non-null count of every aggregate column, to compare two results. */
  private static double[] checksum(Dataset<Row> result, RollingAggregates rolling) {
    List<Column> totals = new ArrayList<>();
    for (String w : WINDOWS) {
      for (Aggregate a : Aggregate.DEFAULT) {
        totals.add(sum(col(rolling.column(a, w)).cast("double")));
        totals.add(count(col(rolling.column(a, w))).cast("double"));
      }
    }
    Row r = result.agg(totals.get(0), totals.subList(1, totals.size()).toArray(Column[]::new)).head();
    double[] out = new double[r.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.getDouble(i);
    }
    return out;
  }

  /** Equal up to the order of floating-point additions (relative 1e-9). */
  private static boolean agree(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-9 * Math.max(1, Math.max(Math.abs(a[i]), Math.abs(b[i])))) {
        return false;
      }
    }
    return true;
  }
}
