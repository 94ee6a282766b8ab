package dev.lakeline.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lakeline.core.spark.SparkSessions;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.InsertOptions;
import dev.lakeline.validation.Expectation;
import dev.lakeline.validation.ExpectationSuite;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Validate-and-commit (the feature group gate: schema check, suite of ten scan-shareable expectations plus the
 * key's uniqueness, one idempotent Delta commit) against a plain Delta append of the same batch, side by side in
 * one JVM. Prints a Markdown table: wall time, the ratio, passes over the source, and peak heap.
 */
public final class GateBenchmark {
  private GateBenchmark() {}

  /**
   * Passes over the data: rows read divided by the batch's rows, from files (the source, plus Delta's small log
   * reads) and from Spark's cache; and bytes read from files divided by the source's size, since a columnar pass
   * that needs two of nine columns reads a fraction of the bytes.
   */
  static final class ScanCounter extends SparkListener {
    final AtomicLong fileRows = new AtomicLong();
    final AtomicLong fileBytes = new AtomicLong();
    final AtomicLong cacheRows = new AtomicLong();

    @Override
    public void onStageCompleted(SparkListenerStageCompleted stage) {
      var info = stage.stageInfo();
      if (info.taskMetrics() == null) {
        return;
      }
      long read = info.taskMetrics().inputMetrics().recordsRead();
      boolean fileScan = scala.collection.JavaConverters.seqAsJavaList(info.rddInfos()).stream()
          .anyMatch(r -> r.name().contains("FileScanRDD"));
      (fileScan ? fileRows : cacheRows).addAndGet(read);
      if (fileScan) {
        fileBytes.addAndGet(info.taskMetrics().inputMetrics().bytesRead());
      }
    }

    void reset() {
      fileRows.set(0);
      fileBytes.set(0);
      cacheRows.set(0);
    }

    String passes(long rows, long sourceBytes) {
      double files = fileRows.get() / (double) rows;
      double cache = cacheRows.get() / (double) rows;
      double bytes = fileBytes.get() / (double) sourceBytes;
      return String.format(Locale.ROOT, cache < 0.05 ? "%.1f (%.1f× bytes)" : "%.1f (%.1f× bytes) + %.1f cached", files, bytes, cache);
    }
  }

  /** {@code benchmarks/run gate}'s options. */
  @picocli.CommandLine.Command(name = "benchmarks/run gate", sortOptions = false,
      description = "Validate-and-commit through the gate vs a plain Delta append of the same batch; prints a Markdown table.")
  static final class Options implements BenchmarkOptions.Checked {
    @picocli.CommandLine.Option(names = "--rows", split = ",", paramLabel = "N",
        description = "Batch sizes (default: 1000000,10000000; 1_000_000 is read as 1000000).",
        converter = Rows.class)
    List<Long> rows = new ArrayList<>(List.of(1_000_000L, 10_000_000L));

    @picocli.CommandLine.Option(names = "--runs", paramLabel = "N", description = "Runs per path; the median is shown (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Override
    public void check(picocli.CommandLine line) {
      if (runs < 1 || rows.stream().anyMatch(n -> n < 1)) {
        throw new picocli.CommandLine.ParameterException(line, "--runs and every --rows size must be at least 1.");
      }
    }
  }

  /** A row count, with {@code _} allowed between digits. */
  static final class Rows implements picocli.CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Long.parseLong(value.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a number of rows");
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = BenchmarkOptions.parseOrExit(new Options(), args);
    List<Long> sizes = options.rows;
    int runs = options.runs;
    Map<String, String> settings = new java.util.LinkedHashMap<>(SparkSessions.embeddedDefaults(4));
    settings.put("spark.sql.shuffle.partitions", "4");
    SparkSession spark = SparkSessions.build("local[2]", "lakeline-benchmark", settings);
    spark.sparkContext().setLogLevel("WARN");
    ScanCounter counter = new ScanCounter();
    spark.sparkContext().addSparkListener(counter);
    Path root = Files.createTempDirectory("lakeline-bench");
    System.out.printf("Lakeline gate benchmark · local[2] · %d cores · max heap %d MiB · %s%n%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, root);
    System.out.printf("each path: median of %d runs into a new table, after a warm-up round of both on 1M rows%n%n", runs);
    warmUp(spark, root);
    System.out.println("| rows | plain Delta append | validate-and-commit | ratio | source passes: append | source passes: gate | peak heap: append / gate |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
    for (long n : sizes) {
      String source = root.resolve("source-" + n).toString();
      generate(spark, n).write().mode("overwrite").parquet(source);
      long sourceBytes;
      try (var files = Files.walk(Path.of(source))) {
        sourceBytes = files.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
      }

      double[] plainTimes = new double[runs];
      double[] gateTimes = new double[runs];
      String plainScans = null;
      String gateScans = null;
      long plainPeak = 0;
      long gatePeak = 0;
      for (int r = 0; r < runs; r++) {
        String plainPath = root.resolve("plain-" + n + "-" + r).toString();
        resetPeaks();
        counter.reset();
        long t0 = System.nanoTime();
        spark.read().parquet(source).write().format("delta").mode("append").save(plainPath);
        plainTimes[r] = (System.nanoTime() - t0) / 1e9;
        plainScans = counter.passes(n, sourceBytes);
        plainPeak = Math.max(plainPeak, peakHeap());

        FeatureStore store = FeatureStore.open(spark, new StorageLayout(root.resolve("lake-" + n + "-" + r).toString()));
        Dataset<Row> batch = spark.read().parquet(source);
        FeatureGroup group = store.createFeatureGroup(spec(), batch.schema());
        resetPeaks();
        counter.reset();
        long t1 = System.nanoTime();
        group.insert(batch, InsertOptions.append("bench:" + n));
        gateTimes[r] = (System.nanoTime() - t1) / 1e9;
        gateScans = counter.passes(n, sourceBytes);
        gatePeak = Math.max(gatePeak, peakHeap());
      }
      double plain = median(plainTimes);
      double gate = median(gateTimes);
      System.out.printf(Locale.ROOT, "| %,d | %.1f s | %.1f s | %.2f× | %s | %s | %,d / %,d MiB |%n",
          n, plain, gate, gate / plain, plainScans, gateScans, plainPeak >> 20, gatePeak >> 20);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** One round of both paths on 1M rows first, so that neither pays the JIT and Delta start-up alone. */
  private static void warmUp(SparkSession spark, Path root) {
    Dataset<Row> small = generate(spark, 1_000_000);
    small.write().format("delta").mode("append").save(root.resolve("warm-plain").toString());
    FeatureStore store = FeatureStore.open(spark, new StorageLayout(root.resolve("warm-lake").toString()));
    store.createFeatureGroup(spec(), small.schema()).insert(small, InsertOptions.append("warm-up"));
  }

  private static FeatureGroupSpec spec() {
    List<Expectation> e = new ArrayList<>();
    e.add(Expectation.of("expect_column_values_to_not_be_null", Map.of("column", "customer")));
    e.add(Expectation.of("expect_column_values_to_not_be_null", Map.of("column", "amount")));
    e.add(Expectation.of("expect_column_values_to_be_between", Map.of("column", "amount", "min_value", 0, "max_value", 10_000)));
    e.add(Expectation.of("expect_column_values_to_be_between", Map.of("column", "quantity", "min_value", 1, "max_value", 100)));
    e.add(Expectation.of("expect_column_values_to_be_between", Map.of("column", "score", "min_value", 0, "max_value", 1)));
    e.add(Expectation.of("expect_column_values_to_be_in_set", Map.of("column", "category", "value_set", List.of("a", "b", "c", "d", "e"))));
    e.add(Expectation.of("expect_column_values_to_be_in_set", Map.of("column", "country", "value_set", List.of("DE", "FR", "US", "BR", "IN", "JP"))));
    e.add(Expectation.of("expect_column_values_to_not_be_null", Map.of("column", "country")));
    e.add(Expectation.of("expect_column_values_to_not_be_null", Map.of("column", "flag")));
    e.add(Expectation.of("expect_table_row_count_to_be_between", Map.of("min_value", 1)));
    return FeatureGroupSpec.of("orders", List.of("order_id"), "ts").withSuite(new ExpectationSuite("orders", e));
  }

  static Dataset<Row> generate(SparkSession spark, long n) {
    var id = col("id");
    var u = pmod(xxhash64(id, lit("u")), lit(1_000_003L)).divide(1_000_003.0);
    return spark.range(0, n, 1, 8).select(
        concat(lit("o"), id.cast("string")).as("order_id"),
        timestamp_seconds(lit(1_704_067_200L).plus(pmod(xxhash64(id, lit("t")), lit(31_536_000L)))).as("ts"),
        concat(lit("c"), pmod(xxhash64(id, lit("c")), lit(100_000L)).cast("string")).as("customer"),
        functions.round(u.multiply(500), 2).as("amount"),
        floor(u.multiply(99)).cast("int").plus(1).as("quantity"),
        u.as("score"),
        element_at(functions.array(lit("a"), lit("b"), lit("c"), lit("d"), lit("e")), floor(u.multiply(5)).cast("int").plus(1)).as("category"),
        element_at(functions.array(lit("DE"), lit("FR"), lit("US"), lit("BR"), lit("IN"), lit("JP")), floor(u.multiply(6)).cast("int").plus(1)).as("country"),
        u.gt(0.5).as("flag"));
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
