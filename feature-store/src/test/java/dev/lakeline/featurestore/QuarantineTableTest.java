package dev.lakeline.featurestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.validation.Decision;
import dev.lakeline.validation.Expectation;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.IngestionPolicy;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The quarantine table of a QUARANTINE group: a batch's slice, reserved column names, added features. */
@SparkTest
class QuarantineTableTest {
  private static final ExpectationSuite SUITE = new ExpectationSuite("amounts",
      List.of(Expectation.of("expect_column_values_to_be_between", Map.of("column", "amount", "min_value", 0))),
      IngestionPolicy.QUARANTINE);

  private static Dataset<Row> rows(SparkSession spark, String values) {
    return spark.sql(
        "SELECT CAST(id AS STRING) AS id, CAST(ts AS TIMESTAMP) AS ts, CAST(amount AS DOUBLE) AS amount FROM VALUES "
            + values + " AS t(id, ts, amount)");
  }

  private static FeatureGroup group(SparkSession spark, TestLakehouse lh, String name) {
    return FeatureStore.open(spark, lh.layout())
        .createFeatureGroup(FeatureGroupSpec.of(name, List.of("id"), "ts").withSuite(SUITE),
            rows(spark, "('a', '2024-01-01 00:00:00', 1.0)").schema());
  }

  @Test
  void aRerunOfTheBatchReplacesItsSliceEvenWhenItHoldsNothingBack(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = group(spark, lh, "rerun");
    InsertResult first = g.insert(
        rows(spark, "('a', '2024-01-01 00:00:00', 1.0), ('b', '2024-01-01 00:00:00', -1.0)"), InsertOptions.upsert("b1"));
    assertEquals(Decision.QUARANTINED, first.decision());
    g.insert(rows(spark, "('c', '2024-01-01 00:00:00', -2.0)"), InsertOptions.upsert("other"));
    assertEquals(2, g.quarantined().count());

    InsertResult fixed = g.insert(
        rows(spark, "('a', '2024-01-01 00:00:00', 1.0), ('b', '2024-01-01 00:00:00', 3.0)"), InsertOptions.upsert("b1"));
    assertEquals(Decision.INGESTED, fixed.decision());
    List<Row> held = g.quarantined().collectAsList();
    assertEquals(1, held.size(), "b1's stale row is gone; the other batch's row stays: " + held);
    assertEquals("other", held.get(0).getString(held.get(0).fieldIndex("batch_id")));
  }

  @Test
  void columnsNamedLikeTheQuarantinesOwnAreRefused(SparkSession spark, TestLakehouse lh) {
    Dataset<Row> withBatchId = rows(spark, "('a', '2024-01-01 00:00:00', 1.0)").withColumnRenamed("amount", "batch_id");
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    ExpectationSuite none = new ExpectationSuite("none", List.of(), IngestionPolicy.QUARANTINE);
    var e = assertThrows(LakelineException.ConfigError.class, () -> store.createFeatureGroup(
        FeatureGroupSpec.of("reserved", List.of("id"), "ts").withSuite(none), withBatchId.schema()));
    assertTrue(e.getMessage().contains("batch_id") && e.getMessage().contains("Rename"), e.getMessage());
    // other policies have no quarantine table: the name is theirs to use
    FeatureGroup strict = store.createFeatureGroup(
        FeatureGroupSpec.of("reserved_ok", List.of("id"), "ts"), withBatchId.schema());
    assertEquals(1, strict.insert(withBatchId, InsertOptions.append("b1")).rows());
  }

  @Test
  void addedFeaturesReachTheQuarantineTable(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = group(spark, lh, "evolving");
    g.insert(rows(spark, "('a', '2024-01-01 00:00:00', -1.0)"), InsertOptions.append("b1"));
    FeatureGroup evolved = g.addFeatures(List.of(new NewFeature("risk", "double", "0.5")));
    InsertResult r = evolved.insert(
        rows(spark, "('b', '2024-01-02 00:00:00', 2.0), ('c', '2024-01-02 00:00:00', -3.0)"), InsertOptions.append("b2"));
    assertEquals(Decision.QUARANTINED, r.decision());
    assertEquals(1, r.rows());
    Row held = evolved.quarantined().where("batch_id = 'b2'").head();
    assertEquals("c", held.getString(held.fieldIndex("id")));
    assertEquals(0.5, held.getDouble(held.fieldIndex("risk")));
    assertEquals(2, evolved.quarantined().count());
  }
}
