package dev.lakeline.featurestore;

import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.core.delta.WriteMode;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.validation.Expectation;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.Severity;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class FeatureGroupTest {

  static final StructType CREDIT =
      new StructType()
          .add("applicant_id", DataTypes.StringType)
          .add("as_of", DataTypes.TimestampType)
          .add("score", DataTypes.IntegerType)
          .add("grade", DataTypes.StringType);

  static Timestamp t(int day) {
    return Timestamp.from(Instant.parse(String.format("2024-01-%02dT00:00:00Z", day)));
  }

  static Dataset<Row> rows(SparkSession spark, StructType schema, Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return spark.createDataFrame(list, schema);
  }

  static Object[] r(Object... values) {
    return values;
  }

  static Map<String, Object> kw(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static ExpectationSuite creditSuite() {
    return new ExpectationSuite(
        "credit",
        List.of(
            Expectation.of("expect_column_values_to_be_between", kw("column", "score", "min_value", 300, "max_value", 850)),
            Expectation.of("expect_column_values_to_be_in_set", kw("column", "grade", "value_set", List.of("A", "B", "C"), "mostly", 0.5)),
            Expectation.of("expect_column_values_to_not_be_null", kw("column", "grade")).withSeverity(Severity.WARNING)));
  }

  static FeatureGroupSpec creditSpec() {
    return FeatureGroupSpec.of("credit", List.of("applicant_id"), "as_of")
        .withDescription("credit bureau scores")
        .withSuite(creditSuite());
  }

  static Dataset<Row> goodBatch(SparkSession spark) {
    return rows(
        spark,
        CREDIT,
        r("p1", t(1), 700, "A"),
        r("p1", t(2), 710, "A"),
        r("p2", t(1), 650, null), // a warning only
        r("p3", t(3), 600, "C"));
  }

  private static List<String> namesAndTypes(StructType schema) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(f.name() + ":" + f.dataType().simpleString());
    }
    return out;
  }

  @Test
  void createThenGetReturnsTheSameSpecAndSchema(SparkSession spark, TestLakehouse lake) {
    FeatureGroupSpec spec = creditSpec().withPartitionColumns(List.of("grade"));
    FeatureStore store = FeatureStore.open(spark, lake.layout());

    FeatureGroup created = store.createFeatureGroup(spec, CREDIT);
    FeatureGroup got = store.getFeatureGroup("credit", 1);
    FeatureGroup fresh = FeatureStore.open(spark, lake.layout()).getFeatureGroup("credit", 1);

    for (FeatureGroup g : List.of(created, got, fresh)) {
      assertEquals(spec, g.spec());
      assertEquals(namesAndTypes(CREDIT), namesAndTypes(g.schema()));
      assertEquals(lake.layout().featureGroup("credit", 1), g.path());
    }
    assertEquals(0, got.read().count());
    // the definition lives in the Delta table's properties
    Map<String, String> properties =
        io.delta.tables.DeltaTable.forPath(spark, got.path()).detail().select("properties").head().getJavaMap(0);
    assertTrue(properties.get(FeatureStore.SPEC_PROPERTY).contains("credit bureau scores"), properties.toString());
  }

  @Test
  void aSuiteWithLongAndFloatBoundsRoundTrips(SparkSession spark, TestLakehouse lake) {
    // kwargs built in code need not use the number types that JSON reads back
    FeatureGroupSpec spec =
        FeatureGroupSpec.of("credit", List.of("applicant_id"), "as_of")
            .withSuite(
                new ExpectationSuite(
                    "credit",
                    List.of(
                        Expectation.of(
                            "expect_column_values_to_be_between",
                            kw("column", "score", "min_value", 300L, "max_value", 850.5f, "mostly", 0.75f)))));
    FeatureStore store = FeatureStore.open(spark, lake.layout());

    store.createFeatureGroup(spec, CREDIT);
    FeatureGroup again = store.createFeatureGroup(spec, CREDIT);

    assertEquals(spec.suite().expectations().size(), again.spec().suite().expectations().size());
    assertTrue(again.overwrite(goodBatch(spark), "b1").validation().errors().isEmpty());
    // the bounds still hold after the round trip
    assertThrows(
        LakelineException.DataRejected.class,
        () -> again.overwrite(rows(spark, CREDIT, r("p1", t(1), 851, "A"), r("p2", t(1), 299, "A")), "b2"));
    // and a really different bound is still a conflict
    FeatureGroupSpec other =
        spec.withSuite(
            new ExpectationSuite(
                "credit",
                List.of(
                    Expectation.of(
                        "expect_column_values_to_be_between",
                        kw("column", "score", "min_value", 301L, "max_value", 850.5f, "mostly", 0.75f)))));
    assertThrows(LakelineException.Conflict.class, () -> store.createFeatureGroup(other, CREDIT));
  }

  @Test
  void creatingAgainWithTheSameDefinitionReturnsIt(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    FeatureGroup first = store.createFeatureGroup(creditSpec(), CREDIT);
    first.overwrite(goodBatch(spark), "b1");
    long version = first.deltaVersion();

    FeatureGroup again = FeatureStore.open(spark, lake.layout()).createFeatureGroup(creditSpec(), CREDIT);

    assertEquals(creditSpec(), again.spec());
    assertEquals(version, again.deltaVersion(), "creating an existing group must not write");
    assertEquals(4, again.read().count());
  }

  @Test
  void creatingAgainWithAnotherDefinitionIsAConflict(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    store.createFeatureGroup(creditSpec(), CREDIT);

    LakelineException.Conflict otherSpec =
        assertThrows(
            LakelineException.Conflict.class,
            () -> store.createFeatureGroup(creditSpec().withDescription("something else"), CREDIT));
    assertTrue(otherSpec.getMessage().contains("credit v1"), otherSpec.getMessage());
    assertTrue(otherSpec.getMessage().contains("version 2"), otherSpec.getMessage());
    // it says what differs, not two whole definitions
    assertTrue(otherSpec.getMessage().contains("\n  - description: '") && otherSpec.getMessage().contains("' → 'something else'"),
        otherSpec.getMessage());
    LakelineException.Conflict otherColumns = assertThrows(LakelineException.Conflict.class,
        () -> store.createFeatureGroup(creditSpec(), CREDIT.add("extra", DataTypes.IntegerType)));
    assertTrue(otherColumns.getMessage().contains("\n  - column 'extra' added (int)"), otherColumns.getMessage());
    assertFalse(otherColumns.getMessage().contains("description"), otherColumns.getMessage());

    StructType otherType =
        new StructType()
            .add("applicant_id", DataTypes.StringType)
            .add("as_of", DataTypes.TimestampType)
            .add("score", DataTypes.LongType)
            .add("grade", DataTypes.StringType);
    LakelineException.Conflict retyped =
        assertThrows(LakelineException.Conflict.class, () -> store.createFeatureGroup(creditSpec(), otherType));
    assertTrue(retyped.getMessage().contains("column 'score': int → bigint"), retyped.getMessage());
    assertThrows(
        LakelineException.Conflict.class,
        () -> store.createFeatureGroup(creditSpec(), CREDIT.add("extra", DataTypes.IntegerType)));
    assertThrows(
        LakelineException.Conflict.class,
        () -> store.createFeatureGroup(creditSpec().withSuite(ExpectationSuite.empty("credit")), CREDIT));

    // a new version is a new group
    FeatureGroup v2 = store.createFeatureGroup(creditSpec().withVersion(2).withDescription("something else"), CREDIT);
    assertEquals(2, v2.spec().version());
    assertEquals(creditSpec(), store.getFeatureGroup("credit", 1).spec());
  }

  @Test
  void aDefinitionNamingAColumnOutsideTheSchemaIsAConfigError(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    LakelineException.ConfigError e =
        assertThrows(
            LakelineException.ConfigError.class,
            () -> store.createFeatureGroup(FeatureGroupSpec.of("credit", List.of("customer_id"), "as_of"), CREDIT));
    assertTrue(e.getMessage().contains("'customer_id'"), e.getMessage());
    assertThrows(
        LakelineException.ConfigError.class,
        () -> store.createFeatureGroup(FeatureGroupSpec.of("credit", List.of("applicant_id"), "ts"), CREDIT));
    assertThrows(
        LakelineException.NotFound.class, () -> store.getFeatureGroup("credit", 1), "nothing may have been created");
  }

  @Test
  void gettingAMissingGroupIsNotFoundWithAHelpfulMessage(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    store.createFeatureGroup(creditSpec(), CREDIT);

    LakelineException.NotFound e =
        assertThrows(LakelineException.NotFound.class, () -> store.getFeatureGroup("loans", 1));
    assertTrue(e.getMessage().contains("loans v1"), e.getMessage());
    assertTrue(e.getMessage().contains(lake.layout().root()), e.getMessage());
    assertTrue(e.getMessage().contains("run the feature pipeline") && e.getMessage().contains("lakeline fg list"),
        e.getMessage());
    assertFalse(e.getMessage().contains("Did you mean"), "nothing is close to 'loans': " + e.getMessage());

    LakelineException.NotFound misspelt =
        assertThrows(LakelineException.NotFound.class, () -> store.getFeatureGroup("credt", 1));
    assertTrue(misspelt.getMessage().contains("Did you mean 'credit'?"), misspelt.getMessage());

    LakelineException.NotFound otherVersion =
        assertThrows(LakelineException.NotFound.class, () -> store.getFeatureGroup("credit", 2));
    assertTrue(otherVersion.getMessage().contains("credit v2 does not exist")
        && otherVersion.getMessage().contains("it has version 1."), otherVersion.getMessage());
  }

  @Test
  void overwriteThroughTheGateCommitsAndReturnsTheVersionAndRows(SparkSession spark, TestLakehouse lake) {
    FeatureGroup group = FeatureStore.open(spark, lake.layout()).createFeatureGroup(creditSpec(), CREDIT);
    long before = group.deltaVersion();

    InsertResult result = group.overwrite(goodBatch(spark), "features:credit:2024-01-03");

    assertFalse(result.skipped());
    assertEquals(4, result.rows());
    assertEquals("credit v1", result.group());
    assertTrue(result.deltaVersion() > before);
    assertEquals(group.deltaVersion(), result.deltaVersion());
    assertSameRows(goodBatch(spark), group.read());
    assertSameRows(goodBatch(spark), group.readVersion(result.deltaVersion()));
    // the warning was reported, not enforced
    assertTrue(result.validation().errors().isEmpty());
    assertFalse(result.validation().success());

    Dataset<Row> next = rows(spark, CREDIT, r("p9", t(9), 800, "B"));
    InsertResult second = group.overwrite(next, "features:credit:2024-01-09");
    assertEquals(result.deltaVersion() + 1, second.deltaVersion());
    assertSameRows(next, group.read());
    assertSameRows(goodBatch(spark), group.readVersion(result.deltaVersion()));
  }

  @Test
  void appendAndReplaceWhereGoThroughTheGateToo(SparkSession spark, TestLakehouse lake) {
    FeatureGroup group = FeatureStore.open(spark, lake.layout()).createFeatureGroup(creditSpec(), CREDIT);
    group.insert(rows(spark, CREDIT, r("p1", t(1), 700, "A")), InsertOptions.append("d1"));
    group.insert(rows(spark, CREDIT, r("p1", t(2), 710, "A")), InsertOptions.append("d2"));
    assertEquals(2, group.read().count());

    long version = group.deltaVersion();
    assertThrows(
        LakelineException.DataRejected.class,
        () -> group.insert(rows(spark, CREDIT, r("p1", t(3), 9999, "A")), InsertOptions.append("d3")));
    assertEquals(version, group.deltaVersion());

    group.insert(
        rows(spark, CREDIT, r("p1", t(2), 720, "B")),
        new InsertOptions("d2", null, WriteMode.REPLACE_WHERE, "as_of = '2024-01-02'"));
    assertSameRows(rows(spark, CREDIT, r("p1", t(1), 700, "A"), r("p1", t(2), 720, "B")), group.read());
  }

  private static void assertRejectedAndUntouched(
      FeatureGroup group, Dataset<Row> batch, Dataset<Row> before, long version, String... mentions) {
    LakelineException.DataRejected e =
        assertThrows(LakelineException.DataRejected.class, () -> group.overwrite(batch, "features:credit:bad"));
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "message should mention '" + m + "': " + e.getMessage());
    }
    assertEquals(version, group.deltaVersion(), "a rejected batch must not create a Delta version");
    assertSameRows(before, group.read());
  }

  @Test
  void aBatchThatBreaksTheSuiteIsRejectedAndNothingIsWritten(SparkSession spark, TestLakehouse lake) {
    FeatureGroup group = FeatureStore.open(spark, lake.layout()).createFeatureGroup(creditSpec(), CREDIT);
    group.overwrite(goodBatch(spark), "features:credit:good");
    long version = group.deltaVersion();

    Dataset<Row> outOfRange = rows(spark, CREDIT, r("p1", t(5), 700, "A"), r("p2", t(5), 1200, "B"));
    assertRejectedAndUntouched(group, outOfRange, goodBatch(spark), version, "credit v1", "score", "Nothing was written");

    // 1 of 3 grades in the set is below the 'mostly' of 0.5
    Dataset<Row> badGrades =
        rows(spark, CREDIT, r("p1", t(5), 700, "A"), r("p2", t(5), 700, "Z"), r("p3", t(5), 700, "Y"));
    assertRejectedAndUntouched(group, badGrades, goodBatch(spark), version, "grade");
  }

  @Test
  void aBatchWithNullOrDuplicateKeysIsRejected(SparkSession spark, TestLakehouse lake) {
    FeatureGroup group = FeatureStore.open(spark, lake.layout()).createFeatureGroup(creditSpec(), CREDIT);
    group.overwrite(goodBatch(spark), "features:credit:good");
    long version = group.deltaVersion();
    Dataset<Row> before = goodBatch(spark);

    assertRejectedAndUntouched(
        group, rows(spark, CREDIT, r("p1", t(5), 700, "A"), r(null, t(5), 700, "A")), before, version, "applicant_id");
    assertRejectedAndUntouched(
        group, rows(spark, CREDIT, r("p1", t(5), 700, "A"), r("p1", null, 700, "A")), before, version, "as_of");
    assertRejectedAndUntouched(
        group, rows(spark, CREDIT, r("p1", t(5), 700, "A"), r("p1", t(5), 710, "B")), before, version, "applicant_id");
    // whole keys null, twice: only the not-null checks can catch these
    assertRejectedAndUntouched(
        group, rows(spark, CREDIT, r(null, null, 700, "A"), r(null, null, 700, "A")), before, version);
  }

  @Test
  void aBatchWithCompositeNullKeysIsRejected(SparkSession spark, TestLakehouse lake) {
    StructType schema =
        new StructType()
            .add("country", DataTypes.StringType)
            .add("zip", DataTypes.StringType)
            .add("day", DataTypes.DateType)
            .add("rate", DataTypes.DoubleType);
    FeatureGroup group =
        FeatureStore.open(spark, lake.layout())
            .createFeatureGroup(FeatureGroupSpec.of("rates", List.of("country", "zip"), "day"), schema);
    java.sql.Date d = java.sql.Date.valueOf("2024-01-01");
    Dataset<Row> good = rows(spark, schema, r("US", "10001", d, 1.0), r("US", "10002", d, 2.0));
    group.overwrite(good, "rates:1");
    long version = group.deltaVersion();

    Dataset<Row> nullKeys = rows(spark, schema, r("US", "10001", d, 1.0), r(null, null, d, 2.0), r(null, null, d, 3.0));
    LakelineException.DataRejected e =
        assertThrows(LakelineException.DataRejected.class, () -> group.overwrite(nullKeys, "rates:2"));
    assertTrue(e.getMessage().contains("country"), e.getMessage());
    assertEquals(version, group.deltaVersion());
    assertSameRows(good, group.read());
  }

  @Test
  void aBatchWithTheWrongSchemaIsRejectedAndNothingIsWritten(SparkSession spark, TestLakehouse lake) {
    FeatureGroup group = FeatureStore.open(spark, lake.layout()).createFeatureGroup(creditSpec(), CREDIT);
    group.overwrite(goodBatch(spark), "features:credit:good");
    long version = group.deltaVersion();
    Dataset<Row> good = goodBatch(spark);

    assertRejectedAndUntouched(group, good.drop("grade"), good, version, "feature group credit v1: missing columns [grade]. Nothing");
    assertRejectedAndUntouched(
        group, good.withColumn("debug", org.apache.spark.sql.functions.lit(1)), good, version, ": unexpected columns [debug]. Nothing");
    assertRejectedAndUntouched(
        group, good.withColumn("score", good.col("score").cast("long")), good, version, ": wrong types [score is bigint, expected int]. Nothing");
    assertRejectedAndUntouched(group, good.withColumnRenamed("score", "Score"), good, version, "score", "Score");
  }

  @Test
  void columnsInAnotherOrderAreAligned(SparkSession spark, TestLakehouse lake) {
    FeatureGroup group = FeatureStore.open(spark, lake.layout()).createFeatureGroup(creditSpec(), CREDIT);
    Dataset<Row> shuffled = goodBatch(spark).select("grade", "score", "applicant_id", "as_of");

    group.overwrite(shuffled, "b1");

    assertEquals(Arrays.asList(CREDIT.fieldNames()), Arrays.asList(group.read().columns()));
    assertSameRows(goodBatch(spark), group.read());
  }

  @Test
  void rerunningTheSameBatchIdWithTheSameDataIsSkipped(SparkSession spark, TestLakehouse lake) {
    FeatureGroup group = FeatureStore.open(spark, lake.layout()).createFeatureGroup(creditSpec(), CREDIT);
    InsertResult first = group.overwrite(goodBatch(spark), "features:credit:2024-01-03");

    InsertResult rerun = group.overwrite(goodBatch(spark).orderBy("score").repartition(3), "features:credit:2024-01-03");

    assertTrue(rerun.skipped());
    assertEquals(first.deltaVersion(), rerun.deltaVersion());
    assertEquals(4, rerun.rows());
    assertEquals(first.deltaVersion(), group.deltaVersion());

    // the same id with other data is a new commit
    Dataset<Row> changed = rows(spark, CREDIT, r("p1", t(1), 701, "A"));
    InsertResult corrected = group.overwrite(changed, "features:credit:2024-01-03");
    assertFalse(corrected.skipped());
    assertEquals(first.deltaVersion() + 1, group.deltaVersion());
    assertSameRows(changed, group.read());
  }

  @Test
  void aCachedBatchIsWrittenInFilesForItsSizeNotOnePerShufflePartition(SparkSession spark, TestLakehouse lake) {
    // spark-submit's and the platforms' default is 200 shuffle partitions; an insert caches a costly batch, and the
    // cache keeps its last shuffle's partitions (adaptive execution does not coalesce a cached plan's final stage)
    String partitions = spark.conf().get("spark.sql.shuffle.partitions");
    spark.conf().set("spark.sql.shuffle.partitions", "24");
    try {
      FeatureGroup group = FeatureStore.open(spark, lake.layout()).createFeatureGroup(creditSpec(), CREDIT);
      Dataset<Row> aggregated = spark.range(480).groupBy(functions.expr("id % 240").as("i")).count()
          .selectExpr("concat('p', i) AS applicant_id", "TIMESTAMP'2024-01-01 00:00:00' AS as_of", "700 AS score", "'A' AS grade");

      InsertResult r = group.overwrite(aggregated, "b1");

      assertEquals(240, r.rows());
      long files = io.delta.tables.DeltaTable.forPath(spark, group.path()).detail().select("numFiles").head().getLong(0);
      assertEquals(1, files, "240 rows of a few kB are one file, not one per shuffle partition (24)");
      assertSameRows(aggregated, group.read());
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", partitions);
    }
  }
}
