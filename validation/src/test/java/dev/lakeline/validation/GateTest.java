package dev.lakeline.validation;

import static dev.lakeline.validation.Frames.e;
import static dev.lakeline.validation.Frames.frame;
import static dev.lakeline.validation.Frames.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.udf;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.BrokenFiles;
import dev.lakeline.testkit.SparkTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class GateTest {
  private static final Expectation POSITIVE = e("expect_column_values_to_be_between", "column", "amount", "min_value", 0);
  private static final Expectation GRADES = e("expect_column_values_to_be_in_set", "column", "grade", "value_set", List.of("A", "B"));

  private static Dataset<Row> batch(SparkSession spark) {
    return frame(spark, "id INT, amount INT, grade STRING",
        row(1, 100, "A"), row(2, -5, "A"), row(3, 7, "Z"), row(4, 50, null), row(5, null, "B"))
        .persist(StorageLevel.MEMORY_ONLY());
  }

  private static List<Integer> ids(Dataset<Row> rows) {
    List<Integer> out = new ArrayList<>();
    rows.orderBy("id").collectAsList().forEach(r -> out.add(r.getInt(r.fieldIndex("id"))));
    return out;
  }

  private static ExpectationSuite suite(Expectation... es) {
    return new ExpectationSuite("loans", List.of(es));
  }

  @Test
  void anAcceptedBatchCarriesTheFingerprintOfItsRowsMeasuredInTheValidationScan(SparkSession spark) {
    Dataset<Row> b = frame(spark, "id INT, amount DOUBLE, grade STRING, at TIMESTAMP",
        row(1, 100.5, "A", java.sql.Timestamp.valueOf("2024-01-01 00:00:00")), row(2, null, "A", null),
        row(3, -7.25, null, java.sql.Timestamp.valueOf("2024-02-29 12:00:00")), row(null, 0.0, "B", null));
    try (GateResult gate = Gate.evaluate(b.persist(StorageLevel.MEMORY_ONLY()), suite(GRADES), IngestionPolicy.STRICT)) {
      assertEquals(Decision.INGESTED, gate.decision());
      assertEquals(dev.lakeline.core.delta.ContentFingerprint.compute(b), gate.acceptedFingerprint(),
          "Deequ's double-valued sums of the parts give exactly the fingerprint a separate pass computes");
    }
    try (GateResult none = Gate.evaluate(b.limit(0).persist(), suite(GRADES), IngestionPolicy.STRICT)) {
      assertEquals(dev.lakeline.core.delta.ContentFingerprint.compute(b.limit(0)), none.acceptedFingerprint());
    }
    try (GateResult split = Gate.evaluate(batch(spark), suite(POSITIVE), IngestionPolicy.QUARANTINE)) {
      assertEquals(null, split.acceptedFingerprint(), "a split batch's accepted rows are fingerprinted by the commit");
    }
  }

  @Test
  void strictRejectsOnAnyErrorAndKeepsTheBatch(SparkSession spark) {
    try (GateResult gate = Gate.evaluate(batch(spark), suite(POSITIVE, GRADES), IngestionPolicy.STRICT)) {
      assertEquals(Decision.REJECTED, gate.decision());
      assertEquals(0, gate.acceptedCount());
      assertEquals(0, gate.accepted().count());
      assertEquals(5, gate.quarantinedCount());
      assertEquals(List.of(1, 2, 3, 4, 5), ids(gate.quarantined()));
      assertFalse(gate.commits());
      assertTrue(gate.message().contains("REJECTED") && gate.message().contains(POSITIVE.label()), gate.message());
      // the message is what the user reads: nothing of a rejected batch is written anywhere, quarantine included
      assertFalse(gate.message().contains("returned as quarantined"), gate.message());
      assertTrue(gate.message().contains("none of its rows is kept in quarantine: fix the data (or the suite) and rerun the batch"),
          gate.message());
    }
  }

  @Test
  void strictIngestsWhenOnlyWarningsFail(SparkSession spark) {
    try (GateResult gate = Gate.evaluate(batch(spark), suite(POSITIVE.withSeverity(Severity.WARNING)), IngestionPolicy.STRICT)) {
      assertEquals(Decision.INGESTED, gate.decision());
      assertEquals(5, gate.acceptedCount());
      assertEquals(0, gate.quarantined().count());
      assertFalse(gate.validation().success());
      assertEquals(List.of("id", "amount", "grade"), List.of(gate.accepted().columns()));
    }
  }

  @Test
  void alwaysIngestsEverythingAndRecordsFailures(SparkSession spark) {
    try (GateResult gate = Gate.evaluate(batch(spark), suite(POSITIVE, GRADES), IngestionPolicy.ALWAYS)) {
      assertEquals(Decision.INGESTED, gate.decision());
      assertEquals(5, gate.acceptedCount());
      assertEquals(5, gate.accepted().count());
      assertEquals(2, gate.validation().errors().size());
    }
  }

  @Test
  void quarantineSplitsRowsAndTheCountsAddUp(SparkSession spark) {
    try (GateResult gate = Gate.evaluate(batch(spark), suite(POSITIVE, GRADES), IngestionPolicy.QUARANTINE)) {
      assertEquals(Decision.QUARANTINED, gate.decision());
      assertEquals(3, gate.acceptedCount());
      assertEquals(2, gate.quarantinedCount());
      assertEquals(List.of(1, 4, 5), ids(gate.accepted()));
      assertEquals(List.of("id", "amount", "grade"), List.of(gate.accepted().columns()));
      List<Row> quarantined = gate.quarantined().orderBy("id").collectAsList();
      assertEquals(List.of(2, 3), ids(gate.quarantined()));
      assertEquals(List.of(POSITIVE.label()), quarantined.get(0).getList(quarantined.get(0).fieldIndex(GateResult.FAILED_EXPECTATIONS)));
      assertEquals(List.of(GRADES.label()), quarantined.get(1).getList(quarantined.get(1).fieldIndex(GateResult.FAILED_EXPECTATIONS)));
      assertEquals(gate.validation().rowCount(), gate.acceptedCount() + gate.quarantinedCount());
    }
  }

  @Test
  void quarantineUsesTheSuitesPolicy(SparkSession spark) {
    try (GateResult gate = Gate.evaluate(batch(spark), suite(POSITIVE).withPolicy(IngestionPolicy.QUARANTINE))) {
      assertEquals(IngestionPolicy.QUARANTINE, gate.policy());
      assertEquals(Decision.QUARANTINED, gate.decision());
    }
  }

  /** mostly lets the batch pass, but a row that breaks the expectation is still quarantined. */
  @Test
  void quarantineTakesRowsThatBreakAnExpectationPassingThanksToMostly(SparkSession spark) {
    try (GateResult gate = Gate.evaluate(batch(spark), suite(POSITIVE.withKwarg("mostly", 0.5)), IngestionPolicy.QUARANTINE)) {
      assertTrue(gate.validation().success());
      assertEquals(Decision.QUARANTINED, gate.decision());
      assertEquals(List.of(2), ids(gate.quarantined()));
    }
  }

  @Test
  void quarantineIngestsWhenNoRowBreaksAnything(SparkSession spark) {
    Expectation loose = e("expect_column_values_to_be_between", "column", "amount", "min_value", -10);
    try (GateResult gate = Gate.evaluate(batch(spark), suite(loose), IngestionPolicy.QUARANTINE)) {
      assertEquals(Decision.INGESTED, gate.decision());
      assertEquals(5, gate.acceptedCount());
      assertEquals(0, gate.quarantined().count());
    }
  }

  @Test
  void quarantineRejectsWhenAnAggregateErrorFails(SparkSession spark) {
    Expectation rows = e("expect_table_row_count_to_be_between", "min_value", 10);
    try (GateResult gate = Gate.evaluate(batch(spark), suite(POSITIVE, rows), IngestionPolicy.QUARANTINE)) {
      assertEquals(Decision.REJECTED, gate.decision());
      assertTrue(gate.message().contains("aggregate"), gate.message());
      assertEquals(0, gate.acceptedCount());
      assertEquals(5, gate.quarantinedCount());
      Row second = gate.quarantined().orderBy("id").collectAsList().get(1);
      assertEquals(List.of(POSITIVE.label(), rows.label()), second.getList(second.fieldIndex(GateResult.FAILED_EXPECTATIONS)));
    }
    // as a warning it rejects nothing
    try (GateResult gate = Gate.evaluate(batch(spark), suite(POSITIVE, rows.withSeverity(Severity.WARNING)), IngestionPolicy.QUARANTINE)) {
      assertEquals(Decision.QUARANTINED, gate.decision());
      assertEquals(4, gate.acceptedCount());
    }
  }

  /** A static counter (shared by the local executors, unlike a captured one, which each task gets a copy of). */
  private static final AtomicLong CALLS = new AtomicLong();

  /**
   * A batch that changes between reads (not persisted, nondeterministic) makes the row-level split disagree with
   * the metrics; the gate refuses to decide instead of quarantining the wrong rows.
   */
  @Test
  void aSplitThatDisagreesWithTheMetricsFailsLoudly(SparkSession spark) {
    CALLS.set(0);
    UserDefinedFunction next = udf((UDF0<Long>) () -> CALLS.getAndIncrement(), DataTypes.LongType).asNondeterministic();
    Dataset<Row> drifting = spark.range(0, 10, 1, 2).withColumn("v", next.apply());
    Expectation small = e("expect_column_values_to_be_between", "column", "v", "max_value", 4);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Gate.evaluate(drifting, new ExpectationSuite("drift", List.of(small)), IngestionPolicy.QUARANTINE));
    assertTrue(e.getMessage().contains("Gate invariant broken") && e.getMessage().contains(small.label()), e.getMessage());
  }

  @Test
  void closeReleasesTheCachedSplit(SparkSession spark) {
    GateResult gate = Gate.evaluate(batch(spark), suite(POSITIVE), IngestionPolicy.QUARANTINE);
    assertTrue(gate.rowLevel().storageLevel().useMemory() || gate.rowLevel().storageLevel().useDisk());
    gate.close();
    assertEquals(StorageLevel.NONE(), gate.rowLevel().storageLevel());
  }

  @Test
  void aBatchWithTheQuarantineColumnIsRefused(SparkSession spark) {
    Dataset<Row> odd = batch(spark).withColumnRenamed("grade", GateResult.FAILED_EXPECTATIONS);
    assertThrows(LakelineException.ConfigError.class, () -> Gate.evaluate(odd, suite(POSITIVE), IngestionPolicy.QUARANTINE));
  }

  @Test
  void aBrokenContractRejectsWhateverThePolicyWhileTheSuiteIsWeighedByIt(SparkSession spark) {
    Dataset<Row> dup = frame(spark, "id INT, amount INT, grade STRING", row(1, 100, "A"), row(1, 5, "A"), row(2, 7, "B"))
        .persist(StorageLevel.MEMORY_ONLY());
    List<Expectation> key = Expectation.primaryKey(List.of("id"));
    for (IngestionPolicy policy : IngestionPolicy.values()) {
      try (GateResult gate = Gate.evaluate(dup, key, suite(POSITIVE), policy)) {
        assertEquals(Decision.REJECTED, gate.decision(), policy.name());
        assertTrue(gate.message().contains("key contract"), gate.message());
        assertEquals(0, gate.acceptedCount());
        assertEquals("expect_column_values_to_not_be_null(id)", gate.validation().results().get(0).label(), "the contract comes first");
      }
    }
    // the same expectations in the suite are the policy's to weigh
    try (GateResult always = Gate.evaluate(dup, List.of(), suite(key.toArray(Expectation[]::new)), IngestionPolicy.ALWAYS)) {
      assertEquals(Decision.INGESTED, always.decision());
    }
    try (GateResult fine = Gate.evaluate(batch(spark), key, suite(POSITIVE), IngestionPolicy.ALWAYS)) {
      assertEquals(Decision.INGESTED, fine.decision());
      assertEquals(5, fine.acceptedCount());
    }
  }

  @Test
  void anInputFileThatCannotBeReadIsRejectedNamingTheFileNotReportedAsABrokenContract(SparkSession spark, @TempDir Path dir) {
    String folder = dir.resolve("batch").toString();
    frame(spark, "id INT, amount INT, grade STRING", row(1, 100, "A"), row(2, 7, "B")).coalesce(1).write().parquet(folder);
    Path file = BrokenFiles.corruptParquetDataPages(dir.resolve("batch"));
    Dataset<Row> unreadable = spark.read().schema("id INT, amount INT, grade STRING").parquet(folder);

    LakelineException.DataRejected e = assertThrows(LakelineException.DataRejected.class,
        () -> Gate.evaluate(unreadable, Expectation.primaryKey(List.of("id")), suite(POSITIVE), IngestionPolicy.STRICT).close());
    assertTrue(e.getMessage().startsWith("The file ") && e.getMessage().contains(file.getFileName().toString() + " cannot be read: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("Nothing was written. If the file is empty, truncated or corrupt"), e.getMessage());
    assertFalse(e.getMessage().contains("key contract"), e.getMessage());
  }
}
