package dev.lakeline.jobs.loans;

import dev.lakeline.core.Errors;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.featurestore.FeatureViewSpec.GroupRef;
import dev.lakeline.featurestore.FeatureViewSpec.Join;
import dev.lakeline.featurestore.ModelTransformation;
import dev.lakeline.jobs.pipelines.FeaturePipeline;
import dev.lakeline.training.TrainingSpec;
import dev.lakeline.transformations.Pipeline;
import dev.lakeline.transformations.PipelineSteps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The demo domain: its feature pipelines (conf/pipelines/*.yaml, which define the groups loans, credit_reports and
 * card_spend), the feature view that joins them, its on-demand features and the model's inputs.
 */
public final class LoanCatalog {
  public static final String LOANS = "loans";
  public static final String CREDIT_REPORTS = "credit_reports";
  public static final String CARD_SPEND = "card_spend";
  public static final String VIEW = "loan_default";
  public static final String LABEL = "is_default";
  public static final String PREDICTIONS_SUITE = "classpath:lakeline-conf/expectations/predictions.yaml";
  public static final String ON_DEMAND = "classpath:lakeline-conf/on_demand/loan_default.yaml";

  /** The demo's feature pipelines, in the order they run (bundled in the jar from conf/pipelines/). */
  public static final List<String> PIPELINES = List.of(LOANS, CREDIT_REPORTS, CARD_SPEND);

  private LoanCatalog() {}

  /** The bundled pipeline file of {@code name}: {@code classpath:lakeline-conf/pipelines/<name>.yaml}. */
  public static String pipeline(String name) {
    return "classpath:lakeline-conf/pipelines/" + name + ".yaml";
  }

  /** The demo's feature pipelines, loaded from the bundled files. */
  public static List<FeaturePipeline> pipelines() {
    return PIPELINES.stream().map(n -> FeaturePipeline.load(pipeline(n))).toList();
  }

  /**
   * The view's on-demand features (loan_to_income), applied after the point-in-time join by both the training
   * pipeline and batch inference, from one configured file (conf/on_demand/loan_default.yaml).
   */
  public static Pipeline onDemand() {
    return PipelineSteps.fromYaml(readBundled(ON_DEMAND));
  }

  private static String readBundled(String location) {
    String resource = location.substring("classpath:".length());
    try (InputStream in = LoanCatalog.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw Errors.notFound("%s is not bundled in this jar.", location);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + location, e);
    }
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
        "Loan default: loan terms, the credit report valid at issue, and card spending before the issue day.")
        // fitted on the train split by training and saved in the model; amounts are skewed, so robust scaling
        .withTransformation("loan_amount", ModelTransformation.ROBUST_SCALER)
        .withTransformation("annual_income", ModelTransformation.ROBUST_SCALER)
        .withTransformation("spend_sum_30d", ModelTransformation.ROBUST_SCALER)
        .withTransformation("int_rate", ModelTransformation.STANDARD_SCALER)
        .withTransformation("revol_util", ModelTransformation.MIN_MAX_SCALER);
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
