package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline's groups for a date are committed all or none (docs/feature-pipelines.md, "All groups or none"). */
@SparkTest
class FeaturePipelineAllOrNoneTest {
  @Test
  void whenTheSecondGroupsSuiteRejectsItsBatchNoGroupIsWrittenOrCreated(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    PipelineFixture fx = new PipelineFixture(dir, lh);
    Path csv = fx.csv("txns.csv",
        "t1,c1,2024-06-01 10:00:00,10.0",
        "t2,c2,2024-06-01 11:00:00,5.0",
        "t3,c1,2024-06-02 10:00:00,-3.0",
        "t4,c2,2024-06-02 11:00:00,7.0");
    fx.write("positive.yaml", """
        expectation_suite_name: positive
        policy: STRICT
        expectations:
          - expectation_type: expect_column_values_to_be_between
            kwargs: {column: amount, min_value: 0}
        """);
    Path file = fx.write("cards.yaml", """
        name: cards
        source:
          path: %s
          format: csv
          schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: double}
          date_column: txn_ts
          rows: on_date
        feature_groups:
          - name: card_ids
            primary_key: [txn_id]
            event_time: txn_ts
            columns: [txn_id, card_id, txn_ts]
          - name: card_amounts
            primary_key: [txn_id]
            event_time: txn_ts
            suite: positive.yaml
            columns: [txn_id, txn_ts, amount]
        """.formatted(csv));

    // the first run of a date whose second batch breaks its suite: neither group is created
    Cli first = fx.features(file, "--date", "2024-06-02");
    assertEquals(ExitCode.DATA_REJECTED.code(), first.exitCode(), first.err() + first.out());
    assertTrue(first.err().contains("Pipeline 'cards' writes its 2 feature groups for 2024-06-02 all or none"), first.err());
    assertTrue(first.err().contains("card_amounts v1 (feature_groups[2] of " + file + ") was rejected: no group was written"), first.err());
    assertFalse(first.hasStackTrace(), first.err());
    assertFalse(DeltaCommits.exists(spark, fx.group("card_ids")), "the first group was not created");
    assertFalse(DeltaCommits.exists(spark, fx.group("card_amounts")), "the rejected group was not created");

    // a date that passes commits both
    Cli good = fx.features(file, "--date", "2024-06-01");
    assertEquals(0, good.exitCode(), good.err() + good.out());
    long idsVersion = DeltaCommits.currentVersion(spark, fx.group("card_ids"));
    long amountsVersion = DeltaCommits.currentVersion(spark, fx.group("card_amounts"));
    assertEquals(2, spark.read().format("delta").load(fx.group("card_ids")).count());

    // the rejected date again, the groups existing: the first group gets no commit and no rows
    Cli again = fx.features(file, "--date", "2024-06-02");
    assertEquals(ExitCode.DATA_REJECTED.code(), again.exitCode(), again.err() + again.out());
    assertTrue(again.err().contains("no group was written"), again.err());
    assertEquals(idsVersion, DeltaCommits.currentVersion(spark, fx.group("card_ids")), "the first group has no new commit");
    assertEquals(amountsVersion, DeltaCommits.currentVersion(spark, fx.group("card_amounts")));
    assertEquals(0, spark.read().format("delta").load(fx.group("card_ids")).where("txn_id IN ('t3', 't4')").count(),
        "no row of the rejected date landed in the first group");
  }
}
