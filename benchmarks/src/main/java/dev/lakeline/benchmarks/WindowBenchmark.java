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
 * 1h, 4h, 1d, 7d and 30d by default, as of every transaction) with the transformation library's
 * {@code rolling_aggregates}, against the naive formulation: join every transaction to the same card's transactions
 * of the longest window, then aggregate per transaction and window. Same generated data, same JVM; both results are computed in full
 * (Spark's {@code noop} sink) and compared (every aggregate's total and count, to a relative 1e-9: the two add
 * floating-point numbers in different orders). Prints a Markdown table.
 */
public final class WindowBenchmark {
  /** The windows the issue names as examples; {@code --windows} takes another list. */
  private static String[] windows = {"1h", "4h", "1d", "7d", "30d"};
  private static long[] seconds;
  private static int runs = 3;

  private WindowBenchmark() {}

  /** {@code benchmarks/run windows}' options. */
  @picocli.CommandLine.Command(name = "benchmarks/run windows", sortOptions = false,
      description = "rolling_aggregates vs the naive self-join on generated card transactions; prints a Markdown table.")
  static final class Options implements BenchmarkOptions.Checked {
    @picocli.CommandLine.Option(names = "--rows", split = ",", paramLabel = "N", converter = GateBenchmark.Rows.class,
        description = "Numbers of transactions (default: 10000000).")
    List<Long> rows = new ArrayList<>(List.of(10_000_000L));

    @picocli.CommandLine.Option(names = "--windows", split = ",", paramLabel = "WINDOW",
        description = "Trailing windows such as 30m, 4h or 7d (default: 1h,4h,1d,7d,30d).")
    List<String> windows = new ArrayList<>(List.of("1h", "4h", "1d", "7d", "30d"));

    @picocli.CommandLine.Option(names = "--runs", paramLabel = "N", description = "Runs of rolling_aggregates; the median is shown (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @picocli.CommandLine.Option(names = "--no-self-join", description = "Time the library alone.")
    boolean noSelfJoin;

    @Override
    public void check(picocli.CommandLine line) {
      for (String w : windows) {
        if (!w.matches("[1-9][0-9]*[mhd]")) {
          throw new picocli.CommandLine.ParameterException(
              line, "Windows look like 30m, 4h or 7d (minutes, hours, days), not '" + w + "' in --windows.");
        }
      }
      if (runs < 1 || rows.stream().anyMatch(n -> n < 1)) {
        throw new picocli.CommandLine.ParameterException(line, "--runs and every --rows size must be at least 1.");
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = BenchmarkOptions.parseOrExit(new Options(), args);
    List<Long> sizes = options.rows;
    boolean selfJoin = !options.noSelfJoin;
    windows = options.windows.toArray(String[]::new);
    runs = options.runs;
    seconds = java.util.Arrays.stream(windows).mapToLong(WindowBenchmark::seconds).toArray();
    Map<String, String> settings = new java.util.LinkedHashMap<>(SparkSessions.embeddedDefaults(4));
    settings.put("spark.sql.shuffle.partitions", "8");
    SparkSession spark = SparkSessions.build("local[2]", "lakeline-benchmark", settings);
    spark.sparkContext().setLogLevel("WARN");
    Path root = Files.createTempDirectory("lakeline-windows");
    System.out.printf("Lakeline rolling-window benchmark · local[2] · %d cores · max heap %d MiB · %s%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, root);
    System.out.printf("windows %s × count, sum, mean, min, max, stddev (%d features per transaction); "
        + "rolling_aggregates: median of %d runs, self-join: 1 run; after a warm-up on 1M rows%n",
        String.join(", ", windows), windows.length * 6, runs);
    System.out.println();
    run(spark, root, 1_000_000L, true); // warm-up (the JIT compiles both paths), not printed
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

    RollingAggregates rolling = RollingAggregates.of("card_id", "ts", "amount", windows);
    Dataset<Row> fast = null;
    double[] times = new double[runs];
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime(); // the step built and run afresh each time, as a job would
      fast = rolling.apply(tx);
      fast.write().format("noop").mode("overwrite").save();
      times[r] = (System.nanoTime() - t0) / 1e9;
    }
    java.util.Arrays.sort(times);
    double fastSeconds = times[runs / 2];
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

  private static long seconds(String window) {
    long n = Long.parseLong(window.substring(0, window.length() - 1));
    return switch (window.charAt(window.length() - 1)) {
      case 'm' -> n * 60;
      case 'h' -> n * 3_600;
      case 'd' -> n * 86_400;
      default -> throw new IllegalArgumentException("windows look like 30m, 4h or 7d, not " + window);
    };
  }

  /**
   * The naive formulation: each transaction joined to its card's transactions in the longest trailing window
   * (t - w, t], then per transaction and window the aggregates of the joined amounts inside that window.
   */
  static Dataset<Row> selfJoin(Dataset<Row> tx, RollingAggregates rolling) {
    Dataset<Row> a = tx.alias("a");
    Dataset<Row> b = tx.select(col("card_id").as("b_card"), col("ts").as("b_ts"), col("amount").as("b_amount"));
    Column lag = expr("unix_micros(a.ts) - unix_micros(b_ts)");
    Dataset<Row> joined = a.join(b, col("a.card_id").equalTo(col("b_card"))
        .and(lag.geq(0)).and(lag.lt(java.util.Arrays.stream(seconds).max().orElseThrow() * 1_000_000L)));
    List<Column> aggs = new ArrayList<>();
    for (int w = 0; w < windows.length; w++) {
      Column in = when(lag.lt(seconds[w] * 1_000_000L), col("b_amount"));
      aggs.add(count(in).as(rolling.column(Aggregate.COUNT, windows[w])));
      aggs.add(sum(in).as(rolling.column(Aggregate.SUM, windows[w])));
      aggs.add(avg(in).as(rolling.column(Aggregate.MEAN, windows[w])));
      aggs.add(min(in).as(rolling.column(Aggregate.MIN, windows[w])));
      aggs.add(max(in).as(rolling.column(Aggregate.MAX, windows[w])));
      aggs.add(stddev_samp(in).as(rolling.column(Aggregate.STDDEV, windows[w])));
    }
    return joined.groupBy(col("a.txn_id"), col("a.card_id"), col("a.ts"), col("a.amount"))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  /** The total and the non-null count of every aggregate column, to compare two results. */
  private static double[] checksum(Dataset<Row> result, RollingAggregates rolling) {
    List<Column> totals = new ArrayList<>();
    for (String w : windows) {
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
