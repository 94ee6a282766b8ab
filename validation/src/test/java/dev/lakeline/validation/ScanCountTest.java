package dev.lakeline.validation;

import static dev.lakeline.validation.Frames.e;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

/**
 * How often validation reads the batch, counted with an accumulator in the batch's source (one increment per
 * partition read): every scan-shareable expectation shares one pass; a uniqueness key adds Deequ's two
 * grouping passes.
 */
@SparkTest
class ScanCountTest {
  private static final int PARTITIONS = 2;

  private record Counted(Dataset<Row> batch, LongAccumulator partitionsRead) {
    long passes() {
      return partitionsRead.value() / PARTITIONS;
    }
  }

  private static Counted counted(SparkSession spark) {
    Dataset<Row> base = spark.range(0, 1000, 1, PARTITIONS)
        .selectExpr("id", "CAST(id % 7 AS INT) AS grade", "CAST(id * 1.5 AS DOUBLE) AS amount", "CONCAT('k', id) AS code");
    LongAccumulator reads = spark.sparkContext().longAccumulator();
    JavaRDD<Row> rows = base.javaRDD().mapPartitions(it -> {
      reads.add(1);
      return it;
    });
    return new Counted(spark.createDataFrame(rows, base.schema()), reads);
  }

  private static final List<Expectation> SHAREABLE = List.of(
      e("expect_column_values_to_not_be_null", "column", "id"),
      e("expect_column_values_to_be_between", "column", "amount", "min_value", 0),
      e("expect_column_values_to_be_in_set", "column", "grade", "value_set", List.of(0, 1, 2, 3, 4, 5, 6)),
      e("expect_column_values_to_not_be_in_set", "column", "grade", "value_set", List.of(9)),
      e("expect_column_values_to_match_regex", "column", "code", "regex", "^k[0-9]+$"),
      e("expect_column_value_lengths_to_be_between", "column", "code", "min_value", 2),
      e("expect_column_mean_to_be_between", "column", "amount", "min_value", 0),
      e("expect_column_stdev_to_be_between", "column", "amount", "min_value", 0),
      e("expect_column_median_to_be_between", "column", "grade", "min_value", 0),
      e("expect_row_values_to_satisfy_sql", "condition", "amount >= id"),
      e("expect_table_row_count_to_be_between", "min_value", 1000, "max_value", 1000),
      e("expect_column_values_to_be_of_type", "column", "id", "type_", "bigint"));

  @Test
  void scanShareableExpectationsShareOnePass(SparkSession spark) {
    Counted c = counted(spark);
    ValidationResult result = Validator.validate(c.batch(), new ExpectationSuite("s", SHAREABLE));
    assertTrue(result.success(), result.failureSummary());
    assertEquals(1, c.passes(), "partitions read: " + c.partitionsRead().value());
  }

  @Test
  void aUniquenessKeyAddsDeequsGroupingPasses(SparkSession spark) {
    Counted c = counted(spark);
    ExpectationSuite suite = new ExpectationSuite("s", SHAREABLE)
        .with(e("expect_column_values_to_be_unique", "column", "id"))
        .with(e("expect_column_proportion_of_unique_values_to_be_between", "column", "id", "min_value", 1));
    ValidationResult result = Validator.validate(c.batch(), suite);
    assertTrue(result.success(), result.failureSummary());
    assertEquals(3, c.passes(), "one shared pass + count + group-by for the key 'id' (shared by both): " + c.partitionsRead().value());
  }
}
