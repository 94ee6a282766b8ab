package dev.lakeline.pitjoin;

import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lakeline.testkit.SparkTest;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The join's options (TTL, defaults, inner joins, tie-break columns), each for every {@link Engine}. */
@SparkTest
class PitJoinOptionsTest {
  private static final StructType SPINE =
      new StructType().add("id", DataTypes.StringType).add("ts", DataTypes.TimestampType).add("label", DataTypes.IntegerType);
  private static final StructType FEATURES = new StructType()
      .add("id", DataTypes.StringType)
      .add("fts", DataTypes.TimestampType)
      .add("version", DataTypes.LongType)
      .add("x", DataTypes.IntegerType)
      .add("y", DataTypes.StringType);
  private static final StructType OUT =
      SPINE.add("x", DataTypes.IntegerType).add("y", DataTypes.StringType);

  private static Timestamp t(String time) {
    return Timestamp.from(Instant.parse("2024-01-01T" + time + "Z"));
  }

  private static Dataset<Row> df(SparkSession spark, StructType schema, Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return spark.createDataFrame(list, schema);
  }

  private static Object[] r(Object... values) {
    return values;
  }

  private static FeatureJoin base() {
    return FeatureJoin.of("f", List.of("id"), "fts", List.of("x", "y"));
  }

  private static Dataset<Row> join(Engine engine, Dataset<Row> spine, FeatureJoin j, Dataset<Row> features) {
    return engine.join(spine, new PitJoinSpec("ts", List.of(j)), Map.of("f", features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void maxAgeIsInclusiveToTheMicrosecond(Engine engine, SparkSession spark) {
    Dataset<Row> features = df(spark, FEATURES, r("a", t("10:00:00"), 1L, 1, "ten"));
    Dataset<Row> spine = df(spark, SPINE,
        r("a", t("10:30:00"), 1), // 30 min old: within
        r("a", t("11:00:00"), 2), // exactly 1 h old: within (inclusive)
        r("a", Timestamp.from(Instant.parse("2024-01-01T11:00:00.000001Z")), 3)); // 1 h + 1 µs: too old

    assertSameRows(
        df(spark, OUT,
            r("a", t("10:30:00"), 1, 1, "ten"),
            r("a", t("11:00:00"), 2, 1, "ten"),
            r("a", Timestamp.from(Instant.parse("2024-01-01T11:00:00.000001Z")), 3, null, null)),
        join(engine, spine, base().withMaxAge(Duration.ofHours(1)), features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aTooOldLatestRowIsAMissEvenIfAnOlderOneExistsAndZeroAgeMeansTheSameInstant(Engine engine, SparkSession spark) {
    Dataset<Row> features = df(spark, FEATURES, r("a", t("08:00:00"), 1L, 8, "eight"), r("a", t("10:00:00"), 1L, 10, "ten"));
    Dataset<Row> spine = df(spark, SPINE, r("a", t("10:00:00"), 1), r("a", t("12:00:00"), 2));

    assertSameRows(
        df(spark, OUT, r("a", t("10:00:00"), 1, 10, "ten"), r("a", t("12:00:00"), 2, null, null)),
        join(engine, spine, base().withMaxAge(Duration.ZERO), features));
    // strict with a TTL: the row at the spine time is excluded and the one before is too old
    Dataset<Row> later = df(spark, SPINE, r("a", t("10:00:00"), 1), r("a", t("11:00:00"), 2));
    assertSameRows(
        df(spark, OUT, r("a", t("10:00:00"), 1, null, null), r("a", t("11:00:00"), 2, 10, "ten")),
        join(engine, later, base().withStrict(true).withMaxAge(Duration.ofMinutes(90)), features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void defaultsFillMissesButNotAMatchedRowsNulls(Engine engine, SparkSession spark) {
    Dataset<Row> features = df(spark, FEATURES, r("a", t("10:00:00"), 1L, null, "has-null-x"), r("b", t("10:00:00"), 1L, 5, "b"));
    Dataset<Row> spine = df(spark, SPINE,
        r("a", t("11:00:00"), 1), // matches a row whose x is null: stays null
        r("a", t("09:00:00"), 2), // before any row: defaults
        r("zzz", t("11:00:00"), 3), // unknown key: defaults
        r(null, t("11:00:00"), 4), // null key: defaults
        r("b", t("11:00:00"), 5));

    assertSameRows(
        df(spark, OUT,
            r("a", t("11:00:00"), 1, null, "has-null-x"),
            r("a", t("09:00:00"), 2, -1, "missing"),
            r("zzz", t("11:00:00"), 3, -1, "missing"),
            r(null, t("11:00:00"), 4, -1, "missing"),
            r("b", t("11:00:00"), 5, 5, "b")),
        join(engine, spine, base().withDefault("x", -1).withDefault("y", "missing"), features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anInnerJoinDropsMissesAndKeepsDuplicates(Engine engine, SparkSession spark) {
    Dataset<Row> features = df(spark, FEATURES, r("a", t("10:00:00"), 1L, 1, "a"), r("b", t("10:00:00"), 1L, 2, "b"));
    Dataset<Row> spine = df(spark, SPINE,
        r("a", t("11:00:00"), 1), r("a", t("11:00:00"), 1), r("a", t("09:00:00"), 2), r(null, t("11:00:00"), 3),
        r("b", null, 4), r("b", t("12:00:00"), 5));

    assertSameRows(
        df(spark, OUT, r("a", t("11:00:00"), 1, 1, "a"), r("a", t("11:00:00"), 1, 1, "a"), r("b", t("12:00:00"), 5, 2, "b")),
        join(engine, spine, base().withInner(true), features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theHighestTieBreakWinsThenTheValuesAndANullTieBreakLoses(Engine engine, SparkSession spark) {
    Dataset<Row> features = df(spark, FEATURES,
        r("a", t("10:00:00"), 1L, 1, "v1"),
        r("a", t("10:00:00"), 3L, 9, "v3-late-commit"),
        r("a", t("10:00:00"), 2L, 0, "v2"),
        r("a", t("10:00:00"), null, -5, "no-version"),
        r("b", t("10:00:00"), 7L, 2, "b-two"),
        r("b", t("10:00:00"), 7L, 1, "b-one"), // same version: the values decide, ascending
        r("c", t("10:00:00"), null, 4, "c-null-version"),
        r("c", t("09:00:00"), 99L, 5, "c-older")); // an older row never wins, whatever its version
    Dataset<Row> spine = df(spark, SPINE, r("a", t("11:00:00"), 1), r("b", t("11:00:00"), 2), r("c", t("11:00:00"), 3));

    assertSameRows(
        df(spark, OUT,
            r("a", t("11:00:00"), 1, 9, "v3-late-commit"),
            r("b", t("11:00:00"), 2, 1, "b-one"),
            r("c", t("11:00:00"), 3, 4, "c-null-version")),
        join(engine, spine, base().withTieBreak("version"), features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void dateTimesWithAMaxAgeInDays(Engine engine, SparkSession spark) {
    StructType spineSchema = new StructType().add("id", DataTypes.StringType).add("day", DataTypes.DateType);
    StructType featureSchema =
        new StructType().add("id", DataTypes.StringType).add("fday", DataTypes.DateType).add("v", DataTypes.IntegerType);
    Dataset<Row> spine = df(spark, spineSchema,
        r("a", Date.valueOf("2024-03-02")), r("a", Date.valueOf("2024-03-03")), r("a", Date.valueOf("2024-03-04")));
    Dataset<Row> features = df(spark, featureSchema, r("a", Date.valueOf("2024-03-02"), 2));
    PitJoinSpec spec = new PitJoinSpec("day",
        List.of(FeatureJoin.of("f", List.of("id"), "fday", List.of("v")).withMaxAge(Duration.ofDays(1))));

    assertSameRows(
        df(spark, spineSchema.add("v", DataTypes.IntegerType),
            r("a", Date.valueOf("2024-03-02"), 2), r("a", Date.valueOf("2024-03-03"), 2), r("a", Date.valueOf("2024-03-04"), null)),
        engine.join(spine, spec, Map.of("f", features)));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void twoJoinsOnTheSameKeyInOnePassKeepTheirOwnBoundaries(Engine engine, SparkSession spark) {
    Dataset<Row> features = df(spark, FEATURES, r("a", t("10:00:00"), 1L, 10, "ten"), r("a", t("11:00:00"), 1L, 11, "eleven"));
    Dataset<Row> spine = df(spark, SPINE, r("a", t("11:00:00"), 1));
    PitJoinSpec spec = new PitJoinSpec("ts", List.of(
        base().withPrefix("incl_"),
        base().withPrefix("strict_").withStrict(true),
        base().withPrefix("young_").withStrict(true).withMaxAge(Duration.ofMinutes(30))));

    Dataset<Row> out = engine.join(spine, spec, Map.of("f", features));

    assertEquals("[a,2024-01-01 11:00:00.0,1,11,eleven,10,ten,null,null]", out.collectAsList().get(0).toString());
  }
}
