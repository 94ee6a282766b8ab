package dev.lakeline.jobs.cli;

import static dev.lakeline.testkit.TestSpark.inZone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through {@code lakeline features}: each case is a clear message with its exit code and nothing written,
 * or a documented behaviour (docs/feature-pipelines.md, "Bad input").
 */
@SparkTest
class FeaturePipelineBadInputTest {
  private static final String DAY = "2024-06-01";
  private static final String[] BAD_LINES = {
    "t1,c1,2024-06-01 10:00:00,10.0",
    "t2,c1,2024-06-01 11:00:00,abc",
    "t3,c2,2024-06-01 12:00:00,5.0",
    "t4,c2,2024-06-01 13:00",
    "t5,c1,,3.0"
  };
  private static final String DATED = "date_column: txn_ts";
  private static final String COUNT_1D = """
      - step: rolling_aggregates
        entity: card_id
        time: txn_ts
        value: amount
        windows: [1d]
        aggregates: [count]
      """;

  private static void assertMessage(Cli r, String... parts) {
    for (String p : parts) {
      assertTrue(r.err().contains(p), "error lacks '" + p + "':\n" + r.err() + r.out());
    }
    assertFalse(r.hasStackTrace(), r.err());
  }

  private static void assertNothingWritten(SparkSession spark, PipelineFixture fx, String group) {
    assertFalse(DeltaCommits.exists(spark, fx.group(group)), "no feature group was created");
    assertFalse(DeltaCommits.exists(spark, fx.lakehouse().layout().system("bad_rows") + "/" + group), "no bad rows were kept");
  }

  @Test
  void unparseableCsvRowsRejectTheRunWithTheirCountAndExamples(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path file = fx.pipeline("cards", fx.csv("txns.csv", BAD_LINES), DATED, COUNT_1D, "");
    Cli r = fx.features(file, "--date", DAY);
    assertEquals(ExitCode.DATA_REJECTED.code(), r.exitCode(), r.err() + r.out());
    assertMessage(r,
        "Pipeline 'cards': 3 rows of source " + dir.resolve("txns.csv") + " cannot be read for 2024-06-01 (bad_rows: reject). Nothing was written.",
        "column 'amount': 'abc' is not a double",
        "malformed CSV record",
        "record: t4,c2,2024-06-01 13:00",
        "date column 'txn_ts' is empty",
        "set 'bad_rows: report' in the source of " + file);
    assertNothingWritten(spark, fx, "cards");
  }

  @Test
  void withBadRowsReportTheGoodRowsLandAndTheBadOnesAreKeptWithTheirReason(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path file = fx.pipeline("cards", fx.csv("txns.csv", BAD_LINES), DATED + "\nbad_rows: report", COUNT_1D, "");
    Cli r = fx.features(file, "--date", DAY);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    String badRows = lh.layout().system("bad_rows") + "/cards";
    assertTrue(r.out().contains("cards 2024-06-01: 3 rows could not be read, kept with their reason in " + badRows), r.out());
    assertTrue(r.out().matches("(?s).*bad rows:\\s+cards 2024-06-01: 3 rows.*"), "the summary counts them:\n" + r.out());
    List<String> landed = spark.read().format("delta").load(fx.group("cards")).orderBy("txn_id").select("txn_id").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("t1", "t3"), landed);

    Map<String, String> kept = new TreeMap<>();
    for (Row row : spark.read().format("delta").load(badRows).select("record", "reason", "logical_date", "pipeline").collectAsList()) {
      kept.put(row.getString(0), row.getString(1));
      assertEquals(java.sql.Date.valueOf(DAY), row.getDate(2));
      assertEquals("cards", row.getString(3));
    }
    assertEquals(3, kept.size(), kept.toString());
    assertTrue(kept.get("{\"txn_id\":\"t2\",\"card_id\":\"c1\",\"txn_ts\":\"2024-06-01 11:00:00\",\"amount\":\"abc\"}")
        .contains("column 'amount': 'abc' is not a double"), kept.toString());
    assertTrue(kept.get("t4,c2,2024-06-01 13:00").startsWith("malformed CSV record"), kept.toString());
    assertTrue(kept.values().stream().anyMatch(v -> v.equals("date column 'txn_ts' is empty")), kept.toString());

