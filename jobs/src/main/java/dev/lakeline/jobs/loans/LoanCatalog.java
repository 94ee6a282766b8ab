package dev.lakeline.jobs.loans;

import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.featurestore.FeatureViewSpec.GroupRef;
import dev.lakeline.featurestore.FeatureViewSpec.Join;
import dev.lakeline.training.TrainingSpec;
import dev.lakeline.validation.SuiteFiles;
import java.util.List;

/** The demo domain's feature groups, feature view and model inputs, defined once for all three pipelines. */
public final class LoanCatalog {
  public static final String LOANS = "loans";
  public static final String CREDIT_REPORTS = "credit_reports";
  public static final String CARD_SPEND = "card_spend";
  public static final String VIEW = "loan_default";
  public static final String LABEL = "is_default";
  public static final String PREDICTIONS_SUITE = "classpath:lakeline-conf/expectations/predictions.yaml";

  private LoanCatalog() {}

  private static String suite(String name) {
    return "classpath:lakeline-conf/expectations/" + name + ".yaml";
  }

  public static FeatureGroupSpec loans() {
    return FeatureGroupSpec.of(LOANS, List.of("loan_id"), "issue_date")
        .withDescription("Loan applications with their terms and outcome (is_default: 1 charged off, 0 paid, null open).")
        .withSuite(SuiteFiles.load(suite(LOANS)));
  }

  public static FeatureGroupSpec creditReports() {
    return FeatureGroupSpec.of(CREDIT_REPORTS, List.of("applicant_id"), "report_date")
        .withDescription("Applicants' credit reports; each is valid from its report date until the next one.")
        .withSuite(SuiteFiles.load(suite(CREDIT_REPORTS)));
  }

  public static FeatureGroupSpec cardSpend() {
    return FeatureGroupSpec.of(CARD_SPEND, List.of("applicant_id"), "day")
        .withDescription("Daily snapshots of each applicant's card spending over the trailing 30 days.")
        .withSuite(SuiteFiles.load(suite(CARD_SPEND)));
  }

  /** Loans joined with the credit report valid at issue and the spending up to the day before issue. */
  public static FeatureViewSpec view() {
    return new FeatureViewSpec(
        VIEW,
        1,
        new GroupRef(LOANS, 1),
        List.of("applicant_id", "loan_amount", "int_rate", "term", "purpose"),
        List.of(LABEL),
        List.of(
            new Join(
                new GroupRef(CREDIT_REPORTS, 1),
                List.of("applicant_id"),
                List.of("annual_income", "home_ownership", "verification_status", "revol_util", "has_bankruptcy"),
                "",
                false),
            new Join(
                new GroupRef(CARD_SPEND, 1),
                List.of("applicant_id"),
                List.of("spend_count_30d", "spend_sum_30d"),
                "",
                true)),
        "Loan default: loan terms, the credit report valid at issue, and card spending before the issue day.");
  }

  /** The model's inputs: the view's features plus the on-demand loan_to_income. */
  public static TrainingSpec trainingSpec(String algorithm, long seed) {
    return new TrainingSpec(
        algorithm,
        List.of(
            "loan_amount",
            "int_rate",
            "term",
            "annual_income",
            "revol_util",
            "has_bankruptcy",
            "spend_count_30d",
            "spend_sum_30d",
            "loan_to_income"),
        List.of("purpose", "home_ownership", "verification_status"),
        LABEL,
        seed);
  }
}
