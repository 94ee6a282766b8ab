package dev.lakeline.featurestore;

import static dev.lakeline.featurestore.FeatureGroupTest.r;
import static dev.lakeline.featurestore.FeatureGroupTest.rows;
import static dev.lakeline.featurestore.FeatureGroupTest.t;
import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.LakehouseTemplate;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class FeatureViewTest {

  static final StructType LOANS =
      new StructType()
          .add("loan_id", DataTypes.LongType)
          .add("applicant_id", DataTypes.StringType)
          .add("issue_ts", DataTypes.TimestampType)
          .add("amount", DataTypes.DoubleType)
          .add("defaulted", DataTypes.IntegerType);

  static final StructType CREDIT =
      new StructType()
          .add("applicant_id", DataTypes.StringType)
          .add("as_of", DataTypes.TimestampType)
          .add("score", DataTypes.IntegerType);

  static final StructType SPEND =
      new StructType()
          .add("customer", DataTypes.StringType)
          .add("day", DataTypes.TimestampType)
          .add("spend_30d", DataTypes.DoubleType);

  static final StructType PROFILE =
      new StructType().add("applicant_id", DataTypes.StringType).add("segment", DataTypes.StringType);

  private static final FeatureViewSpec.GroupRef LOANS_V1 = new FeatureViewSpec.GroupRef("loans", 1);
  private static final FeatureViewSpec.GroupRef CREDIT_V1 = new FeatureViewSpec.GroupRef("credit", 1);
  private static final FeatureViewSpec.GroupRef SPEND_V1 = new FeatureViewSpec.GroupRef("spend", 1);

  private static final TrainingDatasetOptions OPTIONS = new TrainingDatasetOptions("issue_ts >= '2024-01-01'", 0.5, 7L);

  /** The store of the tests: three groups with data, one without event time. */
  private record Store(FeatureStore store, FeatureGroup loans, FeatureGroup credit, FeatureGroup spend) {}

  /** Built once; each test gets its own copy (see {@link LakehouseTemplate}). */
  private static final LakehouseTemplate THREE_GROUPS = LakehouseTemplate.of(FeatureViewTest::build);

  private static Store store(SparkSession spark, TestLakehouse lake) {
    THREE_GROUPS.copyInto(spark, lake);
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    return new Store(
        store, store.getFeatureGroup("loans", 1), store.getFeatureGroup("credit", 1), store.getFeatureGroup("spend", 1));
  }

  private static void build(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    FeatureGroup loans =
        store.createFeatureGroup(FeatureGroupSpec.of("loans", List.of("loan_id"), "issue_ts"), LOANS);
    FeatureGroup credit =
        store.createFeatureGroup(FeatureGroupSpec.of("credit", List.of("applicant_id"), "as_of"), CREDIT);
    FeatureGroup spend = store.createFeatureGroup(FeatureGroupSpec.of("spend", List.of("customer"), "day"), SPEND);
    loans.overwrite(
        rows(
            spark,
            LOANS,
            r(1L, "p1", t(10), 1000.0, 0),
            r(2L, "p1", t(20), 2000.0, 1),
            r(3L, "p2", t(10), 1500.0, 0),
            r(4L, "p3", t(5), 500.0, 1)),
        "loans:1");
    credit.overwrite(
        rows(
            spark,
            CREDIT,
            r("p1", t(9), 700),
            r("p1", t(15), 710),
            r("p1", t(25), 720),
            r("p2", t(10), 650),
            r("p3", t(6), 600)),
        "credit:1");
    spend.overwrite(
        rows(spark, SPEND, r("p1", t(10), 50.0), r("p1", t(19), 60.0), r("p2", t(1), 5.0)), "spend:1");
  }

  private static FeatureViewSpec viewSpec() {
    return new FeatureViewSpec(
        "loan_view",
        1,
        LOANS_V1,
        List.of("amount"),
        List.of("defaulted"),
        List.of(
            new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "", false),
            new FeatureViewSpec.Join(SPEND_V1, List.of("applicant_id"), List.of("spend_30d"), "sp_", true)),
        "loans with bureau and spend features");
  }

  private static final StructType TRAINING =
      new StructType()
          .add("loan_id", DataTypes.LongType)
          .add("issue_ts", DataTypes.TimestampType)
          .add("amount", DataTypes.DoubleType)
          .add("score", DataTypes.IntegerType)
          .add("sp_spend_30d", DataTypes.DoubleType)
          .add("defaulted", DataTypes.IntegerType)
          .add("applicant_id", DataTypes.StringType);

  private static Dataset<Row> expectedTraining(SparkSession spark, Integer loan4Score) {
    return rows(
        spark,
        TRAINING,
        r(1L, t(10), 1000.0, 700, null, 0, "p1"), // spend is strict: p1's row at exactly t(10) is not taken
        r(2L, t(20), 2000.0, 710, 60.0, 1, "p1"), // not the later 720
        r(3L, t(10), 1500.0, 650, 5.0, 0, "p2"), // credit is inclusive: the row at exactly t(10)
        r(4L, t(5), 500.0, loan4Score, null, 1, "p3")); // p3's only score is after the loan
  }

  private static List<String> tdFolders(TestLakehouse lake) throws IOException {
    Path root = Path.of(lake.layout().trainingDatasets("loan_view", 1));
    try (Stream<Path> s = Files.list(root)) {
      // the datasets' folders; _identities beside them says which dataset holds each set of inputs
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("td[0-9]+")).sorted().toList();
    }
  }

  @Test
  void createTrainingDatasetWritesDataAndAManifestWithSourceVersions(SparkSession spark, TestLakehouse lake)
      throws IOException {
    Store s = store(spark, lake);
    FeatureView view = s.store().createFeatureView(viewSpec());

    TrainingDataset td = view.createTrainingDataset(OPTIONS);

    assertEquals(1, td.manifest().number());
    assertEquals("loan_view v1 td1", td.label());
    assertEquals(lake.layout().trainingDataset("loan_view", 1, 1), td.path());
    assertTrue(DeltaCommits.exists(spark, td.path() + "/data"));
    assertTrue(Files.isRegularFile(Path.of(td.path(), TrainingDataset.MANIFEST)));
    assertEquals(List.of("td1"), tdFolders(lake));

    TrainingDatasetManifest m = td.manifest();
    assertEquals(
        Map.of(
            "loans v1", s.loans().deltaVersion(),
            "credit v1", s.credit().deltaVersion(),
            "spend v1", s.spend().deltaVersion()),
        m.identity().sourceVersions());
    assertEquals("loan_view", m.identity().view());
    assertEquals(1, m.identity().viewVersion());
    assertEquals(OPTIONS.filter(), m.identity().filter());
    assertEquals(7L, m.identity().seed());
    assertEquals(List.of("amount", "score", "sp_spend_30d"), m.features());
    assertEquals(List.of("defaulted"), m.labels());
    assertEquals(List.of("loan_id", "issue_ts"), m.keys());
    assertEquals(4L, m.rowsPerSplit().values().stream().mapToLong(Long::longValue).sum());

    Dataset<Row> data = td.read();
    assertSameRows(expectedTraining(spark, null), data.drop(FeatureView.SPLIT));
    List<String> splits = data.select(FeatureView.SPLIT).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertTrue(List.of("test", "train").containsAll(splits), splits.toString());
    assertEquals(m.rowsPerSplit().getOrDefault("train", 0L), td.train().count());
    assertEquals(m.rowsPerSplit().getOrDefault("test", 0L), td.test().count());

    // the manifest on disk says the same, so a fresh store finds it
    TrainingDataset reopened = TrainingDataset.open(spark, lake.layout(), "loan_view", 1, 1);
    assertEquals(m, reopened.manifest());
  }

  @Test
  void theSameOptionsReturnTheSameDatasetAndNewSourceDataGivesANewOne(SparkSession spark, TestLakehouse lake)
      throws IOException {
    Store s = store(spark, lake);
    FeatureView view = s.store().createFeatureView(viewSpec());
    TrainingDataset td1 = view.createTrainingDataset(OPTIONS);
    List<Row> td1Rows = td1.read().collectAsList();
    long td1Version = DeltaCommits.currentVersion(spark, td1.path() + "/data");

    TrainingDataset again =
        FeatureStore.open(spark, lake.layout()).getFeatureView("loan_view", 1).createTrainingDataset(OPTIONS);

    assertEquals(1, again.manifest().number());
    assertEquals(td1.manifest(), again.manifest());
    assertEquals(List.of("td1"), tdFolders(lake), "no new dataset");
    assertEquals(td1Version, DeltaCommits.currentVersion(spark, td1.path() + "/data"), "td1 not rewritten");

    // new credit data: p3 gets a score before its loan
    s.credit()
        .overwrite(
            rows(
                spark,
                CREDIT,
                r("p1", t(9), 700),
                r("p1", t(15), 710),
                r("p1", t(25), 720),
                r("p2", t(10), 650),
                r("p3", t(4), 610),
                r("p3", t(6), 600)),
            "credit:2");
    TrainingDataset td2 = view.createTrainingDataset(OPTIONS);

    assertEquals(2, td2.manifest().number());
    assertEquals(List.of("td1", "td2"), tdFolders(lake));
    assertNotEquals(
        td1.manifest().identity().sourceVersions().get("credit v1"),
        td2.manifest().identity().sourceVersions().get("credit v1"));
    assertEquals(s.credit().deltaVersion(), td2.manifest().identity().sourceVersions().get("credit v1"));
    assertSameRows(expectedTraining(spark, 610), td2.read().drop(FeatureView.SPLIT));
    // the old dataset is untouched
    DataFrameAssertions.assertSameRows(td1Rows, td1.read().collectAsList(), td1.read().columns());
    assertSameRows(expectedTraining(spark, null), td1.read().drop(FeatureView.SPLIT));
    // and asking again still gives td2
    assertEquals(2, view.createTrainingDataset(OPTIONS).manifest().number());
  }

  @Test
  void otherOptionsGiveAnotherDatasetAndTheSplitDependsOnlyOnTheSeed(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    FeatureView view = s.store().createFeatureView(viewSpec());
    TrainingDataset all = view.createTrainingDataset(OPTIONS);
    TrainingDataset filtered = view.createTrainingDataset(new TrainingDatasetOptions("issue_ts >= '2024-01-10'", 0.5, 7L));

    assertEquals(2, filtered.manifest().number());
    assertEquals(3, filtered.read().count());
    // the split of a row is a function of its identity and the seed, so both datasets agree on shared rows
    Dataset<Row> joined =
        all.read().as("a").join(filtered.read().as("f"), "loan_id").where("a.split <> f.split");
    assertEquals(0, joined.count());
  }

  private static int score(FeatureView view, long loan) {
    return view.batchData("loan_id = " + loan).data().select("score").as(org.apache.spark.sql.Encoders.INT()).first();
  }

  @Test
  void rowsWithTheSameKeyAndEventTimeGoToTheLaterCommitAlsoAfterCompaction(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    // a later batch repeats p1's score at t(15) (loan 2's answer) with a higher value: by value alone 710 would win
    s.credit().insert(rows(spark, CREDIT, r("p1", t(15), 790)), InsertOptions.append("credit:late"));
    FeatureView view = s.store().createFeatureView(viewSpec());
    TrainingDataset td = view.createTrainingDataset(OPTIONS);
    assertEquals(790, td.read().where("loan_id = 2").select("score").as(org.apache.spark.sql.Encoders.INT()).first());

    // and a batch after that one, with a lower value: now that commit's row wins
    s.credit().insert(rows(spark, CREDIT, r("p1", t(15), 705)), InsertOptions.append("credit:later"));
    assertEquals(705, score(view, 2));
    // compaction rewrites every file of the group; each row keeps the commit that wrote it
    io.delta.tables.DeltaTable.forPath(spark, s.credit().path()).optimize().executeCompaction();
    assertEquals(1, io.delta.tables.DeltaTable.forPath(spark, s.credit().path()).detail().first().<Long>getAs("numFiles"));
    assertEquals(705, score(view, 2));
    assertEquals(700, score(view, 1), "the rows without a tie are as before");

    // the dataset rebuilt from its manifest reads the versions it was made from: 790 again
    Dataset<Row> again = view.recreateTrainingDataset(td.manifest());
    assertSameRows(td.read(), again);
  }

  @Test
  void theLatestFeaturesOfAnEntityTakeTheLaterCommitOfTwoRowsAtItsLatestTime(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    // loan 2 appended again at its time with another amount: the later commit is the entity's latest row
    s.loans().insert(rows(spark, LOANS, r(2L, "p1", t(20), 2500.0, 1)), InsertOptions.append("loans:late"));
    FeatureView view = s.store().createFeatureView(viewSpec());

    Dataset<Row> latest = view.latestFeatures(t(30).toInstant()).data().where("loan_id = 2");

    assertEquals(List.of(2500.0), latest.select("amount").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList());
    s.loans().insert(rows(spark, LOANS, r(2L, "p1", t(20), 1900.0, 1)), InsertOptions.append("loans:later"));
    assertEquals(List.of(1900.0), view.latestFeatures(t(30).toInstant()).data().where("loan_id = 2")
        .select("amount").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList());
  }

  @Test
  void aTableWithoutRowTrackingHasNoCommitPerRowSoItsTiesGoByValue(SparkSession spark, TestLakehouse lake) {
    String path = lake.layout().root() + "/plain";
    spark.sql("SELECT 'p1' AS k, 1 AS v").write().format("delta").save(path);
    Dataset<Row> plain = CommitOrder.withCommitVersion(spark.read().format("delta").load(path));
    assertEquals(1, plain.where(org.apache.spark.sql.functions.col(CommitOrder.COLUMN).isNull()).count());

    Store s = store(spark, lake);
    Dataset<Row> tracked = CommitOrder.withCommitVersion(s.credit().read());
    assertEquals(5, tracked.where(org.apache.spark.sql.functions.col(CommitOrder.COLUMN).equalTo(s.credit().deltaVersion())).count(),
        "a group's rows carry the version that wrote them");
  }

  @Test
  void batchDataLeavesOutLabels(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    FeatureView view = s.store().createFeatureView(viewSpec());

    FeatureView.FeatureFrame frame = view.batchData("loan_id IN (2, 3)");

    assertFalse(Arrays.asList(frame.data().columns()).contains("defaulted"));
    assertFalse(Arrays.asList(frame.data().columns()).contains(FeatureView.SPLIT));
    assertSameRows(expectedTraining(spark, null).drop("defaulted").where("loan_id IN (2, 3)"), frame.data());
    assertEquals(s.credit().deltaVersion(), frame.sourceVersions().get("credit v1"));
    assertEquals(3, frame.sourceVersions().size());
  }

  @Test
  void creatingAViewAgainReturnsItAndAnotherDefinitionIsAConflict(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    s.store().createFeatureView(viewSpec());

    FeatureView again = FeatureStore.open(spark, lake.layout()).createFeatureView(viewSpec());
    assertEquals(viewSpec(), again.spec());

    FeatureViewSpec other =
        new FeatureViewSpec("loan_view", 1, LOANS_V1, List.of("amount"), List.of("defaulted"), List.of(), "");
    assertThrows(LakelineException.Conflict.class, () -> s.store().createFeatureView(other));
    assertThrows(LakelineException.NotFound.class, () -> s.store().getFeatureView("loan_view", 2));
  }

  private static void assertConfigError(Store s, FeatureViewSpec spec, String... mentions) {
    LakelineException.ConfigError e =
        assertThrows(LakelineException.ConfigError.class, () -> s.store().createFeatureView(spec));
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "message should mention '" + m + "': " + e.getMessage());
    }
    assertThrows(
        LakelineException.NotFound.class,
        () -> s.store().getFeatureView(spec.name(), spec.version()),
        "an invalid view must not be written");
  }

  @Test
  void aViewNamingAMissingColumnIsAConfigError(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    FeatureViewSpec.Join credit = new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "", false);

    assertConfigError(
        s, new FeatureViewSpec("v", 1, LOANS_V1, List.of("amount", "ammount"), List.of(), List.of(credit), ""), "'ammount'");
    assertConfigError(
        s, new FeatureViewSpec("v", 1, LOANS_V1, List.of("amount"), List.of("is_bad"), List.of(credit), ""), "'is_bad'");
    assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of(), List.of(),
            List.of(new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("fico"), "", false)), ""),
        "'fico'",
        "credit v1");
    assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of(), List.of(),
            List.of(new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant"), List.of("score"), "", false)), ""),
        "'applicant'");
    assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of(), List.of(),
            List.of(new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id", "loan_id"), List.of("score"), "", false)), ""),
        "credit v1");
    // a join key of another type than the group's key: found when the view is made, not by its first training dataset
    assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of(), List.of(),
            List.of(new FeatureViewSpec.Join(CREDIT_V1, List.of("amount"), List.of("score"), "", false)), ""),
        "matches the base column 'amount' (double) with its key 'applicant_id' (string)");
    // a label that is a key or the event time would be a second column of the same name in every dataset
    assertConfigError(
        s, new FeatureViewSpec("v", 1, LOANS_V1, List.of("amount"), List.of("defaulted", "loan_id"), List.of(credit), ""),
        "the label 'loan_id' is the base group's key or event time");
    assertConfigError(
        s, new FeatureViewSpec("v", 1, LOANS_V1, List.of("amount"), List.of("applicant_id"), List.of(credit), ""),
        "'applicant_id' is both a label and the key of the join of credit v1");
  }

  @Test
  void aViewJoiningAGroupWithoutEventTimeIsAConfigError(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    s.store().createFeatureGroup(FeatureGroupSpec.of("profile", List.of("applicant_id"), null), PROFILE);
    FeatureViewSpec.GroupRef profile = new FeatureViewSpec.GroupRef("profile", 1);

    assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of("amount"), List.of(),
            List.of(new FeatureViewSpec.Join(profile, List.of("applicant_id"), List.of("segment"), "", false)), ""),
        "profile v1",
        "event time",
        "static: true in a view file",
        "Join.onKey");
    // nor can it be the base
    assertConfigError(
        s, new FeatureViewSpec("v", 1, profile, List.of("segment"), List.of(), List.of(), ""), "profile v1", "event time");
  }

  @Test
  void aViewJoiningAGroupWhoseEventTimeHasAnotherTypeIsAConfigError(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    StructType daily = new StructType()
        .add("applicant_id", DataTypes.StringType).add("day", DataTypes.DateType).add("visits", DataTypes.IntegerType);
    s.store().createFeatureGroup(FeatureGroupSpec.of("visits", List.of("applicant_id"), "day"), daily);

    // found when the view is made, not by the first read of it (the join compares times of one type)
    assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of("amount"), List.of(),
            List.of(new FeatureViewSpec.Join(new FeatureViewSpec.GroupRef("visits", 1), List.of("applicant_id"),
                List.of("visits"), "", false)), ""),
        "group visits v1 has the event time 'day' of type date, but the base group loans v1's event time 'issue_ts' is "
            + "timestamp",
        "both TIMESTAMP or both DATE");
  }

  @Test
  void aGroupWithoutEventTimeDeclaredStaticIsJoinedOnKeyAlone(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    FeatureGroup profile =
        s.store().createFeatureGroup(FeatureGroupSpec.of("profile", List.of("applicant_id"), null), PROFILE);
    profile.overwrite(rows(spark, PROFILE, r("p1", "gold"), r("p2", "silver"), r("p9", "none")), "profile:1");
    FeatureViewSpec.GroupRef profileV1 = new FeatureViewSpec.GroupRef("profile", 1);
    FeatureViewSpec spec =
        new FeatureViewSpec(
            "static_view", 1, LOANS_V1, List.of("amount"), List.of("defaulted"),
            List.of(
                new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "", false),
                FeatureViewSpec.Join.onKey(profileV1, List.of("applicant_id"), List.of("segment"), "pr_")),
            "");

    FeatureView view = s.store().createFeatureView(spec);
    assertEquals(spec, FeatureStore.open(spark, lake.layout()).getFeatureView("static_view", 1).spec(), "read back");
    Dataset<Row> data = view.batchData(null).data();

    assertSameRows(
        rows(
            spark,
            new StructType()
                .add("loan_id", DataTypes.LongType)
                .add("score", DataTypes.IntegerType)
                .add("pr_segment", DataTypes.StringType),
            r(1L, 700, "gold"),
            r(2L, 710, "gold"),
            r(3L, 650, "silver"),
            r(4L, null, null)), // p3 has no profile: a left join
        data.select("loan_id", "score", "pr_segment"));

    TrainingDataset td = view.createTrainingDataset(OPTIONS);
    TrainingDatasetManifest.JoinedGroup recorded = td.manifest().joins().get(1);
    assertTrue(recorded.staticJoin());
    assertEquals(null, recorded.eventTime());
    assertEquals("profile v1", recorded.group());
    // a later batch gives p1 another segment: the later commit's row is taken, though "gold" sorts after "bronze"
    profile.insert(rows(spark, PROFILE, r("p1", "bronze")), InsertOptions.append("profile:2"));
    assertEquals(List.of("bronze", "bronze"), view.batchData("loan_id IN (1, 2)").data().select("pr_segment")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

    // a group with an event time cannot be declared static: that would leak later rows
    assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of("amount"), List.of(),
            List.of(FeatureViewSpec.Join.onKey(CREDIT_V1, List.of("applicant_id"), List.of("score"), "")), ""),
        "credit v1",
        "'as_of'",
        "point-in-time");
    // and a static join has no time to be strict about
    assertThrows(
        LakelineException.ConfigError.class,
        () -> new FeatureViewSpec.Join(profileV1, List.of("applicant_id"), List.of("segment"), "", true, true));
  }

  @Test
  void aViewOnAMissingGroupIsNotFound(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    FeatureViewSpec spec =
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of("amount"), List.of(),
            List.of(new FeatureViewSpec.Join(new FeatureViewSpec.GroupRef("credit", 2), List.of("applicant_id"), List.of("score"), "", false)),
            "");
    LakelineException.NotFound e = assertThrows(LakelineException.NotFound.class, () -> s.store().createFeatureView(spec));
    assertTrue(e.getMessage().contains("credit v2"), e.getMessage());
  }

  @Test
  void aViewWhoseJoinsProduceTheSameColumnIsAConfigError(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    FeatureViewSpec clash =
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of(), List.of(),
            List.of(
                new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "", false),
                new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "", true)),
            "");
    assertConfigError(s, clash, "'score'");
    // a label that is also a feature would be a duplicate column too
    assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of("amount"), List.of("amount"), List.of(), ""),
        "'amount'");

    // a joined feature named like a column the base rows have (in any case) is refused when the view is created
    StructType extrasSchema = new StructType()
        .add("applicant_id", DataTypes.StringType)
        .add("Loan_ID", DataTypes.LongType)
        .add("ISSUE_TS", DataTypes.TimestampType)
        .add("AMOUNT", DataTypes.DoubleType)
        .add("Defaulted", DataTypes.IntegerType);
    s.store().createFeatureGroup(FeatureGroupSpec.of("extras", List.of("applicant_id"), null), extrasSchema);
    FeatureViewSpec.GroupRef extras = new FeatureViewSpec.GroupRef("extras", 1);
    Map<String, String> clashes = Map.of(
        "Loan_ID", "the base key 'loan_id'",
        "ISSUE_TS", "the base event time 'issue_ts'",
        "applicant_id", "the join key 'applicant_id'",
        "AMOUNT", "the base feature 'amount'",
        "Defaulted", "the label 'defaulted'");
    clashes.forEach((feature, already) -> assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of("amount"), List.of("defaulted"),
            List.of(FeatureViewSpec.Join.onKey(extras, List.of("applicant_id"), List.of(feature), "")), ""),
        "the join of extras v1 would add the column '" + feature + "', which is already " + already + ". Give the join a prefix"));
    // point-in-time joins too, and two joins whose columns differ in case only
    assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of(), List.of(),
            List.of(
                new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "Loan_", false),
                new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "loan_", true)),
            ""),
        "would add the column 'loan_score', which is already the column 'Loan_score' of the join of credit v1");
    assertConfigError(
        s,
        new FeatureViewSpec(
            "v", 1, LOANS_V1, List.of(), List.of(),
            List.of(new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("applicant_id"), "", false)), ""),
        "would add the column 'applicant_id', which is already the join key 'applicant_id'");
    // a prefix resolves it
    assertEquals(List.of("loan_id", "issue_ts", "amount", "x_Loan_ID", "defaulted", "applicant_id"), List.of(
        s.store().createFeatureView(new FeatureViewSpec(
                "v3", 1, LOANS_V1, List.of("amount"), List.of("defaulted"),
                List.of(FeatureViewSpec.Join.onKey(extras, List.of("applicant_id"), List.of("Loan_ID"), "x_")), ""))
            .createTrainingDataset(OPTIONS).read().drop("split").columns()));

    // with prefixes the same group can be joined twice (at and strictly before the base time)
    FeatureViewSpec prefixed =
        new FeatureViewSpec(
            "v2", 1, LOANS_V1, List.of(), List.of(),
            List.of(
                new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "now_", false),
                new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "before_", true)),
            "");
    List<Row> out =
        s.store().createFeatureView(prefixed).batchData("loan_id = 3").data().select("now_score", "before_score").collectAsList();
    assertEquals(1, out.size());
    assertEquals(650, out.get(0).get(0));
    assertEquals(null, out.get(0).get(1));
  }
}
