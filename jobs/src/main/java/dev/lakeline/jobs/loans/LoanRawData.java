package dev.lakeline.jobs.loans;

import dev.lakeline.jobs.JobContext;
import dev.lakeline.core.config.LakelineKeys;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

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
    Map<String, Long> counts = new LinkedHashMap<>();
    sources.forEach(
        (name, df) -> {
          String path = ctx.layout().raw(name);
          df.write().mode("overwrite").parquet(path);
          long rows = ctx.spark().read().parquet(path).count();
          counts.put(name, rows);
          ctx.summary().progress("raw %-18s %,10d rows → %s", name, rows, path);
        });
    return counts;
  }
}
