package dev.lakeline.jobs.loans;

import dev.lakeline.core.config.LakelineKeys;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.jobs.JobContext;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Writes the generated raw sources to {@code <root>/raw/} as Parquet, the demo's stand-in for source systems. */
public final class LoanRawData {
  private LoanRawData() {}

  /** Generates the three sources at the configured scale and seed and writes them; returns their row counts. */
  public static Map<String, Long> write(JobContext ctx, LocalDate date) {
    double scale = ctx.config().get(LakelineKeys.DEMO_SCALE);
    long seed = ctx.config().get(LakelineKeys.DEMO_SEED);
    LoanDataGenerator.RawData raw = new LoanDataGenerator(ctx.spark(), date, scale, seed).generate();
    Map<String, Dataset<Row>> sources = new LinkedHashMap<>();
    sources.put("loans", raw.loans());
    sources.put("credit_reports", raw.creditReports());
    sources.put("card_transactions", raw.cardTransactions());
    return replace(ctx.spark(), ctx.layout(), sources, line -> ctx.summary().progress("%s", line));
  }

  /**
   * Writes every source to {@link StorageLayout#rawStaging()} first, and only when all are written moves each into
   * {@code raw/<source>} in place of the old one (two renames per source). A run that fails or is stopped while
   * writing leaves the old sources whole and consistent with each other (never one source new and another old, never a
   * folder half-written); the next run clears what it left in the staging folder. Returns the rows per source.
   */
  static Map<String, Long> replace(
      SparkSession spark, StorageLayout layout, Map<String, Dataset<Row>> sources, Consumer<String> progress) {
    LakeFiles files = LakeFiles.of(spark);
    String staging = layout.rawStaging();
    files.delete(staging); // what a run stopped while writing left (one run at a time: SampleDataLock)
    Map<String, Long> counts = new LinkedHashMap<>();
    sources.forEach((name, df) -> {
      String written = staging + "/" + name;
      df.write().parquet(written);
      counts.put(name, spark.read().parquet(written).count());
    });
    for (String name : sources.keySet()) {
      String path = layout.raw(name);
      files.rename(path, staging + "/" + name + ".replaced"); // false when there was none yet
      if (!files.rename(staging + "/" + name, path)) {
        throw new IllegalStateException("Could not move the generated " + name + " from " + staging + " to " + path + ".");
      }
      progress.accept(String.format(Locale.ROOT, "raw %-18s %,10d rows → %s", name, counts.get(name), path));
    }
    files.delete(staging);
    return counts;
  }
}
