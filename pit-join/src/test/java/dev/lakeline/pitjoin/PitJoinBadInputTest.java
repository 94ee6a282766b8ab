package dev.lakeline.pitjoin;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bad input to the join: each a config error, raised before any job, naming the column or join. */
@SparkTest
class PitJoinBadInputTest {
  private static final StructType SPINE = new StructType()
      .add("id", DataTypes.StringType)
      .add("ts", DataTypes.TimestampType)
      .add("day", DataTypes.DateType)
      .add("label_text", DataTypes.StringType)
      .add("Score", DataTypes.IntegerType);
  private static final StructType FEATURES = new StructType()
      .add("id", DataTypes.StringType)
      .add("num_id", DataTypes.LongType)
      .add("fts", DataTypes.TimestampType)
      .add("fday", DataTypes.DateType)
      .add("score", DataTypes.IntegerType)
      .add("tags", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
      .add("other", DataTypes.IntegerType);

  private static void assertConfigError(Executable e, String... mentions) {
    LakelineException.ConfigError error = assertThrows(LakelineException.ConfigError.class, e);
    for (String m : mentions) {
      assertTrue(error.getMessage().contains(m), "'" + m + "' not in: " + error.getMessage());
    }
  }

  private static void join(Engine engine, SparkSession spark, String spineTime, FeatureJoin j) {
    Dataset<Row> spine = spark.createDataFrame(List.of(), SPINE);
    Dataset<Row> features = spark.createDataFrame(List.of(), FEATURES);
    engine.join(spine, new PitJoinSpec(spineTime, List.of(j)), Map.of("f", features));
  }

  private static FeatureJoin fj(String time, String... features) {
    return FeatureJoin.of("f", List.of("id"), time, List.of(features));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void spineTimeMissingOrNotATime(Engine engine, SparkSession spark) {
    assertConfigError(() -> join(engine, spark, "event_time", fj("fts", "other")), "'event_time'");
    assertConfigError(() -> join(engine, spark, "label_text", fj("fts", "other")), "'label_text'", "string", "TIMESTAMP or DATE");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void spineAndFeatureTimesOfDifferentTypes(Engine engine, SparkSession spark) {
    assertConfigError(() -> join(engine, spark, "day", fj("fts", "other")), "'f'", "'fts'", "timestamp", "'day'", "date");
    assertConfigError(() -> join(engine, spark, "ts", fj("fday", "other")), "'fday'", "date", "'ts'", "timestamp");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void keyTypesThatDiffer(Engine engine, SparkSession spark) {
    FeatureJoin j = new FeatureJoin("f", List.of("id"), List.of("num_id"), "fts", List.of("other"), "", false);
    assertConfigError(() -> join(engine, spark, "ts", j), "'f'", "'id'", "string", "'num_id'", "bigint");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aFeatureCollidingWithASpineColumnInAnyCase(Engine engine, SparkSession spark) {
    assertConfigError(() -> join(engine, spark, "ts", fj("fts", "score")), "'Score'", "'f'", "prefix");
    join(engine, spark, "ts", fj("fts", "score").withPrefix("f_"));
  }

  @Test
  void featuresOfTwoJoinsCollidingWithoutAPrefix() {
    FeatureJoin a = FeatureJoin.of("clicks", List.of("id"), "ts", List.of("count"));
    FeatureJoin b = FeatureJoin.of("views", List.of("id"), "ts", List.of("Count"));
    assertConfigError(() -> new PitJoinSpec("ts", List.of(a, b)), "'clicks'", "'views'", "'Count'", "prefix");
    new PitJoinSpec("ts", List.of(a, b.withPrefix("views_")));
  }

  @Test
  void aNegativeMaxAgeNamesTheJoin() {
    assertConfigError(() -> fj("fts", "other").withMaxAge(Duration.ofSeconds(-1)), "'f'", "negative", "PT-1S");
    fj("fts", "other").withMaxAge(Duration.ZERO);
  }

  @Test
  void defaultsForFeaturesNotSelectedOrNull() {
    assertConfigError(() -> fj("fts", "other").withDefault("score", 0), "'f'", "'score'", "not one of its features");
    assertConfigError(() -> fj("fts", "other").withDefault("other", null), "'other'", "null");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aDefaultThatCannotBeCastToTheFeature(Engine engine, SparkSession spark) {
    assertConfigError(() -> join(engine, spark, "ts", fj("fts", "other").withDefault("other", new int[] {1, 2})),
        "'other'", "array<int>", "the feature's type int");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aTieBreakThatIsMissingOrCannotBeOrdered(Engine engine, SparkSession spark) {
    assertConfigError(() -> join(engine, spark, "ts", fj("fts", "other").withTieBreak("commit_version")), "'commit_version'");
    assertConfigError(() -> join(engine, spark, "ts", fj("fts", "other").withTieBreak("tags")), "'tags'", "map");
  }

  @Test
  void nullArgumentsAreConfigErrorsNamingThem(SparkSession spark) {
    // from PySpark, None for a spec's list or a join's argument: named, not a NullPointerException
    Dataset<Row> spine = spark.createDataFrame(List.of(), SPINE);
    Dataset<Row> features = spark.createDataFrame(List.of(), FEATURES);
    PitJoinSpec spec = new PitJoinSpec("ts", List.of(fj("fts", "other")));
    assertConfigError(() -> PointInTimeJoin.join(null, spec, Map.of("f", features)), "spine");
    assertConfigError(() -> PointInTimeJoin.join(spine, null, Map.of("f", features)), "spec");
    assertConfigError(() -> PointInTimeJoin.join(spine, spec, null), "sources");
    assertConfigError(() -> new PitJoinSpec("ts", null), "joins");
    assertConfigError(() -> new FeatureJoin("f", List.of("id"), List.of("id"), "fts", null, "", false), "'f'", "no features");
    assertConfigError(() -> new FeatureJoin("f", null, List.of("id"), "fts", List.of("other"), "", false), "'f'", "spine keys");
  }
}
