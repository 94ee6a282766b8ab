package dev.lakeline.featurestore;

import static dev.lakeline.featurestore.FeatureGroupTest.r;
import static dev.lakeline.featurestore.FeatureGroupTest.rows;
import static dev.lakeline.featurestore.FeatureGroupTest.t;
import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.featurestore.FeatureViewSpec.GroupRef;
import dev.lakeline.featurestore.FeatureViewSpec.Join;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view's per-join options (maximum age, defaults for misses, inner joins, on point-in-time and static joins),
 * its declared model-dependent transformations, how both are stored, and the YAML that declares them.
 */
@SparkTest
class FeatureViewJoinOptionsTest {
  private static final StructType LOANS =
      new StructType()
          .add("loan_id", DataTypes.LongType)
          .add("applicant_id", DataTypes.StringType)
          .add("issue_ts", DataTypes.TimestampType)
          .add("amount", DataTypes.DoubleType)
          .add("purpose", DataTypes.StringType)
          .add("defaulted", DataTypes.IntegerType);
  private static final StructType CREDIT =
      new StructType()
          .add("applicant_id", DataTypes.StringType)
          .add("as_of", DataTypes.TimestampType)
          .add("score", DataTypes.IntegerType);
  private static final StructType PROFILE =
      new StructType().add("applicant_id", DataTypes.StringType).add("segment", DataTypes.StringType);
  private static final StructType OUT =
      new StructType()
          .add("loan_id", DataTypes.LongType)
          .add("issue_ts", DataTypes.TimestampType)
          .add("amount", DataTypes.DoubleType)
          .add("score", DataTypes.IntegerType)
          .add("segment", DataTypes.StringType)
          .add("applicant_id", DataTypes.StringType);

