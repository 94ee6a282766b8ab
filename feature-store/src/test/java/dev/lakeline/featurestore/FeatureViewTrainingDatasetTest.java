package dev.lakeline.featurestore;

import static dev.lakeline.featurestore.FeatureGroupTest.r;
import static dev.lakeline.featurestore.FeatureGroupTest.rows;
import static dev.lakeline.featurestore.FeatureGroupTest.t;
import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.LakehouseTemplate;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Splits, manifests and recreation of training datasets, on 56 loans of 14 applicants over January 2024. */
@SparkTest
class FeatureViewTrainingDatasetTest {
  private static final FeatureViewSpec.GroupRef LOANS_V1 = new FeatureViewSpec.GroupRef("loans", 1);
  private static final FeatureViewSpec.GroupRef CREDIT_V1 = new FeatureViewSpec.GroupRef("credit", 1);
  private static final int LOANS = 56;
  private static final int APPLICANTS = 14;

  private record Store(FeatureStore store, FeatureView view, FeatureGroup loans, FeatureGroup credit) {}

  /** Built once; each test gets its own copy (see {@link LakehouseTemplate}). */
  private static final LakehouseTemplate LOAN_VIEW = LakehouseTemplate.of(FeatureViewTrainingDatasetTest::build);

  private static Store store(SparkSession spark, TestLakehouse lake) {
    LOAN_VIEW.copyInto(spark, lake);
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    return new Store(store, store.getFeatureView("loan_view", 1), store.getFeatureGroup("loans", 1),
        store.getFeatureGroup("credit", 1));
  }

  /** Loan i (0-based) has id i+1, applicant a(i % 14), issue day 1 + i/2, amount 100 (i+1); a13 has no credit. */
  private static void build(SparkSession spark, TestLakehouse lake) {
    FeatureStore store = FeatureStore.open(spark, lake.layout());
    FeatureGroup loans =
        store.createFeatureGroup(FeatureGroupSpec.of("loans", List.of("loan_id"), "issue_ts"), FeatureViewTest.LOANS);
    FeatureGroup credit =
        store.createFeatureGroup(FeatureGroupSpec.of("credit", List.of("applicant_id"), "as_of"), FeatureViewTest.CREDIT);
    List<Object[]> loanRows = new ArrayList<>();
    for (int i = 0; i < LOANS; i++) {
      loanRows.add(r((long) i + 1, "a" + (i % APPLICANTS), t(1 + i / 2), 100.0 * (i + 1), i % 3 == 0 ? 1 : 0));
    }
    loans.overwrite(rows(spark, FeatureViewTest.LOANS, loanRows.toArray(Object[][]::new)), "loans:1");
    List<Object[]> creditRows = new ArrayList<>();
    for (int a = 0; a < APPLICANTS - 1; a++) {
      creditRows.add(r("a" + a, t(1), 600 + a));
      creditRows.add(r("a" + a, t(14), 650 + a));
    }
    credit.overwrite(rows(spark, FeatureViewTest.CREDIT, creditRows.toArray(Object[][]::new)), "credit:1");
    store.createFeatureView(
        new FeatureViewSpec(
            "loan_view",
            1,
            LOANS_V1,
            List.of("amount"),
            List.of("defaulted"),
            List.of(new FeatureViewSpec.Join(CREDIT_V1, List.of("applicant_id"), List.of("score"), "", false)),
            ""));
  }

