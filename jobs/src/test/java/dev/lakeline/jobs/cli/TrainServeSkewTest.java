package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.config.ConfigLoader;
import dev.lakeline.core.config.ConfigSources;
import dev.lakeline.core.config.LakelineConfig;
import dev.lakeline.featurestore.FeatureView;
import dev.lakeline.featurestore.TrainingDataset;
import dev.lakeline.featurestore.TrainingDatasetOptions;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.JobSummary;
import dev.lakeline.jobs.loans.LoanCatalog;
import dev.lakeline.jobs.pipelines.InferencePipeline;
import dev.lakeline.jobs.pipelines.TrainingPipeline;
import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.training.TrainingSpec;
import java.io.PrintStream;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * No train/serve skew: the same raw rows, through the feature pipelines and then the training path or the batch
 * inference path, give the model exactly the same input values, including the on-demand features that both paths
 * compute from the one configured steps file.
 */
@SparkTest
class TrainServeSkewTest {
  private static final String DATE = "2024-06-30";

  @Test
  void trainingAndScoringSeeIdenticalFeatureValues(SparkSession spark, TestLakehouse lh) {
    assertEquals(0, Cli.inLakehouse(lh, "generate", "--date", DATE, "--scale", "0.03").exitCode());
    Cli features = Cli.inLakehouse(lh, "features", "--date", DATE);
    assertEquals(0, features.exitCode(), features.err() + features.out());

    LakelineConfig config = ConfigLoader.load(new ConfigSources(
        CommonOptions.BUNDLED_CONFIG, null, Map.of(), Map.of("lakehouse.root", lh.uri(), "inference.window-days", "200")));
    try (JobContext ctx = JobContext.open(config, new JobSummary(new PrintStream(OutputStream.nullOutputStream())))) {
      FeatureView view = ctx.featureStore().createFeatureView(LoanCatalog.view());
      // a training dataset over the very loans that inference scores (the 200 days up to the date)
      String window = "issue_date > DATE'" + LocalDate.parse(DATE).minusDays(200) + "' AND issue_date <= DATE'" + DATE + "'";
      TrainingDataset td = view.createTrainingDataset(new TrainingDatasetOptions(window, 0.2, 7));
      Dataset<Row> atTraining = LoanCatalog.onDemand().apply(td.read());
      Dataset<Row> atScoring = InferencePipeline.features(ctx, LocalDate.parse(DATE));

      TrainingSpec spec = LoanCatalog.trainingSpec("logistic_regression", 7);
      List<String> inputs = new ArrayList<>(List.of("loan_id"));
      inputs.addAll(spec.numericFeatures());
      inputs.addAll(spec.categoricalFeatures());
      Column[] columns = inputs.stream().map(functions::col).toArray(Column[]::new);
      Dataset<Row> training = atTraining.select(columns);
      Dataset<Row> scoring = atScoring.select(columns);

      long loans = scoring.count();
      assertTrue(loans > 50, "loans scored: " + loans);
      assertEquals(loans, training.count());
      assertTrue(scoring.where("loan_to_income IS NOT NULL AND spend_count_30d IS NOT NULL").count() > loans / 2,
          "the on-demand and joined features are mostly present");
      DataFrameAssertions.assertSameRows(training, scoring); // exact: doubles compare bit for bit
    }
  }
}
