package dev.lakeline.transformations;

import static dev.lakeline.transformations.TestData.frame;
import static dev.lakeline.transformations.TestData.row;

import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The demo domain's features are the library's steps: the same pipeline written in YAML gives the same rows. */
@SparkTest
class LoanFeaturesTest {
  @Test
  void loanFeaturesAreTheLibrarysSteps(SparkSession spark) {
    Dataset<Row> df = frame(spark,
        StructType.fromDDL("zip_code string, bankruptcies int, loan_amount double, annual_income double"),
        row(" 2139 ", 0, 10000.0, 50000.0), row("94105-1234", 3, 5000.0, 0.0), row(null, null, null, 1.0));
    Transformation java = Transformation.chain(LoanFeatures.loans(), LoanFeatures.creditReports(), LoanFeatures.onDemand());
    Pipeline yaml = PipelineSteps.fromYaml("""
        steps:
          - step: zip5
            column: zip_code
            output: zip5
          - step: positive_flag
            column: bankruptcies
            output: has_bankruptcy
          - step: ratio
            numerator: loan_amount
            denominator: annual_income
            output: loan_to_income
        """);
    DataFrameAssertions.assertSameRows(java.apply(df), yaml.apply(df));
    Dataset<Row> expected = frame(spark, StructType.fromDDL(
            "zip_code string, bankruptcies int, loan_amount double, annual_income double, zip5 string, "
                + "has_bankruptcy int, loan_to_income double"),
        row(" 2139 ", 0, 10000.0, 50000.0, "02139", 0, 0.2),
        row("94105-1234", 3, 5000.0, 0.0, "94105", 1, null),
        row(null, null, null, 1.0, null, null, null));
    DataFrameAssertions.assertSameRows(expected, yaml.apply(df));
  }
}
