package dev.lakeline.jobs.loans;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A seeded generator of loan-approval sample data, ending at a logical date. Every value is a hash of (seed,
 * field, row id), so the same seed, scale and date give the same rows on any cluster and partitioning.
 *
 * <p>Each applicant has a latent risk that drifts over time. Credit reports (2–6 per applicant over ~2 years,
 * never two on one day)
 * and card spending reflect the risk at their own date; a loan's outcome depends on the risk at its issue date,
 * so the credit report valid at issue time predicts it better than the latest one. Loans issued in the last 30
 * days are still {@code Current} (no outcome yet).
 */
public final class LoanDataGenerator {
  /** Loans at scale 1.0. */
  public static final int LOANS_PER_SCALE = 10_000;
  /** Applicants at scale 1.0. */
  public static final int APPLICANTS_PER_SCALE = 5_000;
  /** Days of loan history before the logical date. */
  public static final int LOAN_DAYS = 420;
  /** Days a loan needs before its outcome is known. */
  public static final int OUTCOME_DAYS = 30;

  private static final long PRIME = 1_000_000_007L;
  private static final String[] PURPOSES = {
    "debt_consolidation", "credit_card", "home_improvement", "major_purchase", "small_business", "car", "medical", "other"
  };
  private static final String[] CATEGORIES = {
    "grocery", "restaurants", "travel", "fuel", "online_retail", "utilities", "entertainment", "cash_advance"
  };

  private final SparkSession spark;
  private final long seed;
  private final LocalDate date;
  private final int applicants;
  private final int loans;
  private final int partitions;

  public LoanDataGenerator(SparkSession spark, LocalDate date, double scale, long seed) {
    this.spark = spark;
    this.seed = seed;
    this.date = date;
    this.applicants = Math.max(20, (int) Math.round(APPLICANTS_PER_SCALE * scale));
    this.loans = Math.max(50, (int) Math.round(LOANS_PER_SCALE * scale));
    this.partitions = Math.max(2, Math.min(64, (int) Math.ceil(scale * 4)));
  }

  /** The three raw sources. */
  public record RawData(Dataset<Row> loans, Dataset<Row> creditReports, Dataset<Row> cardTransactions) {}

  public RawData generate() {
    Dataset<Row> people = applicants();
    return new RawData(loans(people), creditReports(people), cardTransactions(people));
  }

  /** A uniform number in [0, 1) from the seed, a field name and row ids. */
  private Column u(String field, Column... ids) {
    Column[] parts = new Column[ids.length + 2];
    parts[0] = lit(seed);
    parts[1] = lit(field);
    System.arraycopy(ids, 0, parts, 2, ids.length);
    return pmod(xxhash64(parts), lit(PRIME)).divide((double) PRIME);
  }

  /** An approximately standard normal number (sum of four uniforms, rescaled). */
  private Column normal(String field, Column... ids) {
    Column sum = u(field + "1", ids).plus(u(field + "2", ids)).plus(u(field + "3", ids)).plus(u(field + "4", ids));
    return sum.minus(2.0).multiply(Math.sqrt(3.0));
  }

  private Column logicalDate() {
    return lit(java.sql.Date.valueOf(date));
  }

  /** Risk of the applicant at {@code day}: base risk plus drift per year relative to the logical date. */
  private Column riskAt(Column day) {
    return col("risk").plus(col("drift").multiply(datediff(day, logicalDate()).divide(365.0)));
  }

  private Column pick(String[] values, Column uniform) {
    Column array = functions.array(java.util.Arrays.stream(values).map(functions::lit).toArray(Column[]::new));
    return element_at(array, floor(uniform.multiply(values.length)).cast("int").plus(1));
  }

  private Dataset<Row> applicants() {
    Column id = col("id");
    return spark
        .range(0, applicants, 1, partitions)
        .select(
            format_string("A%06d", id).as("applicant_id"),
            normal("risk", id).as("risk"),
            normal("drift", id).multiply(0.8).as("drift"),
            id.as("applicant_idx"));
  }

  Dataset<Row> creditReports(Dataset<Row> people) {
    Column idx = col("applicant_idx");
    Dataset<Row> reports =
        people
            .withColumn("reports", floor(u("reports", idx).multiply(5)).cast("int").plus(2))
            .withColumn("report_no", explode(sequence(lit(1), col("reports"))))
            // one report per slot of 800/k days, jittered inside its slot: dates never collide
            .withColumn(
                "report_date",
                date_sub(
                    logicalDate(),
                    floor(col("report_no").minus(1).plus(u("report_date", idx, col("report_no")).multiply(0.9))
                            .multiply(800).divide(col("reports")))
                        .cast("int")))
            .withColumn("r", riskAt(col("report_date")));
    Column n = col("report_no");
    return reports.select(
        col("applicant_id"),
        col("report_date"),
        round(exp(lit(11.0).minus(col("r").multiply(0.25)).plus(normal("income", idx, n).multiply(0.35))), -2).as("annual_income"),
        when(u("home", idx).lt(0.45), "MORTGAGE")
            .when(u("home", idx).lt(0.85), "RENT")
            .when(u("home", idx).lt(0.97), "OWN")
            .otherwise("OTHER")
            .as("home_ownership"),
        when(u("verif", idx, n).lt(0.4), "Verified")
            .when(u("verif", idx, n).lt(0.75), "Source Verified")
            .otherwise("Not Verified")
            .as("verification_status"),
        round(greatest(lit(0.0), least(lit(150.0), lit(45.0).plus(col("r").multiply(18)).plus(normal("revol", idx, n).multiply(12)))), 1)
            .as("revol_util"),
        when(col("r").plus(normal("bk", idx, n).multiply(0.5)).gt(1.8), when(u("bk2", idx, n).lt(0.3), 2).otherwise(1))
            .otherwise(0)
            .as("bankruptcies"));
  }