    Cli again = fx.features(file, "--date", DAY);
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(3, spark.read().format("delta").load(badRows).count(), "a rerun replaces the date's bad rows, never duplicates them");
    assertTrue(again.out().contains("unchanged at"), again.out());
  }

  @Test
  void timestampsInMixedFormatsAndZonesAreNormalisedToUtc(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path csv = fx.csv("txns.csv",
        "a,c1,2024-06-01T10:00:00Z,1",
        "b,c1,2024-06-01 12:00:00+02:00,1",
        "c,c1,06/01/2024 10:00,1",
        "d,c1,2024-06-01 06:00 America/New_York,1",
        "e,c1,2024-06-01T03:00:00-07:00,1");
    Path file = fx.pipeline("cards", csv, DATED + """

        timestamp_formats: ["yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd HH:mm:ssXXX", "MM/dd/yyyy HH:mm", "yyyy-MM-dd HH:mm VV"]""",
        "", "columns: [txn_id, txn_ts]");
    // zone-less values are UTC whatever the session says
    Cli r = inZone(spark, "America/New_York", () -> fx.features(file, "--date", DAY));
    assertEquals(0, r.exitCode(), r.err() + r.out());
    List<Row> rows = spark.read().format("delta").load(fx.group("cards")).collectAsList();
    assertEquals(5, rows.size());
    for (Row row : rows) {
      assertEquals(Instant.parse("2024-06-01T10:00:00Z"), row.getTimestamp(1).toInstant(), row.getString(0));
    }

    fx.csv("txns.csv", "a,c1,2024-06-01T10:00:00Z,1", "f,c1,2024-13-01 10:00:00,1");
    Cli bad = fx.features(file, "--date", DAY);
    assertEquals(ExitCode.DATA_REJECTED.code(), bad.exitCode(), bad.err() + bad.out());
    assertMessage(bad, "1 row of source", "column 'txn_ts': '2024-13-01 10:00:00' matches none of the timestamp formats "
        + "[yyyy-MM-dd'T'HH:mm:ssXXX, yyyy-MM-dd HH:mm:ssXXX, MM/dd/yyyy HH:mm, yyyy-MM-dd HH:mm VV]");
  }

  @Test
  void aPipelineThatStartsProducingAColumnIsToldToAddItAndRunsOnceItIsAdded(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path source = fx.csv("txns.csv", BAD_LINES[0], "t2,c1,2024-06-02 10:00:00,4.0");
    String columns = "columns: [txn_id, card_id, txn_ts, amount]";
    Path before = fx.pipeline("cards", source, DATED, "", columns);
    assertEquals(0, fx.features(before, "--date", DAY).exitCode());

    Path after = fx.write("cards.yaml", read(before).replace(
        "columns: [txn_id, card_id, txn_ts, amount]", "columns: [txn_id, card_id, txn_ts, amount, {amount_x2: \"amount * 2\"}]"));
    Cli refused = fx.features(after, "--date", "2024-06-02");
    assertEquals(ExitCode.CONFLICT.code(), refused.exitCode(), refused.err() + refused.out());
    assertMessage(refused, "Feature group cards v1 already exists, and the requested schema differs from it only by new columns:",
        "column 'amount_x2' added (double)", "lakeline fg add-features cards --version 1 --feature amount_x2:double");

    Cli add = Cli.inLakehouse(lh, "fg", "add-features", "cards", "--version", "1", "--feature", "amount_x2:double=0");
    assertEquals(0, add.exitCode(), add.err());
    Cli rerun = fx.features(after, "--date", "2024-06-02");
    assertEquals(0, rerun.exitCode(), rerun.err() + rerun.out());
    Map<String, Double> doubled = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(fx.group("cards")).collectAsList()) {
      doubled.put(r.getAs("txn_id"), r.getAs("amount_x2"));
    }
    assertEquals(Map.of("t1", 20.0, "t2", 8.0), doubled);
  }

  private static String read(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aNegativeWindowIsAConfigErrorAndNothingIsWritten(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path file = fx.pipeline("cards", fx.csv("txns.csv", BAD_LINES[0]), DATED, COUNT_1D.replace("[1d]", "[-7d]"), "");
    Cli r = fx.features(file, "--date", DAY);
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode(), r.err() + r.out());
    assertMessage(r, file + ": steps[1]", "window '-7d' is not a duration", "A window cannot be negative");
    assertNothingWritten(spark, fx, "cards");
  }

  @Test
  void aStepReadingAColumnThatNoEarlierStepProducesIsAConfigError(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    String steps = """
        - step: ratio
          numerator: amount
          denominator: amount_sum_7d
          output: share_of_week
        - step: rolling_aggregates
          entity: card_id
          time: txn_ts
          value: amount
          windows: [7d]
          aggregates: [sum]
        """;
    Path file = fx.pipeline("cards", fx.csv("txns.csv", BAD_LINES[0]), DATED, steps, "");
    Cli r = fx.features(file, "--date", DAY);
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode(), r.err() + r.out());
    assertMessage(r, file + ": Pipeline step 1 'ratio' reads column 'amount_sum_7d', which is not in the input schema and is "
        + "produced by no earlier step.");
    assertNothingWritten(spark, fx, "cards");
  }

  @Test
  void aSourceWithoutDataFilesIsNotFoundNamingTheSourceThePathAndTheField(SparkSession spark, TestLakehouse lh, @TempDir Path dir)
      throws Exception {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path empty = java.nio.file.Files.createDirectories(dir.resolve("txns"));
    fx.write("txns/_SUCCESS", ""); // a marker, not data
    for (String format : List.of("csv", "parquet", "json")) {
      Path file = fx.write("cards.yaml", java.nio.file.Files.readString(fx.pipeline("cards", empty, DATED, "", ""))
          .replace("format: csv", "format: " + format));
      Cli r = fx.features(file, "--date", DAY);
      assertEquals(ExitCode.NOT_FOUND.code(), r.exitCode(), format + ": " + r.err() + r.out());
      assertMessage(r,
          "Pipeline 'cards': no " + format + " files were found for source " + empty + " (source.path of " + file
              + "): the folder holds no data files, so there are no rows to read for any date",
          "Nothing was written. Check source.path in " + file);
      assertFalse(r.err().contains("UNABLE_TO_INFER_SCHEMA"), r.err());
      assertNothingWritten(spark, fx, "cards");
    }

    Cli glob = fx.features(fx.pipeline("cards", dir.resolve("txns/*.csv"), DATED, "", ""), "--date", DAY);
    assertEquals(ExitCode.NOT_FOUND.code(), glob.exitCode(), glob.err() + glob.out());
    assertMessage(glob, "no csv files were found for source " + dir.resolve("txns/*.csv"), "the pattern matches no file");

    Cli missing = fx.features(fx.pipeline("cards", dir.resolve("nope"), DATED, "", ""), "--date", DAY);
    assertEquals(ExitCode.NOT_FOUND.code(), missing.exitCode(), missing.err() + missing.out());
    assertMessage(missing, "Pipeline 'cards': source " + dir.resolve("nope") + " not found (source.path of "
        + dir.resolve("cards.yaml") + "). Check source.path in " + dir.resolve("cards.yaml"));
    assertNothingWritten(spark, fx, "cards");
  }

  @Test
  void aDryRunFindsAStepReadingAColumnTheDeclaredSchemaLacks(TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    String steps = """
        - step: ratio
          numerator: amount
          denominator: fee
          output: fee_share
        """;
    Path file = fx.pipeline("cards", fx.csv("txns.csv", BAD_LINES[0]), DATED, steps, "");
    Cli r = fx.features(file, "--date", DAY, "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode(), r.err() + r.out());
    assertMessage(r, file + ": Pipeline step 1 'ratio' reads column 'fee', which is not in the input schema and is produced by "
        + "no earlier step.", "Columns available to this step: [txn_id, card_id, txn_ts, amount]");
    assertFalse(r.out().contains("dry run"), r.out());
  }

  @Test
  void aWindowLargerThanTheDataHoldsEveryEarlierEvent(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path csv = fx.csv("txns.csv",
        "t1,c1,2024-06-01 10:00:00,1.0", "t2,c1,2024-06-02 10:00:00,2.0", "t3,c1,2024-06-03 10:00:00,4.0", "t4,c2,2024-06-03 11:00:00,8.0");
    String tenYears = COUNT_1D.replace("[1d]", "[3650d]").replace("[count]", "[count, sum]");
    Path file = fx.pipeline("cards", csv, DATED, tenYears, "columns: [txn_id, txn_ts, amount_count_3650d, amount_sum_3650d]");
    Cli r = fx.features(file, "--date", "2024-06-03");
    assertEquals(0, r.exitCode(), r.err() + r.out());
    Map<String, String> got = new TreeMap<>();
    for (Row row : spark.read().format("delta").load(fx.group("cards")).collectAsList()) {
      got.put(row.getString(0), row.getLong(2) + "/" + row.getDouble(3));
    }
    assertEquals(Map.of("t1", "1/1.0", "t2", "2/3.0", "t3", "3/7.0", "t4", "1/8.0"), got);
  }

  @Test
  void aDateBeforeTheSourcesFirstRowDoesNotEmptyAnOverwriteGroup(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path file = fx.pipeline("cards", fx.csv("txns.csv", "t1,c1,2024-06-01 10:00:00,1.0", "t2,c2,2024-06-01 11:00:00,2.0"),
        DATED, "", ""); // up_to_date into an overwrite group: each run rewrites the group as of its date
    assertEquals(0, fx.features(file, "--date", DAY).exitCode());
    long version = DeltaCommits.currentVersion(spark, fx.group("cards"));

    // a typo'd year: no row is dated on or before it, so the run would replace the group with an empty table
    Cli early = fx.features(file, "--date", "2014-06-01");
    assertEquals(ExitCode.DATA_REJECTED.code(), early.exitCode(), early.err() + early.out());
    assertMessage(early, "Pipeline 'cards': source " + dir.resolve("txns.csv") + " has no rows dated 2014-06-01 or earlier "
        + "(source.date_column txn_ts), so the run would replace cards v1 (mode: overwrite) with an empty table. Nothing "
        + "was written. Check the date");
    assertEquals(version, DeltaCommits.currentVersion(spark, fx.group("cards")), "nothing committed");
    assertEquals(2, spark.read().format("delta").load(fx.group("cards")).count(), "the group keeps its rows");
  }

  @Test
  void aSourceWithoutADeclaredColumnIsRejected(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path csv = fx.write("txns.csv", "txn_id,card_id,txn_ts\nt1,c1,2024-06-01 10:00:00\n");
    Path file = fx.pipeline("cards", csv, DATED, "", "");
    Cli r = fx.features(file, "--date", DAY);
    assertEquals(ExitCode.DATA_REJECTED.code(), r.exitCode(), r.err() + r.out());
    assertMessage(r, "lacks the declared columns [amount]; its header has [txn_id, card_id, txn_ts]. Nothing was written.");
    assertNothingWritten(spark, fx, "cards");
  }
  @Test
  void csvFilesWithDifferentHeaderOrdersRejectTheRunNamingTheFile(SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws Exception {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    java.nio.file.Files.createDirectories(dir.resolve("txns"));
    // a.csv is the larger, so it is the file the source's header is taken from
    fx.write("txns/a.csv", "txn_id,card_id,txn_ts,amount\nt1,c1,2024-06-01 10:00:00,1.0\nt2,c1,2024-06-01 11:00:00,2.0\n");
    fx.write("txns/b.csv", "card_id,txn_id,txn_ts,amount\nc2,t3,2024-06-01 12:00:00,3.0\n");
    Path file = fx.pipeline("cards", dir.resolve("txns"), DATED + "\nbad_rows: report", "", "");
    Cli r = fx.features(file, "--date", DAY);
    assertEquals(ExitCode.DATA_REJECTED.code(), r.exitCode(), r.err() + r.out());
    assertMessage(r,
        "Pipeline 'cards': the CSV files of source " + dir.resolve("txns") + " do not all have the same header:",
        "b.csv has the header [card_id, txn_id, txn_ts, amount], other files of the source [txn_id, card_id, txn_ts, amount]",
        "Nothing was written. Write every file of the source with the same columns in the same order");
    assertNothingWritten(spark, fx, "cards");

    java.nio.file.Files.writeString(dir.resolve("txns/b.csv"), "txn_id,card_id,txn_ts,amount,note\nt3,c2,2024-06-01 12:00:00,3.0,x\n");
    Cli wider = fx.features(file, "--date", DAY);
    assertEquals(ExitCode.DATA_REJECTED.code(), wider.exitCode(), wider.err() + wider.out());
    assertMessage(wider, "b.csv has a header of 5 columns, other files of the source 4");
    assertNothingWritten(spark, fx, "cards");
  }

  @Test
  void malformedCsvLinesAreBadRowsWhenTheFileHasUndeclaredColumns(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path csv = fx.write("txns.csv", """
        txn_id,card_id,txn_ts,amount,note
        t1,c1,2024-06-01 10:00:00,1.0,ok
        t2,c1,2024-06-01 11:00:00,2.0,ok,surplus
        t3,c2,2024-06-01 12:00:00,3.0
        """);
    Path file = fx.pipeline("cards", csv, DATED, "", "");
    Cli r = fx.features(file, "--date", DAY);
    assertEquals(ExitCode.DATA_REJECTED.code(), r.exitCode(), r.err() + r.out());
    assertMessage(r, "2 rows of source " + csv + " cannot be read", "malformed CSV record",
        "record: t2,c1,2024-06-01 11:00:00,2.0,ok,surplus", "record: t3,c2,2024-06-01 12:00:00,3.0");
    assertNothingWritten(spark, fx, "cards");
  }

  @Test
  void textThatSparkWouldCastByInventingAValueIsABadRow(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path csv = fx.write("txns.csv", """
        txn_id,day,amount,fee
        good,2024-06-01,1.5e3,1.20
        year,2024,1.0,1.00
        junk,2024-06-01 junk,1.0,1.00
        short,2024-6-1,1.0,1.00
        huge,2024-06-01,1e400,1.00
        tiny,2024-06-01,1e-400,1.00
        rounded,2024-06-01,1.0,1.234
        zero,2024-06-01,0.0e5,0
        """);
    Path file = fx.write("cards.yaml", """
        name: cards
        source:
          path: %s
          format: csv
          schema: {txn_id: string, day: date, amount: double, fee: "decimal(10,2)"}
          date_column: day
          bad_rows: report
        feature_groups:
          - name: cards
            primary_key: [txn_id]
        """.formatted(csv));
    Cli r = fx.features(file, "--date", DAY);
    assertEquals(0, r.exitCode(), r.err() + r.out());
    List<Row> landed = spark.read().format("delta").load(fx.group("cards")).orderBy("txn_id").collectAsList();
    assertEquals(2, landed.size(), landed.toString());
    assertEquals(List.of("good", java.sql.Date.valueOf(DAY), 1500.0, new java.math.BigDecimal("1.20")),
        List.of(landed.get(0).get(0), landed.get(0).get(1), landed.get(0).get(2), landed.get(0).get(3)));
    assertEquals("zero", landed.get(1).getString(0));
    assertEquals(0.0, landed.get(1).getDouble(2));

    Map<String, String> reasons = new TreeMap<>();
    for (Row row : spark.read().format("delta").load(lh.layout().system("bad_rows") + "/cards").select("record", "reason").collectAsList()) {
      reasons.put(row.getString(0).replaceAll("^\\{\"txn_id\":\"([a-z]+)\".*", "$1"), row.getString(1));
    }
    assertEquals(Map.of(
        "year", "column 'day': '2024' is not a date (yyyy-MM-dd)",
        "junk", "column 'day': '2024-06-01 junk' is not a date (yyyy-MM-dd)",
        "short", "column 'day': '2024-6-1' is not a date (yyyy-MM-dd)",
        "huge", "column 'amount': '1e400' is out of the range or precision of a double",
        "tiny", "column 'amount': '1e-400' is out of the range or precision of a double",
        "rounded", "column 'fee': '1.234' is out of the range or precision of a decimal(10,2)"), reasons);
  }
}
