package dev.lakeline.transformations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.SparkTest;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class FeaturesTest {
  @Test
  void zip5CleansWhatFormsProduce(SparkSession spark) {
    StructType schema = new StructType().add("zip_code", DataTypes.StringType);
    List<Row> in = Arrays.asList(
        RowFactory.create("94105"), RowFactory.create("94105-1234"), RowFactory.create(" 10001 "),
        RowFactory.create("2139"), RowFactory.create("501"), RowFactory.create("N/A"), RowFactory.create("123456"),
        RowFactory.create((Object) null));
    List<String> out = LoanFeatures.loans().apply(spark.createDataFrame(in, schema)).select("zip5").collectAsList()
        .stream().map(r -> r.isNullAt(0) ? null : r.getString(0)).toList();
    assertEquals(Arrays.asList("94105", "94105", "10001", "02139", "00501", null, null, null), out);
  }

  @Test
  void ratioIsNullForMissingOrZeroDenominators(SparkSession spark) {
    StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.IntegerType);
    Dataset<Row> df = spark.createDataFrame(
        List.of(RowFactory.create(6.0, 3), RowFactory.create(1.0, 0), RowFactory.create(1.0, null), RowFactory.create(null, 2)), schema);
    List<Row> out = Features.ratio("a", "b", "r").apply(df).select("r").collectAsList();
    assertEquals(2.0, out.get(0).getDouble(0));
    assertTrue(out.get(1).isNullAt(0) && out.get(2).isNullAt(0) && out.get(3).isNullAt(0));
  }

  @Test
  void positiveFlagKeepsNulls(SparkSession spark) {
    StructType schema = new StructType().add("n", DataTypes.IntegerType);
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(0), RowFactory.create(2), RowFactory.create((Object) null)), schema);
    List<Row> out = LoanFeatures.creditReports().apply(df.withColumnRenamed("n", "bankruptcies")).select("has_bankruptcy").collectAsList();
    assertEquals(0, out.get(0).getInt(0));
    assertEquals(1, out.get(1).getInt(0));
    assertTrue(out.get(2).isNullAt(0));
  }

  @Test
  void dailyTrailingWindowIncludesTheLastNDaysAndNotTheDayBefore(SparkSession spark) {
    StructType schema = new StructType()
        .add("who", DataTypes.StringType).add("ts", DataTypes.TimestampType).add("v", DataTypes.DoubleType);
    Dataset<Row> df = spark.createDataFrame(List.of(
        RowFactory.create("a", Timestamp.valueOf("2024-01-01 23:59:59"), 1.0),
        RowFactory.create("a", Timestamp.valueOf("2024-01-03 00:00:00"), 2.0),
        RowFactory.create("a", Timestamp.valueOf("2024-01-03 12:00:00"), null),
        RowFactory.create("a", Timestamp.valueOf("2024-01-04 08:00:00"), 4.0),
        RowFactory.create("b", Timestamp.valueOf("2024-01-04 08:00:00"), 10.0)), schema);
    Dataset<Row> out = Features.dailyTrailingAggregates("who", "ts", "v", 3, "s").apply(df);
    StructType expectedSchema = new StructType()
        .add("who", DataTypes.StringType).add("day", DataTypes.DateType)
        .add("s_count_3d", DataTypes.LongType).add("s_sum_3d", DataTypes.DoubleType);
    // 3-day window ending on a day: that day and the two before. On 01-04 the event of 01-01 is out.
    Dataset<Row> expected = spark.createDataFrame(List.of(
        RowFactory.create("a", java.sql.Date.valueOf("2024-01-01"), 1L, 1.0),
        RowFactory.create("a", java.sql.Date.valueOf("2024-01-03"), 2L, 3.0),
        RowFactory.create("a", java.sql.Date.valueOf("2024-01-04"), 2L, 6.0),
        RowFactory.create("b", java.sql.Date.valueOf("2024-01-04"), 1L, 10.0)), expectedSchema);
    DataFrameAssertions.assertSameRows(expected, out);
  }

  @Test
  void contractsNameTheColumnAndTheTransformation(SparkSession spark) {
    Dataset<Row> df = spark.range(1).toDF("id").selectExpr("id", "'x' AS s");
    var missing = assertThrows(LakelineException.ConfigError.class, () -> Features.ratio("a", "id", "r").apply(df));
    assertTrue(missing.getMessage().contains("'ratio'") && missing.getMessage().contains("'a'"), missing.getMessage());
    var type = assertThrows(LakelineException.ConfigError.class, () -> Features.ratio("s", "id", "r").apply(df));
    assertTrue(type.getMessage().contains("numeric") && type.getMessage().contains("'s'"), type.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> Features.dailyTrailingAggregates("id", "s", "id", 0, "p"));
  }

  @Test
  void transformationsCompose(SparkSession spark) {
    Dataset<Row> df = spark.range(3).selectExpr("CAST(id AS DOUBLE) AS a", "CAST(id + 1 AS INT) AS b");
    Transformation t = Transformation.chain(Features.ratio("a", "b", "r"), Features.positiveFlag("b", "f"));
    assertEquals(List.of("a", "b", "r", "f"), Arrays.asList(t.apply(df).columns()));
  }
}
