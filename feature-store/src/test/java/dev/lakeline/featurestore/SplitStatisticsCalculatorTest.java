package dev.lakeline.featurestore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakeline.testkit.SparkTest;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class SplitStatisticsCalculatorTest {
  @Test
  void decimalIntegerAndDoubleFeaturesGetTheSameStatistics(SparkSession spark) {
    StructType schema = new StructType()
        .add("split", DataTypes.StringType)
        .add("ts", DataTypes.TimestampType)
        .add("amount", DataTypes.createDecimalType(12, 2))
        .add("count", DataTypes.IntegerType)
        .add("rate", DataTypes.DoubleType);
    Timestamp t1 = Timestamp.valueOf("2024-01-01 00:00:00");
    Timestamp t2 = Timestamp.valueOf("2024-01-02 00:00:00");
    Dataset<Row> data = spark.createDataFrame(List.of(
        RowFactory.create("train", t1, new BigDecimal("10.50"), 1, 0.5),
        RowFactory.create("train", t2, new BigDecimal("20.25"), null, 1.5),
        RowFactory.create("test", t2, null, 3, 2.0)), schema);

    Map<String, SplitStatistics> stats =
        SplitStatisticsCalculator.compute(data, "split", "ts", List.of("amount", "count", "rate"));

    SplitStatistics train = stats.get("train");
    assertEquals(2, train.rows());
    assertEquals(new SplitStatistics.FeatureStatistics(2, 0, 15.375, 10.5, 20.25), train.features().get("amount"));
    assertEquals(new SplitStatistics.FeatureStatistics(1, 1, 1.0, 1.0, 1.0), train.features().get("count"));
    assertEquals(new SplitStatistics.FeatureStatistics(2, 0, 1.0, 0.5, 1.5), train.features().get("rate"));
    assertEquals(new SplitStatistics.FeatureStatistics(0, 1, null, null, null), stats.get("test").features().get("amount"));
  }
}
