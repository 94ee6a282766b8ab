package dev.lakeline.transformations;

/**
 * The demo domain's features (loan approval), built from the general steps ({@code zip5}, {@code positive_flag},
 * {@code daily_aggregates}, {@code ratio}). The feature pipeline and the inference path both call these, so a model
 * sees the same values at training and scoring time.
 */
public final class LoanFeatures {
  private LoanFeatures() {}

  /** Loans: {@code zip_code} (messy text) to {@code zip5}. */
  public static Transformation loans() {
    return Features.zip5("zip_code", "zip5");
  }

  /** Credit reports: {@code bankruptcies} count to {@code has_bankruptcy} flag (1 when above 0). */
  public static Transformation creditReports() {
    return Features.positiveFlag("bankruptcies", "has_bankruptcy");
  }

  /** Card transactions to daily 30-day spend snapshots per applicant ({@code spend_count_30d}, {@code spend_sum_30d}). */
  public static Transformation cardSpend() {
    return Features.dailyTrailingAggregates("applicant_id", "txn_ts", "amount", 30, "spend");
  }

  /** After the point-in-time join: {@code loan_to_income = loan_amount / annual_income}. */
  public static Transformation onDemand() {
    return Features.ratio("loan_amount", "annual_income", "loan_to_income");
  }
}
