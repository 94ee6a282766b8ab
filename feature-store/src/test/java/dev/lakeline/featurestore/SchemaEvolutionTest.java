package dev.lakeline.featurestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class SchemaEvolutionTest {
  private static Dataset<Row> v1Rows(SparkSession spark, String values) {
    return spark.sql("SELECT CAST(id AS STRING) AS id, CAST(ts AS DATE) AS ts, CAST(x AS INT) AS x FROM VALUES " + values + " AS t(id, ts, x)");
  }

  @Test
  void addingFeaturesWithDefaultsKeepsOldPipelinesWorking(SparkSession spark, TestLakehouse lh) {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    FeatureGroupSpec spec = FeatureGroupSpec.of("g", List.of("id"), "ts");
    StructType oldSchema = v1Rows(spark, "('a', '2024-01-01', 1)").schema();
    FeatureGroup g = store.createFeatureGroup(spec, oldSchema);
    g.insert(v1Rows(spark, "('a', '2024-01-01', 1)"), InsertOptions.append("b1"));

    FeatureGroup evolved = g.addFeatures(List.of(new NewFeature("y", "double", "0.5"), new NewFeature("tag", "string", "'none'")));
    assertEquals(List.of("id", "ts", "x", "y", "tag"), List.of(evolved.schema().fieldNames()));
    DataFrameAssertions.assertSameRows(
        spark.sql("SELECT 'a' AS id, DATE'2024-01-01' AS ts, 1 AS x, 0.5D AS y, 'none' AS tag"), evolved.read());

    // an old pipeline: same spec, old schema, batches without the new columns
    FeatureGroup again = store.createFeatureGroup(spec, oldSchema);
    again.insert(v1Rows(spark, "('b', '2024-01-02', 2)"), InsertOptions.append("b2"));
    assertEquals(1, again.read().where("id = 'b' AND y = 0.5 AND tag = 'none'").count());
    // a new pipeline that carries the feature
    again.insert(
        spark.sql("SELECT 'c' AS id, DATE'2024-01-03' AS ts, 3 AS x, 9.0D AS y, 'new' AS tag"), InsertOptions.append("b3"));
    assertEquals(9.0, again.read().where("id = 'c'").head().getDouble(3));
    assertEquals("0.5", FeatureStore.open(spark, lh.layout()).getFeatureGroup("g", 1).featureDefaults().get("y"), "survives a new store");

    long before = evolved.deltaVersion();
    evolved.addFeatures(List.of(new NewFeature("y", "double", "0.5"))); // a rerun is fine
    assertEquals(before, evolved.deltaVersion(), "a rerun writes nothing");
    var newDefault = assertThrows(LakelineException.Conflict.class, () -> evolved.addFeatures(List.of(new NewFeature("y", "double", "1.0"))));
    assertTrue(newDefault.getMessage().contains("was added with the default 0.5, not 1.0"), newDefault.getMessage());
    var breaking = assertThrows(LakelineException.Conflict.class, () -> evolved.addFeatures(List.of(new NewFeature("x", "string", "''"))));
    assertTrue(breaking.getMessage().contains("createNextVersion"), breaking.getMessage());
  }

  @Test
  void aDefaultMustBeAValueOfItsFeaturesTypeOrNothingIsChanged(SparkSession spark, TestLakehouse lh) {
    FeatureGroup g = FeatureStore.open(spark, lh.layout()).createFeatureGroup(
        FeatureGroupSpec.of("g", List.of("id"), "ts"), v1Rows(spark, "('a', '2024-01-01', 1)").schema());
    g.insert(v1Rows(spark, "('a', '2024-01-01', 1)"), InsertOptions.append("b1"));
    long version = g.deltaVersion();
    String[][] refused = { // type, default, what the cast made of it
      {"double", "'abc'", "NULL"},
      {"float", "'1,5'", "NULL"},
      {"int", "'abc'", "NULL"},
      {"int", "1.7", "1"},
      {"int", "3000000000", "-1294967296"},
      {"bigint", "'12x'", "NULL"},
      {"smallint", "40000", "-25536"},
      {"decimal(10,2)", "1.234", "1.23"},
      {"decimal(3,1)", "12345", "NULL"},
      {"boolean", "'maybe'", "NULL"},
      {"date", "'2024-13-01'", "NULL"},
      {"timestamp", "'noon'", "NULL"},
    };
    for (String[] c : refused) {
      var e = assertThrows(LakelineException.ConfigError.class, () -> g.addFeatures(List.of(new NewFeature("f", c[0], c[1]))));
      assertTrue(e.getMessage().startsWith("New feature 'f' of g v1 has the default " + c[1] + ", which is not a value of type "
          + org.apache.spark.sql.types.DataType.fromDDL(c[0]).simpleString() + ": cast to"), c[0] + " " + c[1] + ": " + e.getMessage());
      assertTrue(e.getMessage().contains(" it is " + c[2] + ".") && e.getMessage().endsWith("Nothing was changed."), e.getMessage());
    }
    var bare = assertThrows(LakelineException.ConfigError.class, () -> g.addFeatures(List.of(new NewFeature("f", "string", "none"))));
    assertTrue(bare.getMessage().contains("not a SQL literal of type string (a string needs quotes"), bare.getMessage());
    var second = assertThrows(LakelineException.ConfigError.class, () -> g.addFeatures(
        List.of(new NewFeature("ok", "double", "0"), new NewFeature("f", "double", "'abc'"))));
    assertTrue(second.getMessage().contains("'f'"), "a bad default refuses the whole call: " + second.getMessage());
    assertEquals(version, g.deltaVersion(), "nothing was written");
    assertEquals(List.of("id", "ts", "x"), List.of(g.schema().fieldNames()));

    FeatureGroup evolved = g.addFeatures(List.of(
        new NewFeature("i", "int", "7"), new NewFeature("l", "bigint", "3000000000"), new NewFeature("s", "int", "'5'"),
        new NewFeature("d", "double", "0.5"), new NewFeature("fl", "float", "0.1"), new NewFeature("b", "boolean", "true"),
        new NewFeature("dt", "date", "'2024-01-02'"), new NewFeature("t", "timestamp", "TIMESTAMP'2024-01-02 10:00:00'"),
        new NewFeature("str", "string", "'none'"), new NewFeature("dec", "decimal(10,2)", "1.25"),
        new NewFeature("n", "double", "NULL")));
    DataFrameAssertions.assertSameRows(spark.sql("SELECT 'a' AS id, DATE'2024-01-01' AS ts, 1 AS x, 7 AS i, 3000000000L AS l, "
        + "5 AS s, 0.5D AS d, CAST(0.1 AS FLOAT) AS fl, true AS b, DATE'2024-01-02' AS dt, TIMESTAMP'2024-01-02 10:00:00' AS t, "
        + "'none' AS str, CAST(1.25 AS DECIMAL(10,2)) AS dec, CAST(NULL AS DOUBLE) AS n"), evolved.read());
  }

  @Test
  void aBreakingChangeGoesToANewVersionBackfilledFromTheOld(SparkSession spark, TestLakehouse lh) {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    FeatureGroupSpec spec = FeatureGroupSpec.of("g", List.of("id"), "ts");
    FeatureGroup v1 = store.createFeatureGroup(spec, v1Rows(spark, "('a', '2024-01-01', 1)").schema());
    v1.insert(v1Rows(spark, "('a', '2024-01-01', 1), ('b', '2024-01-01', 2)"), InsertOptions.append("b1"));

    Dataset<Row> shape = spark.sql("SELECT 'a' AS id, DATE'2024-01-01' AS ts, 'one' AS x_label");
    FeatureGroup v2 = store.createNextVersion(v1, spec.withVersion(2), shape.schema(),
        old -> old.selectExpr("id", "ts", "CASE x WHEN 1 THEN 'one' ELSE 'many' END AS x_label"));
    DataFrameAssertions.assertSameRows(
        spark.sql("SELECT * FROM VALUES ('a', DATE'2024-01-01', 'one'), ('b', DATE'2024-01-01', 'many') AS t(id, ts, x_label)"), v2.read());
    long version = v2.deltaVersion();
    store.createNextVersion(v1, spec.withVersion(2), shape.schema(), old -> old.selectExpr("id", "ts", "CASE x WHEN 1 THEN 'one' ELSE 'many' END AS x_label"));
    assertEquals(version, v2.deltaVersion(), "rerunning the backfill is a no-op");
    assertEquals(2, v1.read().count(), "the old version is untouched");
  }
}