  private static List<Integer> days(Dataset<Row> rows) {
    List<Integer> out = new ArrayList<>();
    for (Row r : rows.selectExpr("day(issue_ts)").distinct().orderBy("day(issue_ts)").collectAsList()) {
      out.add(r.getInt(0));
    }
    return out;
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int d = from; d <= to; d++) {
      out.add(d);
    }
    return out;
  }

  @Test
  void aTimeSplitAssignsByEventTimeDropsTheGapsAndRecordsStatistics(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    SplitSpec split = SplitSpec.byTime(t(15).toInstant(), t(22).toInstant(), Duration.ofDays(2));

    TrainingDataset td = s.view().createTrainingDataset(new TrainingDatasetOptions(null, split, 1L));

    // train before Jan 13, validation Jan 15..19, test from Jan 22; Jan 13, 14, 20 and 21 fall in the gaps
    assertEquals(range(1, 12), days(td.train()));
    assertEquals(range(15, 19), days(td.validation()));
    assertEquals(range(22, 28), days(td.test()));
    assertEquals(Map.of("train", 24L, "validation", 10L, "test", 14L), td.manifest().rowsPerSplit());
    assertEquals(48, td.read().count());
    // a time split does not use the seed: another seed is the same dataset
    TrainingDataset again = s.view().createTrainingDataset(new TrainingDatasetOptions(null, split, 2L));
    assertEquals(td.manifest().number(), again.manifest().number());
    assertTrue(again.existed());

    TrainingDatasetManifest m = td.manifest();
    assertEquals(split, m.identity().split());
    SplitStatistics train = m.statistics().get("train");
    assertEquals(24, train.rows());
    assertEquals("2024-01-01T00:00:00Z", train.eventTimeMin());
    assertEquals("2024-01-12T00:00:00Z", train.eventTimeMax());
    assertEquals(new SplitStatistics.FeatureStatistics(24, 0, 1250.0, 100.0, 2400.0), train.features().get("amount"));
    SplitStatistics.FeatureStatistics score = train.features().get("score");
    assertEquals(23, score.count());
    assertEquals(1, score.nulls(), "loan 14 of a13, who has no credit report");
    assertEquals(600.0, score.min());
    assertEquals(612.0, score.max(), "before Jan 14 only the Jan 1 reports are visible");
    SplitStatistics test = m.statistics().get("test");
    assertEquals("2024-01-22T00:00:00Z", test.eventTimeMin());
    assertEquals("2024-01-28T00:00:00Z", test.eventTimeMax());
    assertEquals(650.0, test.features().get("score").min());
    assertEquals(Set.of("amount", "score"), m.statistics().get("validation").features().keySet());

    // spine and joins are recorded, and the manifest reads back equal
    assertEquals(
        new TrainingDatasetManifest.Spine("loans v1", s.loans().deltaVersion(), null, "issue_ts", List.of("loan_id")),
        m.spine());
    assertEquals(
        List.of(
            new TrainingDatasetManifest.JoinedGroup(
                "credit v1", s.credit().deltaVersion(), List.of("applicant_id"), List.of("applicant_id"), "as_of", false,
                false, List.of("score"), "", null, Map.of(), false)),
        m.joins());
    assertEquals(m, s.store().getTrainingDataset("loan_view", 1, td.manifest().number()).manifest());
  }

  @Test
  void aProfileCountsEveryRowOncePerDayAndPerBin(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    SplitSpec split = SplitSpec.byTime(t(15).toInstant(), t(22).toInstant(), Duration.ofDays(2));
    TrainingDataset td = s.view().createTrainingDataset(new TrainingDatasetOptions(null, split, 1L));

    TrainingDatasetProfile p = td.profile(4);

    assertEquals(List.of("train", "validation", "test"), p.splits());
    assertEquals("day", p.period(), "28 days of loans are counted per day");
    assertEquals(28, p.periods().size());
    assertEquals(java.time.LocalDate.of(2024, 1, 1), p.periods().get(0));
    // two loans a day: train Jan 1-12, validation Jan 15-19, test Jan 22-28; the gap days hold none
    for (int day = 1; day <= 28; day++) {
      String expected = day <= 12 ? "train" : day >= 15 && day <= 19 ? "validation" : day >= 22 ? "test" : null;
      for (String name : p.splits()) {
        assertEquals(name.equals(expected) ? 2L : 0L, p.rowsPerPeriod().get(name).get(day - 1), name + " on Jan " + day);
      }
    }
    // the days are UTC days whatever the session's zone (the loans are at midnight UTC: New York's day before, Kolkata's same day)
    for (String zone : List.of("America/New_York", "Asia/Kolkata")) {
      TrainingDatasetProfile there = dev.lakeline.testkit.TestSpark.inZone(spark, zone, () -> td.profile(4));
      assertEquals(p.periods(), there.periods(), zone);
      assertEquals(p.rowsPerPeriod(), there.rowsPerPeriod(), zone);
    }
    // amount 100 … 5600 in 4 bins of 1375: train 100 … 2400, validation 2900 … 3800, test 4300 … 5600
    TrainingDatasetProfile.Histogram amount = p.histograms().get(0);
    assertEquals("amount", amount.feature());
    assertEquals(100.0, amount.min());
    assertEquals(5600.0, amount.max());
    assertEquals(1375.0, amount.binWidth());
    assertEquals(List.of(14L, 10L, 0L, 0L), amount.counts().get("train"));
    assertEquals(List.of(0L, 0L, 10L, 0L), amount.counts().get("validation"));
    assertEquals(List.of(0L, 0L, 0L, 14L), amount.counts().get("test"), "the largest value is in the last bin");
    TrainingDatasetProfile.Histogram score = p.histograms().get(1);
    assertEquals("score", score.feature());
    assertEquals(Map.of("train", 1L, "validation", 0L, "test", 1L), score.nulls(), "a13's loans on Jan 7 and Jan 28");
    assertEquals(23L, score.counts().get("train").stream().mapToLong(Long::longValue).sum());
    // defaulted = 1 for every third loan: 8 of the 24 in train
    assertEquals(8.0 / 24, p.labelMeans().get("defaulted").get("train"), 1e-12);
  }

  @Test
  void theStoreListsItsGroupsViewsAndCompleteTrainingDatasets(SparkSession spark, TestLakehouse lake) throws Exception {
    Store s = store(spark, lake);
    assertEquals(List.of(), s.store().listTrainingDatasets("loan_view", 1));
    TrainingDataset first = s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), 1L));
    TrainingDataset second = s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), 2L));
    // a dataset whose write stopped before its manifest is not listed
    java.nio.file.Files.createDirectories(java.nio.file.Path.of(s.store().layout().trainingDataset("loan_view", 1, 3), "data"));

    assertEquals(List.of("credit v1", "loans v1"), s.store().listFeatureGroups().stream().map(g -> g.spec().label()).toList());
    assertEquals(List.of("loan_view"), s.store().listFeatureViews().stream().map(v -> v.spec().name()).toList());
    assertEquals(List.of(first.manifest().number(), second.manifest().number()),
        s.store().listTrainingDatasets("loan_view", 1).stream().map(td -> td.manifest().number()).toList());
    assertEquals(List.of(1, 2), s.store().listTrainingDatasets("loan_view", 1).stream().map(td -> td.manifest().number()).toList());
    assertThrows(LakelineException.NotFound.class, () -> s.store().listTrainingDatasets("no_view", 1));
  }

  @Test
  void aFilterThatKeepsNoSpineRowIsRejectedBeforeANumberIsClaimed(SparkSession spark, TestLakehouse lake) throws Exception {
    Store s = store(spark, lake);
    String filter = "issue_ts >= TIMESTAMP'2025-01-01 00:00:00'";
    LakelineException.DataRejected e = assertThrows(LakelineException.DataRejected.class,
        () -> s.view().createTrainingDataset(new TrainingDatasetOptions(filter, SplitSpec.random(0, 0.5), 1L)));
    assertTrue(e.getMessage().startsWith("No training dataset was made for loan_view v1: no rows of loans v1 (Delta version "),
        e.getMessage());
    assertTrue(e.getMessage().contains("match the filter \"" + filter + "\""), e.getMessage());
    // nothing stays behind: no folder, no claim, and the next dataset is td1
    java.nio.file.Path datasets = java.nio.file.Path.of(s.store().layout().trainingDatasets("loan_view", 1));
    assertTrue(!java.nio.file.Files.exists(datasets) || java.nio.file.Files.list(datasets).findAny().isEmpty(),
        "left behind in " + datasets);
    assertEquals(List.of(), s.store().listTrainingDatasets("loan_view", 1));
    // a time split whose train range holds no row: the gap swallows every row before the test start
    SplitSpec noTrain = SplitSpec.byTime(null, java.time.Instant.parse("2024-01-20T00:00:00Z"), Duration.ofDays(30));
    LakelineException.DataRejected late = assertThrows(LakelineException.DataRejected.class,
        () -> s.view().createTrainingDataset(new TrainingDatasetOptions(null, noTrain, 1L)));
    assertTrue(late.getMessage().contains("none of the rows of loans v1 (Delta version ")
        && late.getMessage().contains("has an event time before 2023-12-21T00:00:00Z, where the train split ends"), late.getMessage());
    assertTrue(!java.nio.file.Files.exists(datasets) || java.nio.file.Files.list(datasets).findAny().isEmpty(),
        "left behind in " + datasets);

    TrainingDataset td = s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), 1L));
    assertEquals(1, td.manifest().number());
    assertEquals(LOANS, td.read().count());
  }

  @Test
  void concurrentCreationsClaimDistinctNumbersAndEachManifestDescribesItsOwnRows(SparkSession spark, TestLakehouse lake)
      throws Exception {
    Store s = store(spark, lake);
    int writers = 3;
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      List<java.util.concurrent.Future<TrainingDataset>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        long seed = 100 + w;
        futures.add(pool.submit(() -> {
          start.await();
          return s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), seed));
        }));
      }
      start.countDown();
      Set<Integer> numbers = new TreeSet<>();
      for (java.util.concurrent.Future<TrainingDataset> f : futures) {
        TrainingDataset td = f.get(); // none fails with a conflict
        numbers.add(td.manifest().number());
        // what is stored under the number is what its manifest says: the rows of its seed
        TrainingDataset stored = s.store().getTrainingDataset("loan_view", 1, td.manifest().number());
        assertEquals(td.manifest(), stored.manifest());
        assertSameRows(s.view().recreateTrainingDataset(stored.manifest()), stored.read());
        Map<String, Long> counts = new java.util.TreeMap<>();
        stored.read().groupBy("split").count().collectAsList().forEach(r -> counts.put(r.getString(0), r.getLong(1)));
        assertEquals(counts, stored.manifest().rowsPerSplit());
      }
      assertEquals(Set.of(1, 2, 3), numbers, "one number each");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Two creations with the same options at the same time (two {@code train} or {@code td create} runs): each looked
   * before the other had completed its dataset, so each builds one, but only the first to complete is kept and both
   * return it — never two datasets (and so two model versions) of the same inputs.
   */
  @Test
  void aWriterThatBeganBeforeAnEqualDatasetWasCompletedReturnsThatOneInsteadOfASecondCopy(SparkSession spark, TestLakehouse lake)
      throws Exception {
    Store s = store(spark, lake);
    TrainingDatasetOptions options = new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), 7L);
    TrainingDataset first = s.view().createTrainingDataset(options);
    // the second writer found no completed dataset when it looked, while the first was being written
    TrainingDataset second = new TrainingDatasets(s.view()).createNew(first.manifest().identity(), options);
    assertEquals(1, second.manifest().number());
    assertTrue(second.existed(), "the dataset is the first writer's");
    assertEquals(List.of(1), s.store().listTrainingDatasets("loan_view", 1).stream().map(td -> td.manifest().number()).toList());
    java.nio.file.Path td2 = java.nio.file.Path.of(s.store().layout().trainingDataset("loan_view", 1, 2));
    assertEquals(List.of(TrainingDatasets.CLAIM), java.nio.file.Files.list(td2).map(p -> p.getFileName().toString()).toList(),
        "the second copy's rows are deleted; its number stays claimed");
    // a time split's seed changes nothing: the same rows, the same dataset
    SplitSpec byTime = SplitSpec.byTime(null, java.time.Instant.parse("2024-01-20T00:00:00Z"), java.time.Duration.ZERO);
    TrainingDataset timed = s.view().createTrainingDataset(new TrainingDatasetOptions(null, byTime, 1L));
    TrainingDataset timedAgain =
        new TrainingDatasets(s.view()).createNew(
            new TrainingDatasetManifest.Identity("loan_view", 1, null, timed.manifest().identity().sourceVersions(), byTime, 2L),
            new TrainingDatasetOptions(null, byTime, 2L));
    assertEquals(timed.manifest().number(), timedAgain.manifest().number());
    // other options still make their own
    assertEquals(5, s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), 8L)).manifest().number());

    // and for real: three writers with the same options at once all get the one dataset
    TrainingDatasetOptions same = new TrainingDatasetOptions(null, SplitSpec.random(0, 0.4), 9L);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    try {
      List<java.util.concurrent.Future<TrainingDataset>> futures = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        futures.add(pool.submit(() -> {
          start.await();
          return s.view().createTrainingDataset(same);
        }));
      }
      start.countDown();
      Set<Integer> numbers = new TreeSet<>();
      for (java.util.concurrent.Future<TrainingDataset> f : futures) {
        numbers.add(f.get().manifest().number());
      }
      assertEquals(1, numbers.size(), "one dataset for one set of inputs: " + numbers);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(4, s.store().listTrainingDatasets("loan_view", 1).size(), "seeds 7, 8 and 9 and the time split");
  }

  @Test
  void aDatasetDeletedSinceLeavesNoStaleIdentityBehind(SparkSession spark, TestLakehouse lake) throws Exception {
    Store s = store(spark, lake);
    TrainingDatasetOptions seven = new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), 7L);
    s.view().createTrainingDataset(seven);
    s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), 8L));
    // td1 deleted by hand (as old datasets are to save space): the same inputs make a new dataset, which its
    // identity's file names from then on (it named td1, whose manifest would never come)
    try (var walk = java.nio.file.Files.walk(java.nio.file.Path.of(s.store().layout().trainingDataset("loan_view", 1, 1)))) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    assertEquals(3, s.view().createTrainingDataset(seven).manifest().number());
    java.nio.file.Path identities = java.nio.file.Path.of(s.store().layout().trainingDatasets("loan_view", 1), TrainingDatasets.IDENTITIES);
    List<String> holders = new ArrayList<>();
    try (var files = java.nio.file.Files.list(identities)) {
      for (java.nio.file.Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
        holders.add(java.nio.file.Files.readString(f).trim());
      }
    }
    java.util.Collections.sort(holders);
    assertEquals(List.of("td2", "td3"), holders);
  }

  @Test
  void aNumberAnotherWriterHasClaimedIsSkippedAndItsTableNeverOverwritten(SparkSession spark, TestLakehouse lake)
      throws Exception {
    Store s = store(spark, lake);
    TrainingDataset first = s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), 1L));
    // a writer that listed the folder before td1 existed and then lost the race for it
    TrainingDatasets datasets = new TrainingDatasets(s.view());
    assertEquals(2, datasets.claim(1, "loan_view v1"));
    assertEquals(3, datasets.claim(1, "loan_view v1"));
    assertEquals(first.manifest(), s.store().getTrainingDataset("loan_view", 1, 1).manifest());
    assertSameRows(s.view().recreateTrainingDataset(first.manifest()), first.read());
    // a folder that a writer without claims has begun is passed over too
    java.nio.file.Files.createDirectories(java.nio.file.Path.of(s.store().layout().trainingDataset("loan_view", 1, 4), "data"));
    assertEquals(5, datasets.claim(4, "loan_view v1"));
    // numbers claimed but never completed are not reused
    TrainingDataset next = s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), 2L));
    assertEquals(6, next.manifest().number());
  }

  @Test
  void anEntitySplitKeepsEveryEntityInOneSplitAndARandomSplitHasThreeParts(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);

    TrainingDataset byEntity =
        s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.byEntity(List.of("applicant_id"), 0.3, 0.3), 3L));
    List<Row> perEntity =
        byEntity.read().groupBy("applicant_id").agg(org.apache.spark.sql.functions.countDistinct("split")).collectAsList();
    assertEquals(APPLICANTS, perEntity.size());
    for (Row r : perEntity) {
      assertEquals(1L, r.getLong(1), "applicant " + r.getString(0) + " is in more than one split");
    }
    assertEquals(Set.of("train", "validation", "test"), byEntity.manifest().rowsPerSplit().keySet());
    assertEquals(LOANS, byEntity.read().count());

    TrainingDataset random =
        s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.random(0.25, 0.25), 3L));
    assertNotEquals(byEntity.manifest().number(), random.manifest().number());
    assertEquals(Set.of("train", "validation", "test"), random.manifest().rowsPerSplit().keySet());
    // a random split by row identity spreads an applicant's loans over splits
    assertTrue(random.read().groupBy("applicant_id").agg(org.apache.spark.sql.functions.countDistinct("split")).where("`count(DISTINCT split)` > 1").count() > 0);

    LakelineException.ConfigError e =
        assertThrows(
            LakelineException.ConfigError.class,
            () -> s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.byEntity(List.of("customer"), 0, 0.5), 3L)));
    assertTrue(e.getMessage().contains("'customer'"), e.getMessage());
    LakelineException.ConfigError byLabel =
        assertThrows(
            LakelineException.ConfigError.class,
            () -> s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.byEntity(List.of("defaulted"), 0, 0.5), 3L)));
    assertTrue(byLabel.getMessage().contains("uses the label column 'defaulted'"), byLabel.getMessage());
  }

  @Test
  void recreatingFromTheManifestGivesTheSameRowsAfterInsertsAndAnUpsert(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    TrainingDatasetOptions options = new TrainingDatasetOptions("issue_ts < '2024-01-20'", SplitSpec.random(0.2, 0.2), 11L);
    TrainingDataset td = s.view().createTrainingDataset(options);
    List<Row> original = td.read().collectAsList();

    // new loans in the filtered range, a new report for a13, and a changed score for a0's Jan 1 report
    s.loans().insert(rows(spark, FeatureViewTest.LOANS, r(100L, "a13", t(10), 5.0, 1), r(101L, "a0", t(2), 7.0, 0)), InsertOptions.append("more-loans"));
    s.credit().insert(rows(spark, FeatureViewTest.CREDIT, r("a13", t(2), 500)), InsertOptions.append("more-credit"));
    s.credit().insert(rows(spark, FeatureViewTest.CREDIT, r("a0", t(1), 999)), InsertOptions.upsert("fix-a0"));
    assertEquals(999, s.credit().read().where("applicant_id = 'a0' AND as_of = '2024-01-01'").first().getInt(2), "upserted");

    Dataset<Row> recreated = s.store().recreateTrainingDataset("loan_view", 1, td.manifest().number());
    assertSameRows(td.read(), recreated);
    assertEquals(original.size(), recreated.count());

    // today's data gives another dataset: the recreation really reads the old versions
    TrainingDataset now = s.view().createTrainingDataset(options);
    assertNotEquals(td.manifest().number(), now.manifest().number());
    assertEquals(original.size() + 2, now.read().count());
    assertEquals(999, (Integer) now.read().where("loan_id = 1").first().getAs("score"));
    assertEquals(600, (Integer) recreated.where("loan_id = 1").first().getAs("score"));
  }

  @Test
  void recreatingFromAVersionWhoseFilesWereVacuumedIsAConflictNamingTheSource(SparkSession spark, TestLakehouse lake)
      throws Exception {
    Store s = store(spark, lake);
    TrainingDataset td = halves(s);
    long read = s.credit().deltaVersion();
    s.credit().overwrite(rows(spark, FeatureViewTest.CREDIT, r("a0", t(1), 1)), "credit:2");
    // what a VACUUM does to the files the new version no longer needs
    String[] old = spark.read().format("delta").option("versionAsOf", read)
        .load(lake.layout().featureGroup("credit", 1)).inputFiles();
    java.nio.file.Files.delete(java.nio.file.Path.of(new java.net.URI(old[0])));

    LakelineException.Conflict e = recreationConflict(s, td,
        read + ", and 1 of that version's " + old.length + " data files were deleted (vacuumed).");
    assertTrue(e.getMessage().contains("lakeline maintain"), e.getMessage());
    assertEquals(LOANS, td.read().count(), "the stored rows are intact");
  }

  @Test
  void recreatingFromAVersionThatLeftTheDeltaLogIsAConflictNamingTheSource(SparkSession spark, TestLakehouse lake)
      throws Exception {
    Store s = store(spark, lake);
    TrainingDataset td = halves(s);
    long read = s.credit().deltaVersion();
    s.credit().insert(rows(spark, FeatureViewTest.CREDIT, r("a13", t(2), 500)), InsertOptions.append("more-credit"));
    // a checkpoint, then the log's cleanup of the commits before it (what a short log retention does)
    String path = lake.layout().featureGroup("credit", 1);
    org.apache.spark.sql.delta.DeltaLog.forTable(spark, path).checkpoint();
    for (long v = 0; v <= read; v++) {
      java.nio.file.Files.delete(java.nio.file.Path.of(path, "_delta_log", String.format("%020d.json", v)));
    }

    recreationConflict(s, td, read + ", which can no longer be read (");
  }

  /** Recreating {@code td} fails as a conflict naming credit v1 at the Delta version its message goes on with. */
  private static LakelineException.Conflict recreationConflict(Store s, TrainingDataset td, String atVersion) {
    LakelineException.Conflict e = assertThrows(LakelineException.Conflict.class,
        () -> s.store().recreateTrainingDataset("loan_view", 1, td.manifest().number()));
    assertTrue(e.getMessage().startsWith("Training dataset loan_view v1 td1 can no longer be recreated: it reads credit v1 "
        + "at Delta version " + atVersion), e.getMessage());
    return e;
  }

  /** A dataset of the view, split in random halves. */
  private static TrainingDataset halves(Store s) {
    return s.view().createTrainingDataset(new TrainingDatasetOptions(null, SplitSpec.random(0, 0.5), 1L));
  }

  @Test
  void theLeakageGuardHidesReportsDatedAfterTheIssueDate(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    // a report for a13 after its loans of Jan 7 and Jan 14, and one on Jan 13 visible only to the later loan
    s.credit().insert(rows(spark, FeatureViewTest.CREDIT, r("a13", t(8), 777), r("a13", t(13), 555)), InsertOptions.append("late"));
    s.credit().insert(rows(spark, FeatureViewTest.CREDIT, r("a13", t(30), 111)), InsertOptions.append("later"));

    TrainingDataset td = s.view().createTrainingDataset(new TrainingDatasetOptions("applicant_id = 'a13'", 0.5, 1L));

    Map<Long, Object> scoreByLoan = new java.util.TreeMap<>();
    for (Row r : td.read().select("loan_id", "score").collectAsList()) {
      scoreByLoan.put(r.getLong(0), r.get(1));
    }
    // loan 14 issued Jan 7 (reports of Jan 8, 13, 30 are all later), loan 28 Jan 14 (sees Jan 13, not Jan 30),
    // loans 42 and 56 on Jan 21 and 28 (the Jan 30 report is still in the future)
    Map<Long, Object> expected = new java.util.TreeMap<>();
    expected.put(14L, null);
    expected.put(28L, 555);
    expected.put(42L, 555);
    expected.put(56L, 555);
    assertEquals(expected, scoreByLoan);
    assertEquals(new TreeSet<>(List.of("loan_id", "issue_ts", "amount", "score", "defaulted", "applicant_id", "split")),
        new TreeSet<>(List.of(td.read().columns())));
  }

  @Test
  void batchDataForATimeRangeJoinsEachRowAtItsOwnTime(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    Dataset<Row> batch = s.view().batchData(t(10).toInstant(), t(12).toInstant()).data();
    assertTrue(!java.util.Arrays.asList(batch.columns()).contains("defaulted"), "labels are left out");
    List<Row> got = batch.select("loan_id", "score").orderBy("loan_id").collectAsList();
    // issued Jan 10 and 11 (end excluded): loans 19..22 of a4..a7, who only have their Jan 1 reports by then
    assertEquals(List.of("19:604", "20:605", "21:606", "22:607"),
        got.stream().map(r -> r.getLong(0) + ":" + r.get(1)).toList());
    assertThrows(LakelineException.ConfigError.class, () -> s.view().batchData(t(12).toInstant(), t(12).toInstant()));
  }

  @Test
  void latestFeaturesTakeEachEntitysLatestRowAndEveryGroupAsOfTheGivenTime(SparkSession spark, TestLakehouse lake) {
    Store s = store(spark, lake);
    // loan 1 gets a later row (Jan 18): as of Jan 20 it is the latest one; as of Jan 15 the first still is
    s.loans().insert(rows(spark, FeatureViewTest.LOANS, r(1L, "a0", t(18), 5.0, 0)), InsertOptions.append("loans:later"));

    Dataset<Row> latest = s.view().latestFeatures(t(20).toInstant()).data();
    assertEquals(40, latest.count(), "the loans issued by Jan 20, once each");
    assertEquals(1, latest.select("issue_ts").distinct().count());
    assertEquals(t(20), latest.select("issue_ts").first().getTimestamp(0), "the rows stand at the given time");
    Row loan1 = latest.where("loan_id = 1").first();
    assertEquals(5.0, loan1.<Double>getAs("amount"), 0.0);
    assertEquals(650, (int) loan1.<Integer>getAs("score"), "credit as of Jan 20 (the Jan 14 report), not as of Jan 1");
    assertTrue(latest.where("loan_id = 14").first().isNullAt(latest.schema().fieldIndex("score")), "a13 has no credit report");

    Row before = s.view().latestFeatures(t(15).toInstant()).data().where("loan_id = 1").first();
    assertEquals(100.0, before.<Double>getAs("amount"), 0.0);
    assertEquals(650, (int) before.<Integer>getAs("score"));
  }
}
