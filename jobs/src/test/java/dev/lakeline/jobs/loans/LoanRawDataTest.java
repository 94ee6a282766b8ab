package dev.lakeline.jobs.loans;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The sample sources replace the old ones only once all of them are written. */
@SparkTest
class LoanRawDataTest {
  private static Map<String, Dataset<Row>> sources(Dataset<Row> a, Dataset<Row> b) {
    Map<String, Dataset<Row>> s = new LinkedHashMap<>();
    s.put("loans", a);
    s.put("credit_reports", b);
    return s;
  }

  private static long sum(SparkSession spark, TestLakehouse lh, String source) {
    return spark.read().parquet(lh.layout().raw(source)).selectExpr("sum(id)").first().getLong(0);
  }

  @Test
  void aRunThatFailsWhileWritingLeavesTheOldSourcesWholeAndTheNextOneReplacesThem(SparkSession spark, TestLakehouse lh)
      throws Exception {
    List<String> lines = new ArrayList<>();
    LoanRawData.replace(spark, lh.layout(), sources(spark.range(10).toDF(), spark.range(5).toDF()), lines::add);
    assertEquals(45, sum(spark, lh, "loans"));
    assertEquals(2, lines.size());
    assertTrue(lines.get(0).matches("raw loans +10 rows → .*/raw/loans"), lines.get(0));

    // the second source fails while it is written: the first, already written, must not replace the old one
    Dataset<Row> failing = spark.range(100).selectExpr("id", "assert_true(id < 50) AS ok");
    assertThrows(Exception.class,
        () -> LoanRawData.replace(spark, lh.layout(), sources(spark.range(20).toDF(), failing), lines::add));
    assertEquals(45, sum(spark, lh, "loans"), "the old loans");
    assertEquals(10, sum(spark, lh, "credit_reports"), "the old credit reports");
    assertEquals(2, lines.size(), "nothing said to be written");

    Map<String, Long> counts =
        LoanRawData.replace(spark, lh.layout(), sources(spark.range(20).toDF(), spark.range(3).toDF()), lines::add);
    assertEquals(Map.of("loans", 20L, "credit_reports", 3L), counts);
    assertEquals(190, sum(spark, lh, "loans"));
    assertEquals(3, sum(spark, lh, "credit_reports"));
    Path raw = lh.root().resolve("raw");
    assertFalse(Files.exists(raw.resolve("_generating")), "the staging folder is gone, with what the failed run left");
    try (var left = Files.list(raw)) {
      assertEquals(List.of("credit_reports", "loans"), left.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }
}
