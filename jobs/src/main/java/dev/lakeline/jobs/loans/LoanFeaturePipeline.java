package dev.lakeline.jobs.loans;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.Errors;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureStore;
import dev.lakeline.featurestore.InsertResult;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.JobSummary;
import dev.lakeline.transformations.LoanFeatures;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The feature pipeline of the demo domain: raw loans, credit reports and card transactions up to the logical
 * date, through the shared transformations, into three feature groups through their gates. A rerun for the
 * same date commits nothing new.
 */
public final class LoanFeaturePipeline {
  private LoanFeaturePipeline() {}

  public static List<InsertResult> run(JobContext ctx, LocalDate date) {
    SparkSession spark = ctx.spark();
    FeatureStore store = ctx.featureStore();
    java.sql.Date day = java.sql.Date.valueOf(date);
    List<InsertResult> results = new ArrayList<>();

    Dataset<Row> loans =
        LoanFeatures.loans()
            .apply(readRaw(ctx, "loans").where(col("issue_date").leq(lit(day))))
            .withColumn(
                LoanCatalog.LABEL,
                when(col("status").equalTo("Charged Off"), 1).when(col("status").equalTo("Fully Paid"), 0))
            .select("loan_id", "applicant_id", "issue_date", "loan_amount", "int_rate", "term", "purpose", "zip5", "status", LoanCatalog.LABEL);
    results.add(insert(ctx, store, LoanCatalog.loans(), loans, date));

    Dataset<Row> reports =
        LoanFeatures.creditReports().apply(readRaw(ctx, "credit_reports").where(col("report_date").leq(lit(day))));
    results.add(insert(ctx, store, LoanCatalog.creditReports(), reports, date));

    Dataset<Row> spend =
        LoanFeatures.cardSpend()
            .apply(readRaw(ctx, "card_transactions").where(col("txn_ts").lt(lit(java.sql.Date.valueOf(date.plusDays(1))))));
    results.add(insert(ctx, store, LoanCatalog.cardSpend(), spend, date));
    return results;
  }

  private static InsertResult insert(
      JobContext ctx, FeatureStore store, FeatureGroupSpec spec, Dataset<Row> batch, LocalDate date) {
    FeatureGroup group = store.createFeatureGroup(spec, batch.schema());
    InsertResult r = group.overwrite(batch, "features:" + spec.name() + ":" + date);
    ctx.summary()
        .progress(
            "%-16s %s v%d, %,d rows%s",
            spec.label(),
            r.skipped() ? "unchanged at" : "committed",
            r.deltaVersion(),
            r.rows(),
            r.validation().success() ? "" : " — warnings:\n" + r.validation().failureSummary());
    ctx.summary().table(new JobSummary.TableLine("feature group " + spec.label(), group.path(), r.deltaVersion(), r.rows(), r.skipped()));
    return r;
  }

  private static Dataset<Row> readRaw(JobContext ctx, String source) {
    String path = ctx.layout().raw(source);
    if (!dev.lakeline.core.storage.LakeFiles.of(ctx.spark()).exists(path)) {
      throw Errors.notFound(
          "Raw source '%s' not found at %s. Generate sample data first (lakeline generate --date <day>) "
              + "or run the whole loop with lakeline demo.",
          source, path);
    }
    return ctx.spark().read().parquet(path);
  }
}
