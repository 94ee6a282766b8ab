package dev.lakeline.featurestore;

import static dev.lakeline.featurestore.FeatureGroupTest.r;
import static dev.lakeline.featurestore.FeatureGroupTest.rows;
import static dev.lakeline.featurestore.FeatureGroupTest.t;
import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.LakehouseTemplate;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** OPTIMIZE, VACUUM and history retention, with a training dataset whose source versions must survive them. */
@SparkTest
class MaintenanceTest {
  private static final Maintenance.Options VACUUM_ALL_NOW = new Maintenance.Options(true, true, 0.0, false, List.of());
  private static final Maintenance.Options CHECK_NOW = new Maintenance.Options(true, true, 0.0, true, List.of());

  private record Lake(FeatureStore store, FeatureGroup loans, FeatureGroup credit, FeatureGroup other, TrainingDataset td) {}

  /**
   * loans and credit, each written twice (an overwrite after the training dataset read them, so their files at the
   * dataset's versions are removed by then), and other, written twice, which no dataset reads.
   */
  private static final LakehouseTemplate LAKE = LakehouseTemplate.of(MaintenanceTest::build);

  private static Lake lake(SparkSession spark, TestLakehouse lakehouse) {
    LAKE.copyInto(spark, lakehouse);
    FeatureStore store = FeatureStore.open(spark, lakehouse.layout()).withHistoryRetention(30);
    return new Lake(store, store.getFeatureGroup("loans", 1), store.getFeatureGroup("credit", 1),
        store.getFeatureGroup("other", 1), store.getTrainingDataset("loan_view", 1, 1));
  }

  private static void build(SparkSession spark, TestLakehouse lakehouse) {
    FeatureStore store = FeatureStore.open(spark, lakehouse.layout()).withHistoryRetention(30);
    FeatureGroup loans = store.createFeatureGroup(FeatureGroupSpec.of("loans", List.of("loan_id"), "issue_ts"), FeatureViewTest.LOANS);
    FeatureGroup credit = store.createFeatureGroup(FeatureGroupSpec.of("credit", List.of("applicant_id"), "as_of"), FeatureViewTest.CREDIT);
    FeatureGroup other = store.createFeatureGroup(FeatureGroupSpec.of("other", List.of("applicant_id"), "as_of"), FeatureViewTest.CREDIT);
    loans.overwrite(loans(spark, 1.0), "loans:1");
    credit.overwrite(credit(spark, 600), "credit:1");
    other.overwrite(credit(spark, 100), "other:1");
    FeatureView view = store.createFeatureView(new FeatureViewSpec("loan_view", 1, new FeatureViewSpec.GroupRef("loans", 1),
        List.of("amount"), List.of("defaulted"),
        List.of(new FeatureViewSpec.Join(new FeatureViewSpec.GroupRef("credit", 1), List.of("applicant_id"), List.of("score"), "", false)),
        ""));
    TrainingDataset td = view.createTrainingDataset(new TrainingDatasetOptions(null, 0.5, 7L));
    loans.overwrite(loans(spark, 2.0), "loans:2");
    credit.overwrite(credit(spark, 700), "credit:2");
    other.overwrite(credit(spark, 200), "other:2");
    assertEquals(1, td.manifest().number());
  }

