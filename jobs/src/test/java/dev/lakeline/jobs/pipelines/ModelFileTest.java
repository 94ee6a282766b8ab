package dev.lakeline.jobs.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.featurestore.FeatureViewSpec.GroupRef;
import dev.lakeline.featurestore.FeatureViewSpec.Join;
import dev.lakeline.featurestore.ModelTransformation;
import dev.lakeline.jobs.loans.LoanCatalog;
import dev.lakeline.training.TrainingSpec;
import dev.lakeline.validation.ExpectationSuite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files: the bundled demo model as it was defined in code before, and every kind of mistake as a clear error. */
class ModelFileTest {
  private static final String VIEW = """
      name: churn
      version: 2
      base: {group: customers, version: 1}
      features: [plan, tenure_days]
      labels: [churned]
      joins:
        - group: usage
          keys: [customer_id]
          features: [minutes_7d]
      """;

  private static final String MODEL = """
      feature_view: {name: churn, version: 2, file: churn_view.yaml}
      label: churned
      features:
        numeric: [tenure_days, minutes_7d, minutes_per_day]
        categorical: [plan]
      on_demand:
        - step: ratio
          numerator: minutes_7d
          denominator: tenure_days
          output: minutes_per_day
      """;

  /**
   * The demo's view, training spec and on-demand steps as LoanCatalog defined them in code: the YAML files that replace
   * it must give the same, or lakehouses made before would see a conflicting view and retrain their models.
   */
  @Test
  void theBundledDemoModelIsTheOneDefinedInCodeBefore() {
    FeatureViewSpec before = new FeatureViewSpec(
        "loan_default", 1, new GroupRef("loans", 1), List.of("applicant_id", "loan_amount", "int_rate", "term", "purpose"),
        List.of("is_default"),
        List.of(
            new Join(new GroupRef("credit_reports", 1), List.of("applicant_id"),
                List.of("annual_income", "home_ownership", "verification_status", "revol_util", "has_bankruptcy"), "", false),
            new Join(new GroupRef("card_spend", 1), List.of("applicant_id"), List.of("spend_count_30d", "spend_sum_30d"), "", true)),
        "Loan default: loan terms, the credit report valid at issue, and card spending before the issue day.")
        .withTransformation("loan_amount", ModelTransformation.ROBUST_SCALER)
        .withTransformation("annual_income", ModelTransformation.ROBUST_SCALER)
        .withTransformation("spend_sum_30d", ModelTransformation.ROBUST_SCALER)
        .withTransformation("int_rate", ModelTransformation.STANDARD_SCALER)
        .withTransformation("revol_util", ModelTransformation.MIN_MAX_SCALER);
    assertEquals(before, LoanCatalog.view());

    TrainingSpec spec = new TrainingSpec("logistic_regression",
        List.of("loan_amount", "int_rate", "term", "annual_income", "revol_util", "has_bankruptcy", "spend_count_30d", "spend_sum_30d",
            "loan_to_income"),
        List.of("purpose", "home_ownership", "verification_status"), "is_default", 7);
    assertEquals(spec.toString(), LoanCatalog.trainingSpec("logistic_regression", 7).toString(), "part of the models' run keys");

    ModelDefinition model = LoanCatalog.model();
    assertEquals("loan_default v1", model.viewLabel());
    assertEquals("loan_to_income", model.onDemand().steps().get(0).parameters().get("output"));
    assertEquals(dev.lakeline.transformations.PipelineSteps.toYaml(dev.lakeline.transformations.PipelineSteps.fromYaml(bundled("on_demand/loan_default.yaml"))),
        dev.lakeline.transformations.PipelineSteps.toYaml(model.onDemand()), "as the steps file was read before: part of the run keys");
    FeatureGroupSpec loans = FeatureGroupSpec.of("loans", List.of("loan_id"), "issue_date");
    assertEquals(List.of("loan_id", "applicant_id", "issue_date", "score", "prediction", "model_name", "model_version"),
        model.predictionColumns(loans), "the predictions table's columns, as before");
    assertEquals("predictions", model.suite(loans).name());
    assertEquals(4, model.suite(loans).expectations().size());
  }

