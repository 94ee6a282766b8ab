package dev.lakeline.pitjoin;

import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.SparkTest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@SparkTest
class PointInTimeJoinTest {

  private static final StructType SPINE =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("ts", DataTypes.TimestampType)
          .add("label", DataTypes.IntegerType);

  private static final StructType FEATURES =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("fts", DataTypes.TimestampType)
          .add("x", DataTypes.IntegerType)
          .add("y", DataTypes.StringType);

  private static final StructType EXPECTED =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("ts", DataTypes.TimestampType)
          .add("label", DataTypes.IntegerType)
          .add("x", DataTypes.IntegerType)
          .add("y", DataTypes.StringType);

  /** A UTC timestamp on 2024-01-{day} at {hour}:00. */
  private static Timestamp t(int day, int hour) {
    return Timestamp.from(Instant.parse(String.format("2024-01-%02dT%02d:00:00Z", day, hour)));
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

  private static PitJoinSpec spec(boolean strict) {
    return new PitJoinSpec("ts", List.of(FeatureJoin.of("f", List.of("id"), "fts", List.of("x", "y")).withStrict(strict)));
  }

  private static Dataset<Row> join(Engine engine, Dataset<Row> spine, PitJoinSpec spec, Dataset<Row> features) {
    return engine.join(spine, spec, Map.of("f", features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void inclusiveTakesTheRowAtExactlyTheSpineTimeAndStrictDoesNot(Engine engine, SparkSession spark) {
    Dataset<Row> spine = df(spark, SPINE, r("a", t(5, 0), 1));
    Dataset<Row> features = df(spark, FEATURES, r("a", t(4, 0), 10, "before"), r("a", t(5, 0), 20, "at"));

    assertSameRows(df(spark, EXPECTED, r("a", t(5, 0), 1, 20, "at")), join(engine, spine, spec(false), features));
    assertSameRows(df(spark, EXPECTED, r("a", t(5, 0), 1, 10, "before")), join(engine, spine, spec(true), features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void strictWithOnlyARowAtTheSpineTimeGivesNulls(Engine engine, SparkSession spark) {
    Dataset<Row> spine = df(spark, SPINE, r("a", t(5, 0), 1));
    Dataset<Row> features = df(spark, FEATURES, r("a", t(5, 0), 20, "at"));

    assertSameRows(df(spark, EXPECTED, r("a", t(5, 0), 1, null, null)), join(engine, spine, spec(true), features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void latestRowAtOrBeforeTheSpineTimeWinsNotALaterOne(Engine engine, SparkSession spark) {
    Dataset<Row> spine =
        df(spark, SPINE, r("a", t(3, 12), 1), r("a", t(10, 0), 2), r("b", t(3, 12), 3));
    Dataset<Row> features =
        df(
            spark,
            FEATURES,
            r("a", t(1, 0), 1, "a1"),
            r("a", t(3, 0), 3, "a3"),
            r("a", t(4, 0), 4, "a4"), // later than the first spine row: must not leak into it
            r("a", t(9, 0), 9, "a9"),
            r("a", t(11, 0), 11, "a11"),
            r("b", t(2, 0), 2, "b2"),
            r("b", t(3, 13), 99, "b-too-late"));

    assertSameRows(
        df(
            spark,
            EXPECTED,
            r("a", t(3, 12), 1, 3, "a3"),
            r("a", t(10, 0), 2, 9, "a9"),
            r("b", t(3, 12), 3, 2, "b2")),
        join(engine, spine, spec(false), features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void spineRowsBeforeTheFirstFeatureRowOrWithoutAnyGetNulls(Engine engine, SparkSession spark) {
    Dataset<Row> spine =
        df(spark, SPINE, r("a", t(1, 0), 1), r("a", t(2, 0), 2), r("zzz", t(9, 0), 3));
    Dataset<Row> features = df(spark, FEATURES, r("a", t(2, 0), 20, "a2"));

    assertSameRows(
        df(
            spark,
            EXPECTED,
            r("a", t(1, 0), 1, null, null),
            r("a", t(2, 0), 2, 20, "a2"),
            r("zzz", t(9, 0), 3, null, null)),
        join(engine, spine, spec(false), features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void nullSpineKeysAndNullTimesNeverMatch(Engine engine, SparkSession spark) {
    Dataset<Row> spine =
        df(spark, SPINE, r(null, t(5, 0), 1), r("a", null, 2), r(null, null, 3), r("a", t(5, 0), 4));
    // a feature row with a null key and one with a null time: neither may match anything
    Dataset<Row> features =
        df(
            spark,
            FEATURES,
            r(null, t(1, 0), 100, "null-key"),
            r("a", null, 200, "null-time"),
            r("a", t(1, 0), 1, "a1"));

    for (boolean strict : new boolean[] {false, true}) {
      assertSameRows(
          df(
              spark,
              EXPECTED,
              r(null, t(5, 0), 1, null, null),
              r("a", null, 2, null, null),
              r(null, null, 3, null, null),
              r("a", t(5, 0), 4, 1, "a1")),
          join(engine, spine, spec(strict), features));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void duplicateSpineRowsStayDuplicatedAndEachYieldsOneRow(Engine engine, SparkSession spark) {
    Dataset<Row> spine =
        df(
            spark,
            SPINE,
            r("a", t(5, 0), 1),
            r("a", t(5, 0), 1),
            r("a", t(5, 0), 1),
            r("b", t(5, 0), 2),
            r("b", t(5, 0), 2));
    Dataset<Row> features =
        df(
            spark,
            FEATURES,
            r("a", t(1, 0), 1, "a1"),
            r("a", t(2, 0), 2, "a2"),
            r("a", t(3, 0), 3, "a3"),
            r("b", t(4, 0), 4, "b4"),
            r("b", t(4, 12), 5, "b5"));

    Dataset<Row> out = join(engine, spine, spec(false), features);

    assertEquals(spine.count(), out.count(), "one output row per spine row");
    assertSameRows(
        df(
            spark,
            EXPECTED,
            r("a", t(5, 0), 1, 3, "a3"),
            r("a", t(5, 0), 1, 3, "a3"),
            r("a", t(5, 0), 1, 3, "a3"),
            r("b", t(5, 0), 2, 5, "b5"),
            r("b", t(5, 0), 2, 5, "b5")),
        out);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everySpineRowYieldsExactlyOneRowEvenWithManyCandidates(Engine engine, SparkSession spark) {
    List<Object[]> spineRows = new ArrayList<>();
    List<Object[]> featureRows = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      for (int d = 1; d <= 20; d++) {
        featureRows.add(r("k" + k, t(d, 0), d, "v" + d));
        featureRows.add(r("k" + k, t(d, 0), d + 100, "tie" + d)); // a tie at every time
      }
      for (int d = 1; d <= 25; d += 3) {
        spineRows.add(r("k" + k, t(d, 0), d));
        spineRows.add(r("k" + k, t(d, 0), d));
      }
    }
    Dataset<Row> spine = df(spark, SPINE, spineRows.toArray(Object[][]::new));
    Dataset<Row> features = df(spark, FEATURES, featureRows.toArray(Object[][]::new));

    Dataset<Row> out = join(engine, spine, spec(false), features);

    assertEquals(spineRows.size(), out.count());
    assertSameRows(spine, out.select("id", "ts", "label"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void tiesOnFeatureTimeAreBrokenDeterministicallyAndTheWholeRowIsTaken(Engine engine, SparkSession spark) {
    Dataset<Row> spine = df(spark, SPINE, r("a", t(5, 0), 1), r("b", t(5, 0), 2));
    // Three rows of 'a' tie on time 4. Taking max(x) and max(y) separately would give (3, "z"), which is no row.
    List<Object[]> rows =
        new ArrayList<>(
            List.of(
                r("a", t(4, 0), 3, "a"),
                r("a", t(4, 0), 1, "z"),
                r("a", t(4, 0), 2, "m"),
                r("a", t(1, 0), 0, "old"),
                r("b", t(4, 0), 7, null),
                r("b", t(4, 0), 7, "q")));
    List<Row> first = null;
    for (int run = 0; run < 6; run++) {
      Collections.shuffle(rows, new Random(run));
      Dataset<Row> features =
          df(spark, FEATURES, rows.toArray(Object[][]::new)).repartition(3 + run % 2);
      List<Row> result = join(engine, spine, spec(false), features).orderBy("id").collectAsList();
      if (first == null) {
        first = result;
      }
      assertEquals(render(first), render(result), "run " + run + " differs from run 0");
    }
    Set<String> candidates = Set.of("a | 3 | a", "a | 1 | z", "a | 2 | m");
    String aRow = first.get(0).getString(0) + " | " + first.get(0).get(3) + " | " + first.get(0).get(4);
    assertTrue(candidates.contains(aRow), "the winner must be one whole feature row, got " + aRow);
    // the documented tie-break: feature values in ascending order (nulls first)
    assertEquals("a | 1 | z", aRow);
    assertEquals(7, first.get(1).get(3));
    assertEquals(null, first.get(1).get(4));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void twoSourcesWithDifferentKeyNamesAndPrefixes(Engine engine, SparkSession spark) {
    StructType spineSchema =
        new StructType()
            .add("loan_id", DataTypes.LongType)
            .add("applicant", DataTypes.StringType)
            .add("merchant", DataTypes.StringType)
            .add("event_ts", DataTypes.TimestampType);
    StructType applicantSchema =
        new StructType()
            .add("applicant_id", DataTypes.StringType)
            .add("as_of", DataTypes.TimestampType)
            .add("score", DataTypes.IntegerType);
    StructType merchantSchema =
        new StructType()
            .add("merchant_id", DataTypes.StringType)
            .add("as_of", DataTypes.TimestampType)
            .add("score", DataTypes.IntegerType);
    Dataset<Row> spine =
        df(
            spark,
            spineSchema,
            r(1L, "p1", "m1", t(10, 0)),
            r(2L, "p1", "m2", t(20, 0)),
            r(3L, "p2", "m1", t(10, 0)));
    Dataset<Row> applicants =
        df(
            spark,
            applicantSchema,
            r("p1", t(9, 0), 700),
            r("p1", t(15, 0), 710),
            r("p2", t(11, 0), 650)); // after loan 3's time
    Dataset<Row> merchants =
        df(spark, merchantSchema, r("m1", t(10, 0), 5), r("m2", t(1, 0), 8), r("m2", t(21, 0), 9));
    PitJoinSpec spec =
        new PitJoinSpec(
            "event_ts",
            List.of(
                new FeatureJoin("applicants", List.of("applicant"), List.of("applicant_id"), "as_of", List.of("score"), "app_", false),
                new FeatureJoin("merchants", List.of("merchant"), List.of("merchant_id"), "as_of", List.of("score"), "mer_", true)));

    Dataset<Row> out = engine.join(spine, spec, Map.of("applicants", applicants, "merchants", merchants));

    StructType expected =
        spineSchema.add("app_score", DataTypes.IntegerType).add("mer_score", DataTypes.IntegerType);
    assertEquals(
        List.of("loan_id", "applicant", "merchant", "event_ts", "app_score", "mer_score"), Arrays.asList(out.columns()));
    assertSameRows(
        df(
            spark,
            expected,
            r(1L, "p1", "m1", t(10, 0), 700, null), // merchants is strict: m1 at exactly 10:00 does not count
            r(2L, "p1", "m2", t(20, 0), 710, 8),
            r(3L, "p2", "m1", t(10, 0), null, null)),
        out);
  }

  /**
   * Two groups on one key whose features have the same types (in SORT_MERGE's rows they share one payload column,
   * told apart by the source slot): each spine row gets each group's own row, one inclusive, one strict.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void twoSourcesOfTheSameShapeOnOneKeyKeepTheirOwnRows(Engine engine, SparkSession spark) {
    Dataset<Row> spine = df(spark, SPINE, r("a", t(10, 0), 1), r("a", t(12, 0), 2), r("b", t(10, 0), 3));
    Dataset<Row> first =
        df(spark, FEATURES, r("a", t(9, 0), 10, "f9"), r("a", t(11, 0), 11, "f11"), r("b", t(10, 0), 12, "f10"));
    Dataset<Row> second =
        df(spark, FEATURES, r("a", t(10, 0), 20, "s10"), r("a", t(12, 0), 21, "s12"), r("b", t(1, 0), 22, "s1"));
    PitJoinSpec spec =
        new PitJoinSpec(
            "ts",
            List.of(
                new FeatureJoin("first", List.of("id"), List.of("id"), "fts", List.of("x", "y"), "f_", false),
                new FeatureJoin("second", List.of("id"), List.of("id"), "fts", List.of("x", "y"), "s_", true)));

    Dataset<Row> out = engine.join(spine, spec, Map.of("first", first, "second", second));

    StructType expected = SPINE.add("f_x", DataTypes.IntegerType).add("f_y", DataTypes.StringType)
        .add("s_x", DataTypes.IntegerType).add("s_y", DataTypes.StringType);
    assertSameRows(
        df(
            spark,
            expected,
            r("a", t(10, 0), 1, 10, "f9", null, null), // second is strict: its 10:00 row does not count
            r("a", t(12, 0), 2, 11, "f11", 20, "s10"),
            r("b", t(10, 0), 3, 12, "f10", 22, "s1")),
        out);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void compositeKeysMatchOnEveryColumn(Engine engine, SparkSession spark) {
    StructType spineSchema =
        new StructType().add("a", DataTypes.StringType).add("b", DataTypes.IntegerType).add("ts", DataTypes.TimestampType);
    StructType featureSchema =
        new StructType()
            .add("ka", DataTypes.StringType)
            .add("kb", DataTypes.IntegerType)
            .add("fts", DataTypes.TimestampType)
            .add("v", DataTypes.StringType);
    Dataset<Row> spine = df(spark, spineSchema, r("x", 1, t(5, 0)), r("x", 2, t(5, 0)), r("y", 1, t(5, 0)));
    Dataset<Row> features =
        df(spark, featureSchema, r("x", 1, t(1, 0), "x1"), r("x", 2, t(2, 0), "x2"), r("y", 2, t(1, 0), "y2"));
    PitJoinSpec spec =
        new PitJoinSpec(
            "ts", List.of(new FeatureJoin("f", List.of("a", "b"), List.of("ka", "kb"), "fts", List.of("v"), "", false)));

    assertSameRows(
        df(
            spark,
            spineSchema.add("v", DataTypes.StringType),
            r("x", 1, t(5, 0), "x1"),
            r("x", 2, t(5, 0), "x2"),
            r("y", 1, t(5, 0), null)),
        engine.join(spine, spec, Map.of("f", features)));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aSourceCanBeJoinedToItsOwnSpineStrictlyBefore(Engine engine, SparkSession spark) {
    // "the previous value of this entity": spine and source are the same frame
    StructType schema =
        new StructType().add("id", DataTypes.StringType).add("ts", DataTypes.TimestampType).add("v", DataTypes.IntegerType);
    Dataset<Row> events = df(spark, schema, r("a", t(1, 0), 1), r("a", t(2, 0), 2), r("a", t(3, 0), 3));
    PitJoinSpec spec =
        new PitJoinSpec(
            "ts", List.of(new FeatureJoin("self", List.of("id"), List.of("id"), "ts", List.of("v"), "prev_", true)));

    assertSameRows(
        df(
            spark,
            schema.add("prev_v", DataTypes.IntegerType),
            r("a", t(1, 0), 1, null),
            r("a", t(2, 0), 2, 1),
            r("a", t(3, 0), 3, 2)),
        engine.join(events, spec, Map.of("self", events)));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void worksWithDateSpineTimesAndOddColumnNames(Engine engine, SparkSession spark) {
    StructType spineSchema =
        new StructType().add("the id", DataTypes.StringType).add("as`of", DataTypes.DateType);
    StructType featureSchema =
        new StructType()
            .add("key.col", DataTypes.StringType)
            .add("feature day", DataTypes.DateType)
            .add("my value", DataTypes.DoubleType);
    Dataset<Row> spine =
        df(spark, spineSchema, r("a", java.sql.Date.valueOf("2024-03-02")), r("a", java.sql.Date.valueOf("2024-03-01")));
    Dataset<Row> features =
        df(
            spark,
            featureSchema,
            r("a", java.sql.Date.valueOf("2024-03-01"), 1.5),
            r("a", java.sql.Date.valueOf("2024-03-02"), 2.5));
    PitJoinSpec spec =
        new PitJoinSpec(
            "as`of",
            List.of(new FeatureJoin("f", List.of("the id"), List.of("key.col"), "feature day", List.of("my value"), "", false)));

    assertSameRows(
        df(
            spark,
            spineSchema.add("my value", DataTypes.DoubleType),
            r("a", java.sql.Date.valueOf("2024-03-02"), 2.5),
            r("a", java.sql.Date.valueOf("2024-03-01"), 1.5)),
        engine.join(spine, spec, Map.of("f", features)));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aMissingFeatureColumnIsAConfigErrorNamingIt(Engine engine, SparkSession spark) {
    Dataset<Row> spine = df(spark, SPINE, r("a", t(5, 0), 1));
    Dataset<Row> features = df(spark, FEATURES, r("a", t(4, 0), 10, "x"));
    PitJoinSpec spec =
        new PitJoinSpec("ts", List.of(FeatureJoin.of("f", List.of("id"), "fts", List.of("x", "no_such_feature"))));

    LakelineException.ConfigError e =
        assertThrows(LakelineException.ConfigError.class, () -> join(engine, spine, spec, features));
    assertTrue(e.getMessage().contains("'no_such_feature'"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void missingKeyTimeAndSpineTimeColumnsAreConfigErrorsNamingThem(Engine engine, SparkSession spark) {
    Dataset<Row> spine = df(spark, SPINE, r("a", t(5, 0), 1));
    Dataset<Row> features = df(spark, FEATURES, r("a", t(4, 0), 10, "x"));

    PitJoinSpec badSpineTime = new PitJoinSpec("spine_time", List.of(FeatureJoin.of("f", List.of("id"), "fts", List.of("x"))));
    PitJoinSpec badFeatureTime = new PitJoinSpec("ts", List.of(FeatureJoin.of("f", List.of("id"), "feature_time", List.of("x"))));
    PitJoinSpec badSpineKey =
        new PitJoinSpec(
            "ts", List.of(new FeatureJoin("f", List.of("customer"), List.of("id"), "fts", List.of("x"), "", false)));
    PitJoinSpec badFeatureKey =
        new PitJoinSpec(
            "ts", List.of(new FeatureJoin("f", List.of("id"), List.of("customer_id"), "fts", List.of("x"), "", false)));

    Map<PitJoinSpec, String> cases =
        Map.of(badSpineTime, "spine_time", badFeatureTime, "feature_time", badSpineKey, "customer", badFeatureKey, "customer_id");
    cases.forEach(
        (spec, column) -> {
          LakelineException.ConfigError e =
              assertThrows(LakelineException.ConfigError.class, () -> join(engine, spine, spec, features));
          assertTrue(e.getMessage().contains("'" + column + "'"), e.getMessage());
        });
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aSourceWithoutDataIsAConfigErrorNamingIt(Engine engine, SparkSession spark) {
    Dataset<Row> spine = df(spark, SPINE, r("a", t(5, 0), 1));
    LakelineException.ConfigError e =
        assertThrows(
            LakelineException.ConfigError.class,
            () -> engine.join(spine, spec(false), Map.of("other", spine)));
    assertTrue(e.getMessage().contains("'f'"), e.getMessage());
  }

  @Test
  void twoJoinsProducingTheSameColumnAreRejected() {
    FeatureJoin a = FeatureJoin.of("a", List.of("id"), "ts", List.of("score"));
    FeatureJoin b = FeatureJoin.of("b", List.of("id"), "ts", List.of("score", "other"));

    LakelineException.ConfigError e =
        assertThrows(LakelineException.ConfigError.class, () -> new PitJoinSpec("ts", List.of(a, b)));
    assertTrue(e.getMessage().contains("'score'"), e.getMessage());

    // the same features under prefixes that collide are rejected too; distinct prefixes are fine
    assertThrows(
        LakelineException.ConfigError.class,
        () -> new PitJoinSpec("ts", List.of(a.withPrefix("p_"), b.withPrefix("p_"))));
    new PitJoinSpec("ts", List.of(a.withPrefix("a_"), b.withPrefix("b_")));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aJoinAddingAColumnTheSpineAlreadyHasIsRejected(Engine engine, SparkSession spark) {
    Dataset<Row> spine = df(spark, SPINE, r("a", t(5, 0), 1));
    StructType schema = FEATURES.add("label", DataTypes.IntegerType);
    Dataset<Row> features = df(spark, schema, r("a", t(4, 0), 10, "x", 5));
    PitJoinSpec spec = new PitJoinSpec("ts", List.of(FeatureJoin.of("f", List.of("id"), "fts", List.of("label"))));

    LakelineException.ConfigError e =
        assertThrows(LakelineException.ConfigError.class, () -> join(engine, spine, spec, features));
    assertTrue(e.getMessage().contains("'label'"), e.getMessage());
  }

  @Test
  void keyListsOfDifferentLengthsAndEmptyFeatureListsAreRejected() {
    assertThrows(
        LakelineException.ConfigError.class,
        () -> new FeatureJoin("f", List.of("a", "b"), List.of("a"), "ts", List.of("x"), "", false));
    assertThrows(
        LakelineException.ConfigError.class,
        () -> new FeatureJoin("f", List.of(), List.of(), "ts", List.of("x"), "", false));
    assertThrows(LakelineException.ConfigError.class, () -> FeatureJoin.of("f", List.of("a"), "ts", List.of()));
  }

  /** Random tie-free data against a plain Java computation of the same semantics. */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void matchesAReferenceImplementationOnRandomData(Engine engine, SparkSession spark) {
    Random random = new Random(20240101L);
    int keys = 12;
    long base = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
    List<Object[]> featureRows = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      Set<Long> used = new HashSet<>();
      int n = random.nextInt(30);
      for (int i = 0; i < n; i++) {
        long minute = random.nextInt(2000);
        if (!used.add(minute)) {
          continue; // tie-free: one row per key and time
        }
        featureRows.add(r("k" + k, new Timestamp((base + minute * 60) * 1000), random.nextInt(1000), "s" + random.nextInt(50)));
      }
    }
    List<Object[]> spineRows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String key = random.nextInt(20) == 0 ? null : "k" + random.nextInt(keys + 2); // a few unknown keys
      Timestamp ts = random.nextInt(25) == 0 ? null : new Timestamp((base + random.nextInt(2100) * 60L) * 1000);
      spineRows.add(r(key, ts, i));
    }
    // Some spine times exactly on a feature time, so that <= and < differ.
    for (int i = 0; i < 40 && i < featureRows.size(); i++) {
      Object[] f = featureRows.get(random.nextInt(featureRows.size()));
      spineRows.add(r(f[0], f[1], 1000 + i));
    }
    spineRows.add(spineRows.get(0).clone()); // and a duplicate
    Dataset<Row> spine = df(spark, SPINE, spineRows.toArray(Object[][]::new)).repartition(3);
    Dataset<Row> features = df(spark, FEATURES, featureRows.toArray(Object[][]::new)).repartition(4);

    for (boolean strict : new boolean[] {false, true}) {
      List<Row> expected = new ArrayList<>();
      for (Object[] s : spineRows) {
        Object[] best = null;
        if (s[0] != null && s[1] != null) {
          for (Object[] f : featureRows) {
            Timestamp ft = (Timestamp) f[1];
            Timestamp st = (Timestamp) s[1];
            boolean inTime = strict ? ft.before(st) : !ft.after(st);
            if (f[0].equals(s[0]) && inTime && (best == null || ft.after((Timestamp) best[1]))) {
              best = f;
            }
          }
        }
        expected.add(RowFactory.create(s[0], s[1], s[2], best == null ? null : best[2], best == null ? null : best[3]));
      }
      Dataset<Row> actual = join(engine, spine, spec(strict), features);
      DataFrameAssertions.assertSameRows(expected, actual.collectAsList(), actual.columns());
      long matched = expected.stream().filter(row -> row.get(3) != null).count();
      assertTrue(matched > 100 && matched < expected.size(), "the data should exercise both outcomes: " + matched);
    }
  }

  private static List<String> render(List<Row> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(row -> out.add(DataFrameAssertions.render(row)));
    return out;
  }
}