  Dataset<Row> cardTransactions(Dataset<Row> people) {
    Column idx = col("applicant_idx");
    long end = date.plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC) - 1;
    Dataset<Row> txns =
        people
            .withColumn("txn_no", explode(sequence(lit(1), floor(u("txns", idx).multiply(40)).cast("int").plus(5))))
            .withColumn("txn_s", lit(end).minus(floor(u("ts", idx, col("txn_no")).multiply(400L * 86_400))))
            .withColumn("txn_ts", timestamp_seconds(col("txn_s")))
            // the transaction's UTC date: a cast to date would take the session's zone, and make other amounts
            .withColumn("r", riskAt(date_from_unix_date(floor(col("txn_s").divide(86_400)).cast("int"))));
    Column n = col("txn_no");
    return txns.select(
        concat(col("applicant_id"), lit("-T"), lpad(n.cast("string"), 3, "0")).as("txn_id"),
        col("applicant_id"),
        col("txn_ts"),
        round(exp(lit(3.3).plus(col("r").multiply(0.15)).plus(normal("amount", idx, n).multiply(0.8))), 2).as("amount"),
        pick(CATEGORIES, u("cat", idx, n)).as("merchant_category"));
  }

  Dataset<Row> loans(Dataset<Row> people) {
    Column id = col("id");
    Dataset<Row> base =
        spark
            .range(0, loans, 1, partitions)
            .select(
                id,
                format_string("L%08d", id).as("loan_id"),
                format_string("A%06d", floor(u("applicant", id).multiply(applicants)).cast("long")).as("applicant_id"),
                date_sub(logicalDate(), floor(u("issue", id).multiply(LOAN_DAYS)).cast("int")).as("issue_date"),
                round(lit(1000.0).plus(u("amount", id).multiply(34_000)).divide(25.0), 0).multiply(25.0).as("loan_amount"),
                when(u("term", id).lt(0.7), 36).otherwise(60).as("term"),
                pick(PURPOSES, u("purpose", id)).as("purpose"),
                messyZip(id).as("zip_code"));
    Dataset<Row> withRisk = base.join(people.select("applicant_id", "risk", "drift"), "applicant_id");
    Column r = riskAt(col("issue_date"));
    Column logit =
        lit(-2.0)
            .plus(r.multiply(1.1))
            .plus(when(col("term").equalTo(60), 0.4).otherwise(0.0))
            .plus(col("loan_amount").minus(15_000).multiply(0.00002));
    Column pDefault = lit(1.0).divide(lit(1.0).plus(exp(logit.multiply(-1))));
    Column outcomeKnown = datediff(logicalDate(), col("issue_date")).geq(OUTCOME_DAYS);
    return withRisk
        .select(
            col("loan_id"),
            col("applicant_id"),
            col("issue_date"),
            col("loan_amount"),
            round(greatest(lit(5.31), least(lit(30.99), lit(11.0).plus(r.multiply(3.5)).plus(normal("rate", id).multiply(1.5)))), 2)
                .as("int_rate"),
            col("term"),
            col("purpose"),
            col("zip_code"),
            when(functions.not(outcomeKnown), "Current")
                .when(u("default", id).lt(pDefault), "Charged Off")
                .otherwise("Fully Paid")
                .as("status"))
        .orderBy("loan_id");
  }

  /** Zip codes as they arrive from forms: mostly clean, some ZIP+4, some padded, some lost leading zeros. */
  private Column messyZip(Column id) {
    Column zip = lpad(floor(u("zip", id).multiply(99_999)).cast("string"), 5, "0");
    Column style = u("zipstyle", id);
    return when(style.lt(0.7), zip)
        .when(style.lt(0.8), concat(zip, lit("-"), lpad(floor(u("zip4", id).multiply(9999)).cast("string"), 4, "0")))
        .when(style.lt(0.9), concat(lit(" "), zip, lit(" ")))
        .when(style.lt(0.97), functions.regexp_replace(zip, "^0+", ""))
        .otherwise(lit("N/A"));
  }
}
