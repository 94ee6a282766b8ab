package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lakeline features --from --to}: one date after the other with a progress line each, a stop at the first
 * failure that says how to resume, a resumed run that skips what was committed, and idempotent reruns of a date.
 */
@SparkTest
class BackfillTest {
  private static final String[] DAYS = {
    "a1,c1,2024-06-01 10:00:00,1.0", "b1,c2,2024-06-01 11:00:00,10.0",
    "a2,c1,2024-06-02 10:00:00,2.0", "b2,c2,2024-06-02 11:00:00,20.0",
    "a3,c1,2024-06-03 10:00:00,4.0", "b3,c2,2024-06-03 11:00:00,30.0",
    "a4,c1,2024-06-04 10:00:00,8.0", "b4,c2,2024-06-04 11:00:00,40.0"
  };
  private static final String ON_DATE = """
      date_column: txn_ts
      rows: on_date
      lookback: 7d
      """;
  private static final String WEEK = """
      - step: rolling_aggregates
        entity: card_id
        time: txn_ts
        value: amount
        windows: [7d]
        aggregates: [count, sum]
      """;

  @Test
  void aBackfillStopsAtTheFirstFailureAndResumesWhereItStopped(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    String[] broken = DAYS.clone();
    broken[5] = "b3,c2,2024-06-03 11:00:00,oops";
    Path csv = fx.csv("txns.csv", broken);
    Path file = fx.pipeline("cards", csv, ON_DATE, WEEK, "columns: [txn_id, card_id, txn_ts, amount_count_7d, amount_sum_7d]");

    Cli first = fx.features(file, "--from", "2024-06-01", "--to", "2024-06-04");
    assertEquals(ExitCode.DATA_REJECTED.code(), first.exitCode(), first.err() + first.out());
    assertTrue(first.out().contains("[1/4] 2024-06-01 cards: committed cards v1 @ Delta v1, 2 rows"), first.out());
    assertTrue(first.out().contains("[2/4] 2024-06-02 cards: committed cards v1 @ Delta v2, 2 rows"), first.out());
    assertTrue(first.out().contains("[3/4] 2024-06-03 ✘ failed"), first.out());
    // the command to paste names the pipeline file again: without it, the bundled pipelines would run
    assertTrue(first.out().contains("Resume from it: lakeline features --pipeline " + file + " --from 2024-06-03 --to 2024-06-04"),
        first.out());
    assertFalse(first.out().contains("[4/4]"), "the backfill stops at the first failure:\n" + first.out());
    assertTrue(first.err().contains("column 'amount': 'oops' is not a double"), first.err());
    assertEquals(4, spark.read().format("delta").load(fx.group("cards")).count());

    fx.csv("txns.csv", DAYS);
    Cli resumed = fx.features(file, "--from", "2024-06-01", "--to", "2024-06-04");
    assertEquals(0, resumed.exitCode(), resumed.err() + resumed.out());
    assertTrue(resumed.out().contains("[1/4] 2024-06-01 cards: unchanged (already committed)"), resumed.out());
    assertTrue(resumed.out().contains("[2/4] 2024-06-02 cards: unchanged (already committed)"), resumed.out());
    assertTrue(resumed.out().contains("[3/4] 2024-06-03 cards: committed cards v1 @ Delta v3, 2 rows"), resumed.out());
    assertTrue(resumed.out().contains("[4/4] 2024-06-04 cards: committed cards v1 @ Delta v4, 2 rows"), resumed.out());
    // the summary counts the rows the run wrote over all its dates: two dates of 2 rows (the first two were skipped)
    assertTrue(resumed.out().matches("(?s).*\ntable +version +rows written *\nfeature group cards v1 +4 +4 *\n.*"), resumed.out());

    Map<String, String> rows = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(fx.group("cards")).collectAsList()) {
      rows.put(r.getString(0), r.getLong(3) + "/" + r.getDouble(4));
    }
    // each date's windows see the earlier dates through the lookback
    assertEquals(Map.of("a1", "1/1.0", "a2", "2/3.0", "a3", "3/7.0", "a4", "4/15.0",
        "b1", "1/10.0", "b2", "2/30.0", "b3", "3/60.0", "b4", "4/100.0"), rows);