  @Test
  void aModelFileNamesItsViewFileAndInlineStepsAndGetsADefaultSuite(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("churn_view.yaml"), VIEW);
    Path file = Files.writeString(dir.resolve("churn.yaml"), MODEL);
    ModelDefinition model = ModelFile.load(file.toString());
    assertEquals("churn v2", model.viewLabel());
    assertEquals(dir.resolve("churn_view.yaml").toString(), model.viewFile(), "relative to the model file's folder");
    assertEquals(List.of("tenure_days", "minutes_7d", "minutes_per_day"), model.numericFeatures());
    assertEquals("minutes_per_day", model.onDemand().steps().get(0).parameters().get("output"));
    assertNull(model.predictionsSuite());
    FeatureGroupSpec customers = FeatureGroupSpec.of("customers", List.of("customer_id", "region"), "snapshot_ts");
    assertEquals(List.of("customer_id", "region"), model.ids(customers), "the base group's primary key by default");
    ExpectationSuite suite = model.suite(customers);
    assertEquals("expect_compound_columns_to_be_unique", suite.expectations().get(0).type());
    assertEquals(List.of("customer_id", "region"), suite.expectations().get(0).kwargs().get("column_list"));
    assertEquals(List.of("customer_id", "region", "snapshot_ts", "score", "prediction", "model_name", "model_version"),
        model.predictionColumns(customers));
  }

  @Test
  void mistakesAreConfigErrorsNamingTheFileAndTheField(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("churn_view.yaml"), VIEW);
    assertError(dir, MODEL.replace("label: churned", "labels: churned"),
        "churn.yaml: labels: unknown field. Did you mean 'label'?");
    assertError(dir, MODEL.replace("label: churned\n", ""), "churn.yaml: label: is required");
    assertError(dir, MODEL.replace("[plan]", "[plan, churned]"),
        "churn.yaml: features.categorical: 'churned' is the label: a model that takes its label as an input learns nothing.");
    assertError(dir, MODEL.replace("[plan]", "[plan, tenure_days]"),
        "'tenure_days' is listed as numeric and as categorical");
    assertError(dir, MODEL.replace("version: 2, file", "version: 3, file"),
        "feature_view.file: " + dir.resolve("churn_view.yaml") + " defines feature view churn v2, not churn v3.");
    assertError(dir, MODEL.replace("step: ratio", "step: ration"), "on_demand: steps[1]");
    assertError(dir, MODEL.replace("file: churn_view.yaml", "file: nope.yaml"),
        "churn.yaml: feature_view.file: the feature view file 'nope.yaml' does not exist");
    assertError(dir, MODEL + "predictions_suite: missing.yaml\n",
        "churn.yaml: predictions_suite: the expectation suite file 'missing.yaml' does not exist");
    assertError(dir, "feature_view: {name: churn}\nlabel: churned\nfeatures: {numeric: []}\n",
        "features.numeric: the model has no inputs");
    LakelineException gone = assertThrows(LakelineException.NotFound.class, () -> ModelFile.load(dir.resolve("no.yaml").toString()));
    assertEquals("Model file " + dir.resolve("no.yaml") + " does not exist.", gone.getMessage());
  }

  @Test
  void idsAndKeptColumnsMustBeColumnsOfTheViewsRows(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("churn_view.yaml"), VIEW);
    // what the view's definition decides: when the file is loaded
    assertError(dir, MODEL + "id_columns: [churned]\n", "churn.yaml: id_columns: 'churned' is a label of feature view churn v2");
    assertError(dir, MODEL + "id_columns: [Minutes_7d]\n",
        "churn.yaml: id_columns: 'Minutes_7d' is a feature that feature view churn v2 joins from group usage v1");
    assertError(dir, MODEL + "keep_columns: [churned]\n", "churn.yaml: keep_columns: 'churned' is a label of feature view churn v2");

    // what the base group decides: when a job checks the file against the view
    FeatureGroupSpec customers = FeatureGroupSpec.of("customers", List.of("customer_id"), "snapshot_ts");
    StructType schema = StructType.fromDDL(
        "customer_id string, snapshot_ts timestamp_ntz, plan string, tenure_days int, region string, churned int");
    ModelDefinition ok = load(dir, MODEL + "id_columns: [customer_id, snapshot_ts]\nkeep_columns: [plan, minutes_7d]\n");
    ok.check(ok.viewDefinition(), customers, schema);
    assertEquals("TIMESTAMP_NTZ'2024-03-01 00:00:00'", ok.timeLiteral(customers, schema, java.time.LocalDate.of(2024, 3, 1)),
        "a TIMESTAMP_NTZ event time is compared with its UTC wall-clock time");
    assertCheckError(load(dir, MODEL + "id_columns: [region]\n"), customers, schema,
        "churn.yaml: id_columns: 'region' is a column of the base group customers, but feature view churn v2's rows do not "
            + "carry it (they have [customer_id, snapshot_ts, plan, tenure_days, minutes_7d]): neither its training datasets "
            + "nor the batches it scores would have it, so monitoring could not leave out a version's training rows.");
    assertCheckError(load(dir, MODEL + "id_columns: [email]\n"), customers, schema,
        "churn.yaml: id_columns: 'email' is not a column of the base group customers");
    assertCheckError(load(dir, MODEL + "keep_columns: [region]\n"), customers, schema,
        "churn.yaml: keep_columns: 'region' is not a column of feature view churn v2's rows, which inference scores");
    assertCheckError(load(dir, MODEL), customers, StructType.fromDDL("customer_id string, snapshot_ts string, churned int"),
        "the event time 'snapshot_ts' of feature view churn v2's base group is string");
  }

  private static ModelDefinition load(Path dir, String text) throws IOException {
    return ModelFile.load(Files.writeString(dir.resolve("churn.yaml"), text).toString());
  }

  private static void assertCheckError(ModelDefinition model, FeatureGroupSpec base, StructType schema, String expected) {
    LakelineException e = assertThrows(LakelineException.ConfigError.class, () -> model.check(model.viewDefinition(), base, schema));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static String bundled(String resource) {
    try (java.io.InputStream in = ModelFileTest.class.getClassLoader().getResourceAsStream("lakeline-conf/" + resource)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertError(Path dir, String text, String expected) throws IOException {
    Path file = Files.writeString(dir.resolve("churn.yaml"), text);
    LakelineException e = assertThrows(LakelineException.class, () -> ModelFile.load(file.toString()));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
