package dev.lakeline.featurestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  /** A replay of a batch committed before features were added: the same rows are a no-op, other rows a conflict. */
  @Test
  void aBatchCommittedBeforeFeaturesWereAddedReplaysAsUnchanged(SparkSession spark, TestLakehouse lh) {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    FeatureGroupSpec spec = FeatureGroupSpec.of("g", List.of("id"), "ts");
    FeatureGroup g = store.createFeatureGroup(spec, v1Rows(spark, "('a', '2024-01-01', 1)").schema());
    g.insert(v1Rows(spark, "('a', '2024-01-01', 1), ('b', '2024-01-02', 2)"), InsertOptions.append("b1"));
    FeatureGroup evolved = g.addFeatures(List.of(new NewFeature("y", "double", "0.5"), new NewFeature("tag", "string", "NULL")));
    long version = evolved.deltaVersion();

    InsertResult replay = evolved.insert(v1Rows(spark, "('a', '2024-01-01', 1), ('b', '2024-01-02', 2)"), InsertOptions.append("b1"));
    assertTrue(replay.skipped(), "the old pipeline's rerun of its batch is unchanged");
    assertEquals(version, evolved.deltaVersion());
    assertThrows(LakelineException.Conflict.class,
        () -> evolved.insert(v1Rows(spark, "('a', '2024-01-01', 1), ('b', '2024-01-02', 3)"), InsertOptions.append("b1")));
    assertThrows(LakelineException.Conflict.class, () -> evolved.insert(
        spark.sql("SELECT id, ts, x, 9.0D AS y, CAST(NULL AS STRING) AS tag FROM VALUES ('a', DATE'2024-01-01', 1), ('b', DATE'2024-01-02', 2) AS t(id, ts, x)"),
        InsertOptions.append("b1")), "a new value of an added feature is other content");
    assertEquals(2, evolved.read().count());
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
    for (String[] c : new String[][] {{"double", "rand()"}, {"date", "current_date()"}, {"string", "uuid()"},
        {"timestamp", "now()"}, {"double", "round(rand() * 10, 1)"}}) {
      var e = assertThrows(LakelineException.ConfigError.class, () -> g.addFeatures(List.of(new NewFeature("f", c[0], c[1]))));
      assertTrue(e.getMessage().contains("has the default " + c[1] + ", which is not a constant"), e.getMessage());
    }
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

  @Test
  void addingFeaturesIsOneCommitAndEarlierVersionsReadAsBefore(SparkSession spark, TestLakehouse lh) {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    FeatureGroupSpec spec = FeatureGroupSpec.of("g", List.of("id"), "ts").withPartitionColumns(List.of("ts"));
    FeatureGroup g = store.createFeatureGroup(spec, v1Rows(spark, "('a', '2024-01-01', 1)").schema());
    g.insert(v1Rows(spark, "('a', '2024-01-01', 1), ('b', '2024-01-02', 2)"), InsertOptions.append("b1"));
    g.insert(v1Rows(spark, "('c', '2024-01-03', 3)"), InsertOptions.append("b2"));
    long before = g.deltaVersion();
    Dataset<Row> rowsBefore = g.readVersion(before);

    FeatureGroup evolved = g.addFeatures(List.of(new NewFeature("y", "double", "0.5"), new NewFeature("note", "string", "NULL")));

    assertEquals(before + 1, evolved.deltaVersion(), "the columns, the filled rows and the defaults are one commit");
    assertEquals("ADD COLUMNS", evolved.history(1).get(0).operation());
    DataFrameAssertions.assertSameRows(
        spark.sql("SELECT * FROM VALUES ('a', DATE'2024-01-01', 1, 0.5D, CAST(NULL AS STRING)), "
            + "('b', DATE'2024-01-02', 2, 0.5D, CAST(NULL AS STRING)), ('c', DATE'2024-01-03', 3, 0.5D, CAST(NULL AS STRING)) "
            + "AS t(id, ts, x, y, note)"),
        evolved.read());
    assertEquals(Map.of("y", "0.5", "note", "NULL"), store.getFeatureGroup("g", 1).featureDefaults());
    // time travel (a training dataset's manifest) reads the version before as it was: old schema, old rows
    Dataset<Row> asBefore = evolved.readVersion(before);
    assertEquals(List.of("id", "ts", "x"), List.of(asBefore.schema().fieldNames()));
    DataFrameAssertions.assertSameRows(rowsBefore, asBefore);
    // a later batch with the old schema gets the default
    store.createFeatureGroup(spec, rowsBefore.schema()).insert(v1Rows(spark, "('d', '2024-01-04', 4)"), InsertOptions.append("b3"));
    assertEquals(1, evolved.read().where("id = 'd' AND y = 0.5 AND note IS NULL").count());
  }

  @Test
  void aFailedAdditionLeavesTheGroupAsItWasAndARerunCompletesIt(SparkSession spark, TestLakehouse lh) throws IOException {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    FeatureGroup g = store.createFeatureGroup(FeatureGroupSpec.of("g", List.of("id"), "ts"), v1Rows(spark, "('a', '2024-01-01', 1)").schema());
    g.insert(v1Rows(spark, "('a', '2024-01-01', 1), ('b', '2024-01-02', 2)"), InsertOptions.append("b1"));
    long before = g.deltaVersion();
    // a data file that cannot be read: the rewrite of the existing rows fails half-way (as a crash would)
    Path file;
    try (var files = Files.list(Path.of(g.path()))) {
      file = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] intact = Files.readAllBytes(file);
    byte[] broken = intact.clone();
    java.util.Arrays.fill(broken, (byte) 0);
    Files.write(file, broken);

    assertThrows(Exception.class, () -> g.addFeatures(List.of(new NewFeature("y", "double", "0.5"))));

    FeatureGroup reread = store.getFeatureGroup("g", 1);
    assertEquals(before, reread.deltaVersion(), "nothing was committed");
    assertEquals(List.of("id", "ts", "x"), List.of(reread.schema().fieldNames()), "no column without its default");
    assertTrue(reread.featureDefaults().isEmpty(), "no default recorded");

    Files.write(file, intact);
    FeatureGroup evolved = reread.addFeatures(List.of(new NewFeature("y", "double", "0.5")));
    assertEquals(before + 1, evolved.deltaVersion());
    assertEquals(2, evolved.read().where("y = 0.5").count());
  }

  @Test
  void addingFeaturesKeepsColumnMapping(SparkSession spark, TestLakehouse lh) {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    Dataset<Row> rows = spark.sql("SELECT 'a' AS id, DATE'2024-01-01' AS ts, 1 AS `risk score`");
    FeatureGroup g = store.createFeatureGroup(FeatureGroupSpec.of("g", List.of("id"), "ts"), rows.schema());
    g.insert(rows, InsertOptions.append("b1"));
    long before = g.deltaVersion();

    FeatureGroup evolved = g.addFeatures(List.of(new NewFeature("new score", "double", "1.5")));

    assertEquals(before + 1, evolved.deltaVersion());
    DataFrameAssertions.assertSameRows(
        spark.sql("SELECT 'a' AS id, DATE'2024-01-01' AS ts, 1 AS `risk score`, 1.5D AS `new score`"), evolved.read());
    DataFrameAssertions.assertSameRows(rows, evolved.readVersion(before));
    evolved.insert(spark.sql("SELECT 'b' AS id, DATE'2024-01-02' AS ts, 2 AS `risk score`"), InsertOptions.append("b2"));
    assertEquals(1, evolved.read().where("id = 'b' AND `new score` = 1.5").count());
    assertFalse(store.getFeatureGroup("g", 1).featureDefaults().isEmpty());
  }

  @Test
  void addingFeaturesKeepsTheRowIdsOfARowTrackingGroup(SparkSession spark, TestLakehouse lh) {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    String key = "spark.databricks.delta.properties.defaults.enableRowTracking"; // as a Databricks workspace may set it
    FeatureGroup g;
    spark.conf().set(key, "true");
    try {
      g = store.createFeatureGroup(FeatureGroupSpec.of("g", List.of("id"), "ts"), v1Rows(spark, "('a', '2024-01-01', 1)").schema());
    } finally {
      spark.conf().unset(key);
    }
    g.insert(v1Rows(spark, "('a', '2024-01-01', 1), ('b', '2024-01-02', 2)"), InsertOptions.append("b1"));
    Dataset<Row> ids = g.readVersion(g.deltaVersion()).select("id", "_metadata.row_id");

    FeatureGroup evolved = g.addFeatures(List.of(new NewFeature("y", "double", "0.5")));

    DataFrameAssertions.assertSameRows(ids, evolved.read().select("id", "_metadata.row_id"));
    assertEquals(2, evolved.read().where("y = 0.5").count());
  }

  @Test
  void addingFeaturesToAGroupChangedSinceItWasReadIsAConflictThatChangesNothing(SparkSession spark, TestLakehouse lh) {
    FeatureStore store = FeatureStore.open(spark, lh.layout());
    FeatureGroup stale = store.createFeatureGroup(FeatureGroupSpec.of("g", List.of("id"), "ts"), v1Rows(spark, "('a', '2024-01-01', 1)").schema());
    stale.insert(v1Rows(spark, "('a', '2024-01-01', 1)"), InsertOptions.append("b1"));
    store.getFeatureGroup("g", 1).addFeatures(List.of(new NewFeature("z", "int", "7"))); // another writer, meanwhile
    long before = stale.deltaVersion();

    var conflict = assertThrows(LakelineException.Conflict.class, () -> stale.addFeatures(List.of(new NewFeature("y", "double", "0.5"))));

    assertTrue(conflict.getMessage().contains("nothing was changed") && conflict.getMessage().contains("Rerun"), conflict.getMessage());
    FeatureGroup now = store.getFeatureGroup("g", 1);
    assertEquals(before, now.deltaVersion());
    assertEquals(Map.of("z", "7"), now.featureDefaults(), "the other writer's default is kept");
    now.addFeatures(List.of(new NewFeature("y", "double", "0.5"))); // the rerun
    assertEquals(Map.of("z", "7", "y", "0.5"), store.getFeatureGroup("g", 1).featureDefaults());
  }
}
