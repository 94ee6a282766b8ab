package dev.lakeline.validation;

import static dev.lakeline.validation.Frames.e;
import static dev.lakeline.validation.Frames.frame;
import static dev.lakeline.validation.Frames.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.delta.CommitRequest;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.core.delta.StagedAppend;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

/**
 * The gate measured inside the Delta write's pass decides exactly as the separate pass does (same report, same
 * decision), reads the batch once, computes no content fingerprint (the commit defers it to the staged files),
 * and declines what needs a pass of its own.
 */
@SparkTest
class WriteGateTest {
  private static final String DDL = "id INT, ts STRING, amount DOUBLE, grade STRING";

  private static ExpectationSuite suite() {
    List<Expectation> all = new ArrayList<>(Expectation.primaryKey(List.of("id", "ts")));
    all.add(e("expect_column_values_to_be_between", "column", "amount", "min_value", 0));
    all.add(e("expect_column_values_to_be_in_set", "column", "grade", "value_set", List.of("A", "B")));
    all.add(e("expect_column_values_to_not_be_null", "column", "grade").withSeverity(Severity.WARNING));
    all.add(e("expect_column_mean_to_be_between", "column", "amount", "min_value", 0, "max_value", 100));
    all.add(e("expect_column_stdev_to_be_between", "column", "amount", "max_value", 1000));
    all.add(e("expect_column_max_to_be_between", "column", "amount", "max_value", 1000));
    all.add(e("expect_row_values_to_satisfy_sql", "condition", "amount IS NULL OR amount < 500"));
    all.add(e("expect_table_row_count_to_be_between", "min_value", 1));
    return new ExpectationSuite("orders", all);
  }

  private static Dataset<Row> passing(SparkSession spark) {
    return frame(spark, DDL, row(1, "d1", 10.0, "A"), row(2, "d1", 20.0, "B"), row(1, "d2", 30.0, "A"), row(3, "d1", 40.0, null));
  }

  private static Dataset<Row> failing(SparkSession spark) {
    return frame(spark, DDL,
        row(1, "d1", -10.0, "A"), row(2, "d1", 20.0, "Z"), row(3, "d1", null, "B"), row(4, "d1", 700.0, "A"));
  }

  private static Dataset<Row> duplicateKeys(SparkSession spark) {
    return frame(spark, DDL,
        row(1, "d1", 10.0, "A"), row(1, "d1", 20.0, "B"), row(null, null, 5.0, "A"), row(null, null, 6.0, "A"),
        row(2, "d1", 7.0, "B"));
  }

  /** A Delta table with the batch's schema and no rows. */
  private static String emptyTable(SparkSession spark, TestLakehouse lake, Dataset<Row> like, String name) {
    String path = lake.layout().predictions(name);
    DeltaCommits.commit(spark, CommitRequest.append(path, like.limit(0), "create"));
    return path;
  }

  /** Stages the gate's rows in a Delta table, decides, and abandons the files. */
  private static GateResult inWritePass(
      SparkSession spark, TestLakehouse lake, Dataset<Row> batch, IngestionPolicy policy, String table) {
    String path = emptyTable(spark, lake, batch, table);
    try (WriteGate gate = WriteGate.prepare(batch, suite(), policy).orElseThrow()) {
      StagedAppend staged = StagedAppend.write(spark, CommitRequest.append(path, gate.rows(), "b1")).orElseThrow();
      try {
        return gate.decide().orElseThrow();
      } finally {
        staged.abort();
      }
    }
  }

  private static void assertSameDecision(GateResult separate, GateResult inPass) {
    assertEquals(separate.validation(), inPass.validation());
    assertEquals(separate.decision(), inPass.decision());
    assertEquals(separate.acceptedCount(), inPass.acceptedCount());
    assertEquals(separate.quarantinedCount(), inPass.quarantinedCount());
    assertEquals(separate.message(), inPass.message());
    assertNull(inPass.acceptedFingerprint(), "the write's pass hashes no rows for a fingerprint");
  }

  @Test
  void aPassingBatchGetsTheSeparatePasssReport(SparkSession spark, TestLakehouse lake) {
    Dataset<Row> batch = passing(spark);
    GateResult inPass = inWritePass(spark, lake, batch, IngestionPolicy.STRICT, "passing");
    GateResult separate = Gate.evaluate(batch, suite(), IngestionPolicy.STRICT);

    assertEquals(Decision.INGESTED, inPass.decision());
    assertFalse(inPass.validation().success(), "the warning on a null grade is reported");
    assertTrue(inPass.validation().errors().isEmpty());
    assertSameDecision(separate, inPass);
  }

