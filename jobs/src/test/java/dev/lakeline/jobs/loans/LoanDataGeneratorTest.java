package dev.lakeline.jobs.loans;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestSpark;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The sample data is the same in every session: spark-submit or a notebook may run with another time zone. */
@SparkTest
class LoanDataGeneratorTest {
  @Test
  void theSameSeedGivesTheSameDataWhateverTheSessionZone(SparkSession spark) {
    LocalDate date = LocalDate.parse("2024-06-30");
    List<Row> utc = TestSpark.inZone(spark, "UTC", () -> sorted(new LoanDataGenerator(spark, date, 0.01, 7).generate().cardTransactions()));
    for (String zone : List.of("Asia/Kolkata", "America/New_York")) {
      List<Row> other = TestSpark.inZone(spark, zone, () -> sorted(new LoanDataGenerator(spark, date, 0.01, 7).generate().cardTransactions()));
      assertEquals(utc, other, "card transactions generated in a session in " + zone);
    }
  }

  private static List<Row> sorted(Dataset<Row> rows) {
    return rows.orderBy("txn_id").collectAsList();
  }
}