    long version = DeltaCommits.currentVersion(spark, fx.group("cards"));
    Cli rerun = fx.features(file, "--date", "2024-06-02");
    assertEquals(0, rerun.exitCode(), rerun.err());
    assertTrue(rerun.out().contains("cards v1             unchanged at v2, 2 rows"), rerun.out());
    Cli recompute = fx.features(file, "--from", "2024-06-03", "--to", "2024-06-04", "--recompute");
    assertEquals(0, recompute.exitCode(), recompute.err());
    // a recomputed date whose batch was committed before wrote nothing: its line says so, with no batch size
    assertTrue(recompute.out().contains("[1/2] 2024-06-03 cards: unchanged cards v1 @ Delta v3 (batch already committed, "
        + "nothing written) · "), recompute.out());
    assertFalse(recompute.out().contains("Delta v3, 2 rows"), recompute.out());
    assertTrue(recompute.out().matches("(?s).*\nfeature group cards v1 +4 +0  \\(unchanged: every date's batch already "
        + "committed\\)\n.*"), "recomputed, but nothing written:\n" + recompute.out());
    assertEquals(version, DeltaCommits.currentVersion(spark, fx.group("cards")), "reruns commit nothing");
    assertEquals(8, spark.read().format("delta").load(fx.group("cards")).count());
  }

  @Test
  void aBackfillOfOverwrittenSnapshotsComputesOnlyItsLastDate(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path csv = fx.csv("txns.csv", DAYS);
    Path file = fx.pipeline("cards", csv, "date_column: txn_ts", "", ""); // up_to_date, overwrite

    Cli back = fx.features(file, "--from", "2024-06-01", "--to", "2024-06-04");
    assertEquals(0, back.exitCode(), back.err() + back.out());
    // each date's batch would replace the whole group: the earlier dates' work would be thrown away
    assertTrue(back.out().contains("[1/4] 2024-06-01 cards: skipped — each date's batch replaces the whole group (mode overwrite); "
        + "the last date, 2024-06-04, writes it · "), back.out());
    for (String date : new String[] {"[2/4] 2024-06-02", "[3/4] 2024-06-03"}) { // said once, then briefly
      assertTrue(back.out().contains(date + " cards: skipped (computed for 2024-06-04 only) · "), back.out());
    }
    assertTrue(back.out().contains("[4/4] 2024-06-04 cards: committed cards v1 @ Delta v1, 8 rows"), back.out());
    assertEquals(1, DeltaCommits.currentVersion(spark, fx.group("cards")), "the group's creation and one batch");
    // the summary and the job-runs log count the rows written: the last date's batch alone
    assertTrue(back.out().matches("(?s).*\ntable +version +rows written *\nfeature group cards v1 +1 +8 *\n.*"), back.out());

    // the group is what a run for the last date alone writes
    Path solo = fx.pipeline("solo", csv, "date_column: txn_ts", "", "");
    assertEquals(0, fx.features(solo, "--date", "2024-06-04").exitCode());
    Dataset<Row> cards = spark.read().format("delta").load(fx.group("cards"));
    Dataset<Row> alone = spark.read().format("delta").load(fx.group("solo"));
    assertEquals(8, cards.count());
    assertTrue(cards.exceptAll(alone).isEmpty() && alone.exceptAll(cards).isEmpty(), "the same rows");

    Cli again = fx.features(file, "--from", "2024-06-01", "--to", "2024-06-04");
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().contains("[1/4] 2024-06-01 cards: skipped — each date's batch replaces"), again.out());
    assertTrue(again.out().contains("[4/4] 2024-06-04 cards: unchanged (already committed)"), again.out());
    assertTrue(again.out().matches("(?s).*\nfeature group cards v1 +1 +0  \\(unchanged: every date's batch already committed\\)\n.*"),
        "every date skipped: nothing written, not the group's 8 rows:\n" + again.out());
    assertEquals(1, DeltaCommits.currentVersion(spark, fx.group("cards")), "a rerun commits nothing");

    // a run for an earlier date rewinds the group: the last date's batch is committed, but no longer the latest
    assertEquals(0, fx.features(file, "--date", "2024-06-02").exitCode());
    Cli rewound = fx.features(file, "--from", "2024-06-01", "--to", "2024-06-04");
    assertEquals(0, rewound.exitCode(), rewound.err());
    assertTrue(rewound.out().contains("[4/4] 2024-06-04 cards: committed cards v1 @ Delta v3, 8 rows"), rewound.out());
    assertEquals(8, spark.read().format("delta").load(fx.group("cards")).count());

    // --recompute computes the last date again (a no-op when nothing changed), and still not the earlier ones
    Cli recompute = fx.features(file, "--from", "2024-06-01", "--to", "2024-06-04", "--recompute");
    assertEquals(0, recompute.exitCode(), recompute.err());
    assertTrue(recompute.out().contains("[3/4] 2024-06-03 cards: skipped (computed for 2024-06-04 only)"), recompute.out());
    assertTrue(recompute.out().contains("[4/4] 2024-06-04 cards: unchanged cards v1 @ Delta v3 (batch already committed, "
        + "nothing written)"), recompute.out());
    assertEquals(3, DeltaCommits.currentVersion(spark, fx.group("cards")));
  }

  @Test
  void aBackfillOfUpsertedSnapshotsCommitsEveryDate(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    // each date's snapshot is merged: a row an earlier snapshot had stays, so every date is computed
    Path file = fx.pipeline("cards", fx.csv("txns.csv", DAYS), "date_column: txn_ts", "", "mode: upsert");
    Cli back = fx.features(file, "--from", "2024-06-01", "--to", "2024-06-03");
    assertEquals(0, back.exitCode(), back.err() + back.out());
    assertTrue(back.out().contains("[1/3] 2024-06-01 cards: committed cards v1 @ Delta v1, 2 rows"), back.out());
    assertTrue(back.out().contains("[2/3] 2024-06-02 cards: committed cards v1 @ Delta v2, 4 rows"), back.out());
    assertTrue(back.out().contains("[3/3] 2024-06-03 cards: committed cards v1 @ Delta v3, 6 rows"), back.out());
    assertFalse(back.out().contains("skipped"), back.out());
    assertEquals(6, spark.read().format("delta").load(fx.group("cards")).count());
  }

  @Test
  void anOverwrittenGroupThatAnotherPipelineReadsIsWrittenForEveryDate(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path cards = fx.pipeline("cards", fx.csv("txns.csv", DAYS), "date_column: txn_ts", "", ""); // up_to_date, overwrite
    assertEquals(0, fx.features(cards, "--date", "2024-06-01").exitCode());
    // a second pipeline reads each date's rows of the cards group: it must see the group as of that date
    Path daily = fx.write("daily.yaml", """
        name: daily
        source:
          path: %s
          format: delta
          date_column: txn_ts
          rows: on_date
        feature_groups:
          - name: daily
            primary_key: [txn_id]
            event_time: txn_ts
        """.formatted(fx.group("cards")));
    Cli back = Cli.inLakehouse(lh, "features", "--pipeline", cards.toString(), "--pipeline", daily.toString(),
        "--from", "2024-06-01", "--to", "2024-06-03");
    assertEquals(0, back.exitCode(), back.err() + back.out());
    assertTrue(back.out().contains("[2/3] 2024-06-02 cards: committed cards v1 @ Delta v2, 4 rows · daily: committed daily v1 "
        + "@ Delta v2, 2 rows"), back.out());
    assertTrue(back.out().contains("[3/3] 2024-06-03 cards: committed cards v1 @ Delta v3, 6 rows · daily: committed daily v1 "
        + "@ Delta v3, 2 rows"), back.out());
    assertEquals(6, spark.read().format("delta").load(fx.group("daily")).count());
  }

  @Test
  void aDateCommittedEmptyBeforeItsRowsLandedIsComputedAgainByTheBackfill(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    String[] early = java.util.Arrays.copyOf(DAYS, 6); // the rows of 2024-06-04 have not landed yet
    Path file = fx.pipeline("cards", fx.csv("txns.csv", early), ON_DATE, WEEK, "");
    Cli first = fx.features(file, "--from", "2024-06-03", "--to", "2024-06-04");
    assertEquals(0, first.exitCode(), first.err() + first.out());
    assertTrue(first.out().contains("[2/2] 2024-06-04 cards: committed cards v1 @ Delta v2, 0 rows"), first.out());

    fx.csv("txns.csv", DAYS); // they land
    Cli again = fx.features(file, "--from", "2024-06-03", "--to", "2024-06-04");
    assertEquals(0, again.exitCode(), again.err() + again.out());
    assertTrue(again.out().contains("[1/2] 2024-06-03 cards: unchanged (already committed)"), again.out());
    // the empty batch of 2024-06-04 is not "already committed": the date is computed again and its rows loaded
    assertTrue(again.out().contains("[2/2] 2024-06-04 cards: committed cards v1 @ Delta v3, 2 rows"), again.out());
    assertEquals(4, spark.read().format("delta").load(fx.group("cards")).count());
  }

  @Test
  void aPipelineFileGivenAsConfigIsThePipeline(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path file = fx.pipeline("cards", fx.csv("txns.csv", DAYS), ON_DATE, WEEK, "");
    // the issue's spelling: lakeline features --config conf/pipelines/<name>.yaml --date <d>
    Cli r = Cli.run("features", "--config", file.toString(), "--date", "2024-06-04", "--lakehouse", lh.uri());
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTrue(r.out().contains("cards v1             committed v1, 2 rows"), r.out());
  }

  @Test
  void aDryRunRefusesABackfillOfAnUndatedPipelineAndARecomputeWithoutARange(TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path undated = fx.pipeline("cards", fx.csv("txns.csv", DAYS), "", "", ""); // no date_column: every row, every date
    Cli backfill = fx.features(undated, "--from", "2024-06-01", "--to", "2024-06-02", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), backfill.exitCode(), backfill.err() + backfill.out());
    assertTrue(backfill.err().contains("pipeline 'cards' reads every row whatever the date (no source.date_column)"), backfill.err());
    assertFalse(backfill.out().contains("nothing was run") || backfill.hasStackTrace(), backfill.out() + backfill.err());

    Path dated = fx.pipeline("dated", fx.csv("txns.csv", DAYS), "date_column: txn_ts", "", "");
    Cli recompute = fx.features(dated, "--date", "2024-06-01", "--recompute", "--dry-run");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), recompute.exitCode(), recompute.err() + recompute.out());
    assertTrue(recompute.err().contains("--recompute is for a backfill (--from and --to)"), recompute.err());
  }

  @Test
  void theDateArgumentsAreCheckedBeforeAnythingRuns() {
    Cli both = Cli.run("features", "--date", "2024-06-01", "--from", "2024-06-01", "--to", "2024-06-02");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), both.exitCode());
    assertTrue(both.err().contains("not both"), both.err());
    Cli half = Cli.run("features", "--from", "2024-06-01");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), half.exitCode());
    assertTrue(half.err().contains("both --from and --to"), half.err());
    Cli empty = Cli.run("features", "--from", "2024-06-02", "--to", "2024-06-01");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), empty.exitCode());
    assertTrue(empty.err().contains("--from 2024-06-02 is after --to 2024-06-01"), empty.err());
    Cli missing = Cli.run("features", "--pipeline", "no_such_pipeline", "--date", "2024-06-01");
    assertEquals(ExitCode.NOT_FOUND.code(), missing.exitCode(), missing.err());
    assertTrue(missing.err().contains("No pipeline named 'no_such_pipeline'"), missing.err());
  }
}