  private static Dataset<Row> loans(SparkSession spark, double scale) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(r((long) i + 1, "a" + (i % 5), t(2 + i), scale * 100 * (i + 1), i % 3 == 0 ? 1 : 0));
    }
    return rows(spark, FeatureViewTest.LOANS, rows.toArray(Object[][]::new)).repartition(3);
  }

  private static Dataset<Row> credit(SparkSession spark, int base) {
    List<Object[]> rows = new ArrayList<>();
    for (int a = 0; a < 5; a++) {
      rows.add(r("a" + a, t(1), base + a));
      rows.add(r("a" + a, t(10), base + 10 + a));
    }
    return rows(spark, FeatureViewTest.CREDIT, rows.toArray(Object[][]::new)).repartition(3);
  }

  private static Map<String, Maintenance.TableResult> byTable(Maintenance.Result result) {
    return result.tables().stream().collect(Collectors.toMap(Maintenance.TableResult::table, Function.identity()));
  }

  @Test
  void vacuumDeletesWhatNoVersionNeedsButKeepsTheVersionsATrainingDatasetReads(SparkSession spark, TestLakehouse lakehouse)
      throws Exception {
    Lake lake = lake(spark, lakehouse);
    Maintenance maintenance = Maintenance.of(lake.store());
    long otherFirst = lake.other().deltaVersion() - 1;
    assertEquals(10, lake.other().readVersion(otherFirst).count(), "other's first version is readable before");

    // --check: reports, changes nothing
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Map<String, Maintenance.TableResult> checked = byTable(scala.Console.withOut(console, () -> maintenance.run(CHECK_NOW, r -> {})));
    assertTrue(checked.get("feature_groups/other/v1").filesVacuumed() > 0, "other's first files would be deleted");
    assertEquals(0, checked.get("feature_groups/other/v1").filesCompacted());
    assertEquals(10, lake.other().readVersion(otherFirst).collectAsList().size(), "nothing was deleted by the check");

    List<Maintenance.TableResult> progress = new ArrayList<>();
    Maintenance.Result result = scala.Console.withOut(console, () -> maintenance.run(VACUUM_ALL_NOW, progress::add));
    // Delta's VACUUM prints "Deleted N files and directories ..." with Scala's println: not between the job's lines
    assertEquals("", console.toString(StandardCharsets.UTF_8), "nothing printed to the console");

    assertEquals(result.tables(), progress, "every table is reported as it is done");
    assertEquals(List.of(), result.failed());
    Map<String, Maintenance.TableResult> tables = byTable(result);
    Maintenance.TableResult loans = tables.get("feature_groups/loans/v1");
    Maintenance.TableResult credit = tables.get("feature_groups/credit/v1");
    Maintenance.TableResult other = tables.get("feature_groups/other/v1");
    assertEquals("feature group", loans.kind());
    assertEquals("loan_view v1 td1", loans.keptFor());
    assertEquals("loan_view v1 td1", credit.keptFor());
    assertTrue(loans.retainedHours() >= Maintenance.MARGIN_HOURS, "asked for 0 hours, kept " + loans.retainedHours());
    assertEquals(0, loans.filesVacuumed(), "the files of the version td1 read are kept");
    assertTrue(loans.filesCompacted() > 1, "three small files compacted: " + loans);
    assertEquals(1, loans.filesAfter());
    assertNull(other.keptFor());
    assertEquals(0.0, other.retainedHours());
    assertTrue(other.filesVacuumed() >= 3, "other's replaced files and those compacted are deleted: " + other);

    // the dataset's sources are still complete: recreating it gives its rows
    assertEquals(List.of(new Maintenance.DatasetCheck("loan_view v1 td1", true, null)), result.datasets());
    assertSameRows(lake.td().read(), lake.store().recreateTrainingDataset("loan_view", 1, 1));
    // other's first version lost its files, as asked
    // (collected: Delta answers a count from its statistics without reading a file)
    assertThrows(Exception.class, () -> lake.other().readVersion(otherFirst).collectAsList());
    // the current rows of every group are untouched
    assertEquals(20, lake.loans().read().count());
    assertEquals(10, lake.other().read().count());

    // run again: other's folder holds its current file alone, so there is nothing to compact or delete, and no
    // VACUUM START / VACUUM END commit is added to its history
    Maintenance.Options otherOnly = new Maintenance.Options(true, true, 0.0, false, List.of("feature_groups/other"));
    Maintenance.TableResult again = maintenance.run(otherOnly, r -> {}).tables().get(0);
    assertEquals(other.version(), again.versionBefore());
    assertEquals(other.version(), again.version(), "no commit to a table with nothing to do: " + again);
    assertFalse(again.changed());
    assertEquals(0, again.filesVacuumed());
    assertEquals(0.0, again.retainedHours());

    // a file that no version reads (what a job killed before its commit leaves), written an hour ago: within a
    // retention of a day VACUUM would delete nothing, so it is not run
    Path folder = lakehouse.root().resolve("feature_groups/other/v1");
    Path orphan = folder.resolve("part-00000-killed-before-its-commit.snappy.parquet");
    java.nio.file.Files.write(orphan, new byte[] {1, 2, 3});
    assertTrue(orphan.toFile().setLastModified(System.currentTimeMillis() - 3_600_000L));
    Maintenance.TableResult young = maintenance.run(new Maintenance.Options(true, true, 24.0, false, otherOnly.only()), r -> {})
        .tables().get(0);
    assertEquals(other.version(), young.version(), "no VACUUM commits while nothing is old enough to delete: " + young);
    assertEquals(0, young.filesVacuumed());
    assertTrue(java.nio.file.Files.exists(orphan), "kept within the retention");
    // at 0 hours it is deleted, though the table has one file
    Maintenance.TableResult orphaned = maintenance.run(otherOnly, r -> {}).tables().get(0);
    assertEquals(1, orphaned.filesVacuumed(), orphaned.toString());
    assertFalse(java.nio.file.Files.exists(orphan), "the orphan is deleted");
    assertTrue(orphaned.changed(), "VACUUM's commits: " + orphaned);
    assertEquals(10, lake.other().read().collectAsList().size(), "the current rows are untouched");
  }

  @Test
  void anIncompleteTrainingDatasetLosesItsFilesOnceIdleForTheRetentionButKeepsItsNumber(SparkSession spark, TestLakehouse lakehouse)
      throws Exception {
    Lake lake = lake(spark, lakehouse);
    // creations killed between the claim and the manifest: td2 ten days ago, td3 just now; td4 only claimed its number
    Path td2 = killedCreation(spark, lake, 2, true);
    Path td3 = killedCreation(spark, lake, 3, true);
    Path td4 = killedCreation(spark, lake, 4, false);
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(td2)) {
      java.nio.file.attribute.FileTime tenDaysAgo =
          java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - java.time.Duration.ofDays(10).toMillis());
      for (Path f : files.toList()) {
        java.nio.file.Files.setLastModifiedTime(f, tenDaysAgo);
      }
    }
    Maintenance maintenance = Maintenance.of(lake.store());

    List<Maintenance.IncompleteDataset> checked = maintenance.incomplete(new Maintenance.Options(false, true, null, true, List.of()));
    assertEquals(List.of("loan_view v1 td2", "loan_view v1 td3"), checked.stream().map(Maintenance.IncompleteDataset::dataset).toList());
    Maintenance.IncompleteDataset old = checked.get(0);
    assertTrue(old.idleHours() > 239 && old.files() > 0 && !old.deleted(), old.toString());
    assertTrue(java.nio.file.Files.exists(td2.resolve("data")), "--check deletes nothing");

    // a retention shorter than a day still leaves a creation that may be running alone
    List<Maintenance.IncompleteDataset> done = maintenance.incomplete(new Maintenance.Options(false, true, 0.0, false, List.of()));
    assertEquals(List.of(true, false), done.stream().map(Maintenance.IncompleteDataset::deleted).toList());
    assertEquals(List.of(TrainingDatasets.CLAIM), list(td2), "td2 keeps its claim alone");
    assertTrue(java.nio.file.Files.exists(td3.resolve("data")), "td3 was written just now");
    assertEquals(List.of(TrainingDatasets.CLAIM), list(td4));
    assertEquals(List.of("loan_view v1 td3"),
        maintenance.run(new Maintenance.Options(false, true, null, true, List.of()), r -> {}).incomplete().stream()
            .map(Maintenance.IncompleteDataset::dataset).toList(), "td2 is done with; a run reports the rest");

    // the complete dataset is untouched, and no number is given out twice
    assertEquals(List.of(1), lake.store().listTrainingDatasets("loan_view", 1).stream().map(td -> td.manifest().number()).toList());
    assertSameRows(lake.td().read(), lake.store().recreateTrainingDataset("loan_view", 1, 1));
    TrainingDataset next = lake.store().getFeatureView("loan_view", 1).createTrainingDataset(new TrainingDatasetOptions(null, 0.5, 8L));
    assertEquals(5, next.manifest().number());
  }

  /** {@code td<number>} as a creation killed after claiming it leaves it: the claim, and rows without a manifest. */
  private static Path killedCreation(SparkSession spark, Lake lake, int number, boolean withRows) throws Exception {
    Path dir = Path.of(lake.store().layout().trainingDataset("loan_view", 1, number));
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(dir.resolve(TrainingDatasets.CLAIM), "killed");
    if (withRows) {
      spark.range(3).write().format("delta").save(dir.resolve("data").toString());
    }
    return dir;
  }

  private static List<String> list(Path dir) throws Exception {
    try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aVacuumThatIgnoresTheTrainingDatasetsIsFoundByTheCheck(SparkSession spark, TestLakehouse lakehouse) {
    Lake lake = lake(spark, lakehouse);
    SparkSession unchecked = spark.newSession();
    unchecked.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    DeltaTable.forPath(unchecked, lakehouse.layout().featureGroup("loans", 1)).vacuum(0.0); // Delta's own, unprotected

    Maintenance.Result result = Maintenance.of(lake.store())
        .run(new Maintenance.Options(false, false, null, true, List.of("feature_groups/loans")), r -> {});

    assertEquals(List.of("feature_groups/loans/v1"), result.tables().stream().map(Maintenance.TableResult::table).toList());
    Maintenance.DatasetCheck check = result.datasets().get(0);
    assertFalse(check.recreatable());
    assertTrue(check.problem().matches("(\\d+) of the \\1 files of feature_groups/loans/v1 at version \\d+ were deleted"), check.problem());
    assertThrows(Exception.class, () -> lake.store().recreateTrainingDataset("loan_view", 1, 1).collectAsList());
  }

  @Test
  void newGroupsKeepTheStoresHistoryAndOlderGroupsAreBroughtToIt(SparkSession spark, TestLakehouse lakehouse) {
    Lake lake = lake(spark, lakehouse);
    String other = lakehouse.layout().featureGroup("other", 1);
    assertEquals("interval 30 days", properties(spark, other).get("delta.logRetentionDuration"));
    assertEquals("interval 30 days", properties(spark, other).get("delta.deletedFileRetentionDuration"));
    // a check under a shorter history than the group keeps: its dry run deletes nothing, so Delta's safety check on a
    // retention below the table's own does not stop it
    Maintenance.Options checkVacuum = new Maintenance.Options(false, true, null, true, List.of("feature_groups/other/v1"));
    Maintenance.TableResult shorter = Maintenance.of(lake.store().withHistoryRetention(10)).run(checkVacuum, r -> {}).tables().get(0);
    assertNull(shorter.error(), shorter.toString());
    assertEquals("30 days (would set 10 days)", shorter.history());
    assertEquals(10 * 24.0, shorter.retainedHours());
    assertEquals("interval 30 days", properties(spark, other).get("delta.deletedFileRetentionDuration"), "a check changes nothing");
    spark.sql("ALTER TABLE delta.`" + other + "` UNSET TBLPROPERTIES ('delta.logRetentionDuration', 'delta.deletedFileRetentionDuration')");

    Maintenance.Options historyOnly = new Maintenance.Options(false, false, null, true, List.of("feature_groups/other/v1"));
    assertEquals("default (would set 30 days)", Maintenance.of(lake.store()).run(historyOnly, r -> {}).tables().get(0).history());
    assertFalse(properties(spark, other).containsKey("delta.logRetentionDuration"), "a check changes nothing");

    Maintenance.Options vacuum = new Maintenance.Options(false, true, null, false, List.of("feature_groups/other/v1"));
    Maintenance.TableResult done = Maintenance.of(lake.store().withHistoryRetention(90)).run(vacuum, r -> {}).tables().get(0);
    assertNull(done.error());
    assertEquals("90 days (set; was default)", done.history());
    assertEquals("interval 90 days", properties(spark, other).get("delta.logRetentionDuration"));
    assertEquals(90 * 24.0, done.retainedHours(), "the vacuum keeps the table's own retention");
    assertEquals(0, done.filesVacuumed());
    assertEquals(10, lake.other().readVersion(1).collectAsList().size(), "nothing removed within 90 days is deleted");
  }

  @Test
  void aGroupMadeWithoutRowTrackingGetsItAndItsNewRowsTheirCommitVersions(SparkSession spark, TestLakehouse lakehouse) {
    FeatureStore store = FeatureStore.open(spark, lakehouse.layout());
    FeatureGroupSpec spec = FeatureGroupSpec.of("old", List.of("id"), "ts");
    org.apache.spark.sql.types.StructType schema =
        new org.apache.spark.sql.types.StructType().add("id", "string").add("ts", "timestamp").add("x", "int");
    String path = lakehouse.layout().featureGroup("old", 1);
    // as groups were created before row tracking: the definition in the properties, nothing else
    DeltaTable.createIfNotExists(spark).location(path).addColumns(schema)
        .property(FeatureStore.SPEC_PROPERTY, Json.write(spec)).execute();
    FeatureGroup old = store.getFeatureGroup("old", 1);
    assertFalse(old.tracksRowCommits());
    old.insert(spark.sql("SELECT 'a' AS id, TIMESTAMP'2024-01-01 00:00:00Z' AS ts, 5 AS x"), InsertOptions.append("b1"));
    long before = old.deltaVersion();
    List<String> only = List.of("feature_groups/old/v1");

    Maintenance.TableResult checked =
        Maintenance.of(store).run(new Maintenance.Options(false, false, null, true, only), r -> {}).tables().get(0);
    assertNull(checked.error(), checked.toString());
    assertTrue(checked.history().endsWith("; would turn on row tracking"), checked.history());
    assertFalse(properties(spark, path).containsKey(FeatureStore.ROW_TRACKING), "a check changes nothing");

    Maintenance.TableResult done =
        Maintenance.of(store).run(new Maintenance.Options(false, false, null, false, only), r -> {}).tables().get(0);
    assertNull(done.error(), done.toString());
    assertTrue(done.history().endsWith("; row tracking turned on"), done.history());
    assertEquals("true", properties(spark, path).get(FeatureStore.ROW_TRACKING));
    assertTrue(store.getFeatureGroup("old", 1).tracksRowCommits());
    assertTrue(done.changed());

    old.insert(spark.sql("SELECT 'a' AS id, TIMESTAMP'2024-01-01 00:00:00Z' AS ts, 3 AS x"), InsertOptions.append("b2"));
    Dataset<Row> rows = CommitOrder.withCommitVersion(old.read())
        .orderBy(org.apache.spark.sql.functions.col(CommitOrder.COLUMN).desc_nulls_last());
    assertEquals(3, rows.first().<Integer>getAs("x"), "the later commit's row comes first");
    assertEquals(2, rows.count());
    assertEquals(1, CommitOrder.withCommitVersion(old.readVersion(before))
        .where(org.apache.spark.sql.functions.col(CommitOrder.COLUMN).isNull()).count(), "earlier versions as they were");
    assertEquals("", Maintenance.of(store).run(new Maintenance.Options(false, false, null, true, only), r -> {})
        .tables().get(0).history().replaceAll("^[^;]*", ""), "done once");
  }

  @Test
  void itFindsLakelinesTablesAndRefusesNamesThatAreNotThere(SparkSession spark, TestLakehouse lakehouse) {
    Lake lake = lake(spark, lakehouse);
    List<String> tables = Maintenance.of(lake.store()).tables();
    assertTrue(tables.containsAll(List.of("feature_groups/credit/v1", "feature_groups/loans/v1", "feature_groups/other/v1",
        "_lakeline/validation_reports")), tables.toString());
    assertTrue(tables.stream().noneMatch(t -> t.startsWith("training_datasets")), "training datasets are immutable: " + tables);
    assertEquals("lakeline", Maintenance.kind("_lakeline/job_runs"));
    assertEquals("quarantine", Maintenance.kind("_lakeline/quarantine/loans/v1"));
    assertEquals("predictions", Maintenance.kind("predictions/loan_default"));
    assertEquals(168.0, Maintenance.fileRetentionHours(Map.of()));
    assertEquals(36.0, Maintenance.fileRetentionHours(Map.of("delta.deletedFileRetentionDuration", "interval 36 hours")));
    assertEquals(336.0, Maintenance.fileRetentionHours(Map.of("delta.deletedFileRetentionDuration", "INTERVAL 2 WEEKS")));

    LakelineException.NotFound e = assertThrows(LakelineException.NotFound.class, () -> Maintenance.of(lake.store())
        .run(new Maintenance.Options(true, true, null, false, List.of("feature_groups/lons")), r -> {}));
    assertTrue(e.getMessage().contains("feature_groups/lons") && e.getMessage().contains("feature_groups/loans/v1"), e.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> new Maintenance.Options(true, true, -1.0, false, List.of()));
  }

  @Test
  void aTableWhoseFirstCommitWasKilledIsNotATableYetAndStopsNothing(SparkSession spark, TestLakehouse lakehouse) throws Exception {
    FeatureStore store = FeatureStore.open(spark, lakehouse.layout());
    FeatureGroup credit = store.createFeatureGroup(FeatureGroupSpec.of("credit", List.of("applicant_id"), "as_of"), FeatureViewTest.CREDIT);
    credit.overwrite(credit(spark, 600), "credit:1");
    // what a first monitor run killed at its table's first commit leaves: a data file and a log folder without a commit
    Path killed = lakehouse.root().resolve("_lakeline/monitoring_performance");
    java.nio.file.Files.createDirectories(killed.resolve("_delta_log/_commits"));
    java.nio.file.Files.write(killed.resolve("part-00000-killed.snappy.parquet"), new byte[] {1, 2, 3});

    for (Maintenance.Options options : List.of(CHECK_NOW, VACUUM_ALL_NOW)) {
      Maintenance.Result result = Maintenance.of(store).run(options, r -> {});
      assertEquals(List.of(), result.failed(), "nothing failed: " + result.failed());
      assertTrue(byTable(result).containsKey("feature_groups/credit/v1"), result.tables().toString());
    }
    assertFalse(Maintenance.of(store).tables().contains("_lakeline/monitoring_performance"), Maintenance.of(store).tables().toString());

    // the rerun creates the table: from then on it is maintained
    spark.range(3).write().format("delta").mode("append").save(killed.toString());
    assertTrue(Maintenance.of(store).tables().contains("_lakeline/monitoring_performance"));
  }

  @Test
  void aPartitionedTableWhoseOldFilesAreAllCurrentIsNotVacuumed(SparkSession spark, TestLakehouse lakehouse) throws Exception {
    // partition values that folder names escape: Delta's paths of the current files must match the listing's
    Path folder = lakehouse.root().resolve("predictions/events");
    spark.range(6).selectExpr("id", "CASE WHEN id % 2 = 0 THEN 'a b:c%d' ELSE '2024-01-01 00:00:00' END AS p")
        .write().format("delta").partitionBy("p").save(folder.toString());
    long old = System.currentTimeMillis() - 48 * 3_600_000L;
    try (var walk = java.nio.file.Files.walk(folder)) {
      for (Path f : walk.filter(java.nio.file.Files::isRegularFile).filter(f -> !f.toString().contains("_delta_log")).toList()) {
        assertTrue(f.toFile().setLastModified(old));
      }
    }
    // a young file no version reads: the folder holds more files than the current version, all of them old but current
    java.nio.file.Files.write(folder.resolve("part-00009-just-written.snappy.parquet"), new byte[] {1, 2, 3});
    Maintenance.Options day = new Maintenance.Options(false, true, 24.0, false, List.of("predictions/events"));

    Maintenance.TableResult r = Maintenance.of(FeatureStore.open(spark, lakehouse.layout())).run(day, x -> {}).tables().get(0);
    assertEquals(r.versionBefore(), r.version(), "the old files are the current ones and the other is young: " + r);
    assertEquals(0, r.filesVacuumed());
    assertEquals(6, spark.read().format("delta").load(folder.toString()).collectAsList().size());
  }

  private static Map<String, String> properties(SparkSession spark, String path) {
    return DeltaTable.forPath(spark, path).detail().select("properties").head().getJavaMap(0);
  }
}