  private static final GroupRef LOANS_V1 = new GroupRef("loans", 1);
  private static final GroupRef CREDIT_V1 = new GroupRef("credit", 1);
  private static final GroupRef PROFILE_V1 = new GroupRef("profile", 1);
  private static final Join CREDIT_JOIN = new Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "", false);
  private static final Join PROFILE_JOIN = Join.onKey(PROFILE_V1, List.of("applicant_id"), List.of("segment"), "");

  /**
   * Loans 1 (p1, day 10), 2 (p1, day 20), 3 (p2, day 10), 4 (p3, day 5). Credit: p1 on days 9, 15, 25; p2 on day 10;
   * p3 on day 6 (after its loan). Profiles: p1 gold, p2 silver, none for p3.
   */
  private static FeatureStore store(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    store.createFeatureGroup(FeatureGroupSpec.of("loans", List.of("loan_id"), "issue_ts"), LOANS)
        .overwrite(rows(spark, LOANS,
            r(1L, "p1", t(10), 1000.0, "car", 0),
            r(2L, "p1", t(20), 2000.0, "house", 1),
            r(3L, "p2", t(10), 1500.0, "car", 0),
            r(4L, "p3", t(5), 500.0, "debt", 1)), "loans:1");
    store.createFeatureGroup(FeatureGroupSpec.of("credit", List.of("applicant_id"), "as_of"), CREDIT)
        .overwrite(rows(spark, CREDIT,
            r("p1", t(9), 700), r("p1", t(15), 710), r("p1", t(25), 720), r("p2", t(10), 650), r("p3", t(6), 600)),
            "credit:1");
    store.createFeatureGroup(FeatureGroupSpec.of("profile", List.of("applicant_id"), null), PROFILE)
        .overwrite(rows(spark, PROFILE, r("p1", "gold"), r("p2", "silver")), "profile:1");
    return store;
  }

  private static FeatureViewSpec view(String name, Join credit, Join profile) {
    return new FeatureViewSpec(
        name, 1, LOANS_V1, List.of("amount"), List.of("defaulted"), List.of(credit, profile), "");
  }

  @Test
  void maxAgeDefaultsAndInnerJoinsShapeTheViewsRows(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = store(spark, lake);

    // a credit report older than 3 days is a miss, and a miss scores 0; a loan without a profile is "unknown"
    FeatureView left = store.createFeatureView(view("left",
        CREDIT_JOIN.withMaxAge(Duration.ofDays(3)).withDefault("score", 0),
        PROFILE_JOIN.withDefault("segment", "unknown")));
    assertSameRows(rows(spark, OUT,
            r(1L, t(10), 1000.0, 700, "gold", "p1"),     // report of day 9: 1 day old
            r(2L, t(20), 2000.0, 0, "gold", "p1"),       // latest report (day 15) is 5 days old: a miss, the default
            r(3L, t(10), 1500.0, 650, "silver", "p2"),   // same day: age 0 is within the maximum age
            r(4L, t(5), 500.0, 0, "unknown", "p3")),     // no report before the loan, no profile
        left.batchData((String) null).data());

    // inner joins drop the base rows a group does not match
    FeatureView inner = store.createFeatureView(view("inner",
        CREDIT_JOIN.withMaxAge(Duration.ofDays(3)).withInner(true), PROFILE_JOIN.withInner(true)));
    assertSameRows(rows(spark, OUT,
            r(1L, t(10), 1000.0, 700, "gold", "p1"),
            r(3L, t(10), 1500.0, 650, "silver", "p2")),
        inner.batchData((String) null).data());

    // and a training dataset records the options in its manifest and is recreated with them
    TrainingDataset td = left.createTrainingDataset(new TrainingDatasetOptions(null, 0.5, 7L));
    TrainingDatasetManifest.JoinedGroup credit = td.manifest().joins().get(0);
    assertEquals("PT72H", credit.maxAge());
    assertEquals(Map.of("score", 0L), credit.defaults());
    assertEquals(false, credit.inner());
    assertEquals(Map.of("segment", "unknown"), td.manifest().joins().get(1).defaults());
    assertSameRows(td.read(), left.recreateTrainingDataset(td.manifest()));
  }

  @Test
  void theOptionsAndTransformationsAreStoredWithTheView(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = store(spark, lake);
    FeatureViewSpec spec = view("stored",
            CREDIT_JOIN.withMaxAge(Duration.ofHours(36)).withDefault("score", 300).withInner(true),
            PROFILE_JOIN.withDefault("segment", "unknown"))
        .withTransformation("amount", ModelTransformation.ROBUST_SCALER)
        .withTransformation("score", ModelTransformation.MIN_MAX_SCALER)
        .withTransformation("segment", ModelTransformation.LABEL_ENCODER);
    store.createFeatureView(spec);

    FeatureViewSpec read = FeatureStore.open(spark, lake.layout()).getFeatureView("stored", 1).spec();
    assertEquals(spec, read);
    assertEquals(300L, read.joins().get(0).defaults().get("score"), "whole numbers are kept as Long");
    assertEquals(Duration.ofHours(36), read.joins().get(0).maxAge());
    assertEquals(ModelTransformation.ROBUST_SCALER, read.transformations().get("amount"));
    // creating it again is not a conflict (the stored JSON reads back equal)
    assertEquals(spec, store.createFeatureView(spec).spec());
    // a different TTL is another definition
    assertThrows(LakelineException.Conflict.class, () -> store.createFeatureView(
        view("stored", CREDIT_JOIN.withMaxAge(Duration.ofHours(48)), PROFILE_JOIN)));
  }

  private static void assertRejected(FeatureStore store, FeatureViewSpec spec, String... mentions) {
    LakelineException.ConfigError e = assertThrows(LakelineException.ConfigError.class, () -> store.createFeatureView(spec));
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "message should mention '" + m + "': " + e.getMessage());
    }
    assertThrows(LakelineException.NotFound.class, () -> store.getFeatureView(spec.name(), 1), "nothing written");
  }

  @Test
  void badOptionsAndTransformationsAreConfigErrorsNamingTheFeature(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = store(spark, lake);
    FeatureViewSpec plain = view("v", CREDIT_JOIN, PROFILE_JOIN);

    assertRejected(store, plain.withTransformation("amount_usd", ModelTransformation.STANDARD_SCALER),
        "'amount_usd'", "standard_scaler", "[amount, score, segment]");
    assertRejected(store, plain.withTransformation("segment", ModelTransformation.STANDARD_SCALER),
        "'segment'", "string", "label_encoder");
    assertRejected(store, plain.withTransformation("amount", ModelTransformation.ONE_HOT_ENCODER),
        "'amount'", "double", "standard_scaler");
    assertRejected(store, view("v", CREDIT_JOIN.withDefault("score", "high"), PROFILE_JOIN),
        "'score'", "credit v1", "'high'", "int", "number");
    assertRejected(store, view("v", CREDIT_JOIN, PROFILE_JOIN.withDefault("segment", 1)),
        "'segment'", "profile v1", "string");

    // checked when the join is built, before any group is read
    LakelineException.ConfigError notSelected =
        assertThrows(LakelineException.ConfigError.class, () -> CREDIT_JOIN.withDefault("fico", 0));
    assertTrue(notSelected.getMessage().contains("'fico'") && notSelected.getMessage().contains("[score]"), notSelected.getMessage());
    LakelineException.ConfigError negative =
        assertThrows(LakelineException.ConfigError.class, () -> CREDIT_JOIN.withMaxAge(Duration.ofDays(-1)));
    assertTrue(negative.getMessage().contains("negative maximum age"), negative.getMessage());
    LakelineException.ConfigError staticAge =
        assertThrows(LakelineException.ConfigError.class, () -> PROFILE_JOIN.withMaxAge(Duration.ofDays(1)));
    assertTrue(staticAge.getMessage().contains("static join of profile v1"), staticAge.getMessage());
    LakelineException.ConfigError unknown =
        assertThrows(LakelineException.ConfigError.class, () -> ModelTransformation.of("standard_scalar"));
    assertTrue(unknown.getMessage().contains("Did you mean 'standard_scaler'?"), unknown.getMessage());
  }

  private static final String YAML = """
      name: loan_view
      version: 2
      base: {group: loans, version: 1}
      features: [amount]
      labels: [defaulted]
      joins:
        - group: credit
          keys: [applicant_id]
          features: [score]
          max_age: 36h
          defaults: {score: 300}
          inner: true
        - group: profile
          keys: [applicant_id]
          features: [segment]
          static: true
          defaults: {segment: unknown}
      transformations:
        amount: robust_scaler
        segment: one_hot_encoder
      """;

  @Test
  void aViewFileDeclaresTheOptionsAndTransformations(@TempDir Path dir) throws IOException {
    FeatureViewSpec spec = FeatureViewFiles.load(Files.writeString(dir.resolve("v.yaml"), YAML));

    assertEquals(
        new FeatureViewSpec("loan_view", 2, LOANS_V1, List.of("amount"), List.of("defaulted"),
                List.of(CREDIT_JOIN.withMaxAge(Duration.ofHours(36)).withDefault("score", 300L).withInner(true),
                    PROFILE_JOIN.withDefault("segment", "unknown")), "")
            .withTransformation("amount", ModelTransformation.ROBUST_SCALER)
            .withTransformation("segment", ModelTransformation.ONE_HOT_ENCODER),
        spec);
  }

  @Test
  void badViewFilesNameTheFileTheJoinAndTheFix(@TempDir Path dir) throws IOException {
    assertFileError(dir, YAML.replace("max_age: 36h", "max_age: -2d"), "join 1 ('credit') max_age", "cannot be negative");
    assertFileError(dir, YAML.replace("max_age: 36h", "max_age: 36 hours"), "'36 hours' is not a length");
    assertFileError(dir, YAML.replace("defaults: {score: 300}", "defaults: {score: [1, 2]}"),
        "join 1 ('credit')", "default of 'score'", "number, a string or a boolean");
    assertFileError(dir, YAML.replace("defaults: {score: 300}", "defaults: 300"), "'defaults' must map features");
    assertFileError(dir, YAML.replace("amount: robust_scaler", "amount: robust_scalr"),
        "transformations: 'amount'", "Did you mean 'robust_scaler'?");
    assertFileError(dir, YAML.replace("static: true", "static: true\n    max_age: 1d"), "join 2", "cannot have a max_age");
    assertFileError(dir, YAML.replace("inner: true", "innner: true"), "join 1", "'innner'");
    // a version or a flag of the wrong kind is an error, never read as 1 or false
    assertFileError(dir, YAML.replace("version: 2", "version: v2"), "'version' must be a whole number", "not 'v2'");
    assertFileError(dir, YAML.replace("{group: loans, version: 1}", "{group: loans, version: 1.5}"),
        "'base': 'version' must be a whole number", "not 1.5");
    assertFileError(dir, YAML.replace("- group: credit\n", "- group: credit\n    version: '2'\n"),
        "join 1 ('credit'): 'version' must be a whole number", "not '2'");
    assertFileError(dir, YAML.replace("inner: true", "inner: true\n    strict: 'yes'"),
        "join 1 ('credit'): 'strict' must be true or false, not 'yes'");
    assertFileError(dir, YAML.replace("inner: true", "inner: 'no'"), "join 1 ('credit'): 'inner' must be true or false, not 'no'");
    assertFileError(dir, YAML.replace("static: true", "static: 1"), "join 2 ('profile'): 'static' must be true or false, not 1");
    // a key given twice is an error, never the later value silently winning
    assertFileError(dir, YAML.replace("labels: [defaulted]", "features: [defaulted]\nlabels: [defaulted]"),
        "is not valid YAML", "Duplicate field 'features'");
  }

  private static void assertFileError(Path dir, String yaml, String... mentions) throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
    LakelineException.ConfigError e = assertThrows(LakelineException.ConfigError.class, () -> FeatureViewFiles.load(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "message should mention '" + m + "': " + e.getMessage());
    }
  }
}