  @Test
  void aFailingBatchIsRejectedOrRecordedAsTheSeparatePassDecides(SparkSession spark, TestLakehouse lake) {
    Dataset<Row> batch = failing(spark);
    GateResult strict = inWritePass(spark, lake, batch, IngestionPolicy.STRICT, "failing_strict");
    GateResult always = inWritePass(spark, lake, batch, IngestionPolicy.ALWAYS, "failing_always");

    assertEquals(Decision.REJECTED, strict.decision());
    assertEquals(Decision.INGESTED, always.decision());
    assertSameDecision(Gate.evaluate(batch, suite(), IngestionPolicy.STRICT), strict);
    assertSameDecision(Gate.evaluate(batch, suite(), IngestionPolicy.ALWAYS), always);
  }

  @Test
  void duplicateKeysAreCountedExactlyByDeequsGrouping(SparkSession spark, TestLakehouse lake) {
    Dataset<Row> batch = duplicateKeys(spark);
    GateResult inPass = inWritePass(spark, lake, batch, IngestionPolicy.STRICT, "duplicates");

    ExpectationResult unique = inPass.validation().results().stream()
        .filter(r -> r.expectation().type().equals("expect_compound_columns_to_be_unique")).findFirst().orElseThrow();
    assertFalse(unique.success());
    assertEquals(4L, unique.unexpectedCount(), "(1, d1) twice and (null, null) twice");
    assertEquals(Decision.REJECTED, inPass.decision());
    assertSameDecision(Gate.evaluate(batch, suite(), IngestionPolicy.STRICT), inPass);
  }

  @Test
  void thePassingBatchIsReadOnceForTheWriteAndTheWholeSuite(SparkSession spark, TestLakehouse lake) {
    Dataset<Row> base = spark.range(0, 1000, 1, 2)
        .selectExpr("CAST(id AS INT) AS id", "'d1' AS ts", "CAST(id % 90 AS DOUBLE) AS amount", "IF(id % 2 = 0, 'A', 'B') AS grade");
    LongAccumulator partitionsRead = spark.sparkContext().longAccumulator();
    JavaRDD<Row> counted = base.javaRDD().mapPartitions(it -> {
      partitionsRead.add(1);
      return it;
    });
    Dataset<Row> batch = spark.createDataFrame(counted, base.schema());
    String path = emptyTable(spark, lake, base, "once");
    partitionsRead.reset();

    GateResult decided;
    try (WriteGate gate = WriteGate.prepare(batch, suite(), IngestionPolicy.STRICT).orElseThrow()) {
      StagedAppend staged = StagedAppend.write(spark, CommitRequest.append(path, gate.rows(), "b1")).orElseThrow();
      decided = gate.decide().orElseThrow();
      staged.abort();
    }

    assertTrue(decided.validation().success(), decided.validation().failureSummary());
    assertEquals(1000, decided.validation().rowCount());
    assertEquals(2, partitionsRead.value(), "one pass over both partitions: the write's");
  }

  @Test
  void suitesThatNeedAPassOfTheirOwnAreDeclined(SparkSession spark) {
    Dataset<Row> batch = passing(spark);
    assertTrue(WriteGate.prepare(batch, suite(), IngestionPolicy.QUARANTINE).isEmpty(), "QUARANTINE splits the rows");
    assertTrue(WriteGate.prepare(batch, suite().with(e("expect_column_values_to_be_unique", "column", "grade")),
        IngestionPolicy.STRICT).isEmpty(), "uniqueness that skips missing values groups with Deequ");
    assertTrue(WriteGate.prepare(batch, suite().with(e("expect_column_median_to_be_between", "column", "amount", "min_value", 0)),
        IngestionPolicy.STRICT).isEmpty(), "the exact median");
    assertTrue(WriteGate.prepare(batch, suite().with(e("expect_column_proportion_of_unique_values_to_be_between",
        "column", "grade", "min_value", 0)), IngestionPolicy.STRICT).isEmpty(), "distinct values group");
    Optional<WriteGate> fits = WriteGate.prepare(batch, suite(), IngestionPolicy.ALWAYS);
    assertTrue(fits.isPresent());
    fits.get().close();
  }

  @Test
  void anEmptyBatchIsLeftToTheSeparatePass(SparkSession spark, TestLakehouse lake) {
    Dataset<Row> batch = passing(spark).limit(0);
    String path = emptyTable(spark, lake, batch, "empty");
    try (WriteGate gate = WriteGate.prepare(batch, suite(), IngestionPolicy.STRICT).orElseThrow()) {
      StagedAppend staged = StagedAppend.write(spark, CommitRequest.append(path, gate.rows(), "b1")).orElseThrow();
      assertTrue(gate.decide().isEmpty());
      staged.abort();
    }
  }
}
