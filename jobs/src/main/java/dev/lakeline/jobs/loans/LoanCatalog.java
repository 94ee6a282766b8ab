package dev.lakeline.jobs.loans;

import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.jobs.pipelines.FeaturePipeline;
import dev.lakeline.jobs.pipelines.ModelDefinition;
import dev.lakeline.jobs.pipelines.ModelFile;
import dev.lakeline.training.TrainingSpec;
import dev.lakeline.transformations.Pipeline;
import java.util.List;

/**
 * The demo domain: its feature pipelines (conf/pipelines/*.yaml, which define the groups loans, credit_reports and
 * card_spend) and its model file (conf/models/loan_default.yaml: the feature view that joins them, its on-demand
 * features and the model's inputs).
 */
public final class LoanCatalog {
  public static final String LOANS = "loans";
  public static final String CREDIT_REPORTS = "credit_reports";
  public static final String CARD_SPEND = "card_spend";
  public static final String VIEW = "loan_default";
  public static final String LABEL = "is_default";

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

  /** The demo's model file, bundled in the jar from conf/models/loan_default.yaml (the default of model.file). */
  public static ModelDefinition model() {
    return ModelFile.load(ModelDefinition.BUNDLED);
  }

  /** The view's on-demand features (loan_to_income), from the demo's model file. */
  public static Pipeline onDemand() {
    return model().onDemand();
  }

  /** Loans joined with the credit report valid at issue and the spending up to the day before issue (conf/views/). */
  public static FeatureViewSpec view() {
    return model().viewDefinition();
  }

  /** The demo model's inputs: the view's features plus the on-demand loan_to_income. */
  public static TrainingSpec trainingSpec(String algorithm, long seed) {
    return model().trainingSpec(algorithm, seed);
  }
}
