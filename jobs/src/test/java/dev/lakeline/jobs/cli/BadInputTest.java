package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.delta.DeltaCommits;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Bad input through the jobs: one clear message, a distinct exit code, nothing half-written. */
@SparkTest
class BadInputTest {
  private static String[] args(TestLakehouse lh, String... more) {
    String[] base = {"--lakehouse", lh.uri(), "--config", CommonOptions.BUNDLED_CONFIG};
    String[] all = new String[more.length + base.length];
    System.arraycopy(more, 0, all, 0, more.length);
    System.arraycopy(base, 0, all, more.length, base.length);
    return all;
  }

  @Test
  void aBatchThatBreaksItsSuiteIsRejectedAndNothingIsCommitted(SparkSession spark, TestLakehouse lh) {
    assertEquals(0, Cli.run(args(lh, "generate", "--date", "2024-06-30", "--scale", "0.02")).exitCode());
    String raw = lh.layout().raw("loans");
    spark.read().parquet(raw)
        .selectExpr("loan_id", "applicant_id", "issue_date",
            "CASE WHEN loan_id = 'L00000007' THEN -5.0 ELSE loan_amount END AS loan_amount",
            "int_rate", "term", "purpose", "zip_code", "status")
        .localCheckpoint()
        .write().mode("overwrite").parquet(raw + "_bad");
    spark.read().parquet(raw + "_bad").write().mode("overwrite").parquet(raw);

    Cli r = Cli.run(args(lh, "features", "--date", "2024-06-30"));
    assertEquals(ExitCode.DATA_REJECTED.code(), r.exitCode(), r.err() + r.out());
    assertTrue(r.err().contains("loan_amount") && r.err().contains("Nothing was written"), r.err());
    assertFalse(r.hasStackTrace(), r.err());
    String loans = lh.layout().featureGroup("loans", 1);
    assertEquals(0, DeltaCommits.currentVersion(spark, loans), "only the group's definition (v0) exists");
    assertEquals(0, spark.read().format("delta").load(loans).count());
    assertFalse(DeltaCommits.exists(spark, lh.layout().featureGroup("credit_reports", 1)), "the job stopped at the first rejection");
  }

  @Test
  void jobsOnAnEmptyLakehouseSayWhatToRunFirst(TestLakehouse lh) {
    Cli features = Cli.run(args(lh, "features", "--date", "2024-06-30"));
    assertEquals(ExitCode.NOT_FOUND.code(), features.exitCode(), features.err());
    assertTrue(features.err().contains("lakeline generate") || features.err().contains("lakeline demo"), features.err());
    Cli train = Cli.run(args(lh, "train", "--date", "2024-06-30"));
    assertEquals(ExitCode.NOT_FOUND.code(), train.exitCode(), train.err());
    assertTrue(train.err().contains("lakeline features"), train.err());
    Cli infer = Cli.run(args(lh, "infer", "--date", "2024-06-30"));
    assertEquals(ExitCode.NOT_FOUND.code(), infer.exitCode(), infer.err());
    assertFalse(infer.hasStackTrace(), infer.err());
  }

  @Test
  void maintainOnALakehouseWithoutTablesSaysThereIsNothingToMaintain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    // an empty folder is a lakehouse nothing has been written to yet: no error, but a line saying so, not a bare header
    Cli maintain = Cli.run("maintain", "--lakehouse", dir.toString(), "--config", CommonOptions.BUNDLED_CONFIG);
    assertEquals(0, maintain.exitCode(), maintain.err());
    assertTrue(maintain.out().contains("\nNo Delta tables in this lakehouse yet: nothing to maintain"), maintain.out());
    assertFalse(maintain.out().contains("table   kind"), maintain.out());
  }

  @Test
  void maintainTakesATableAsAShellCompletesItsFolder(TestLakehouse lh, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    java.nio.file.Files.writeString(dir.resolve("g.yaml"), "name: g\nprimary_key: [id]\nevent_time: ts\nschema: {id: string, ts: timestamp}\n");
    assertEquals(0, Cli.run(args(lh, "fg", "create", "--file", dir.resolve("g.yaml").toString())).exitCode());
    for (String table : new String[] {"feature_groups/g/", "./feature_groups/g/v1"}) {
      Cli r = Cli.run(args(lh, "maintain", "--check", "--table", table));
      assertEquals(0, r.exitCode(), table + ": " + r.err());
      assertTrue(r.out().contains("feature_groups/g/v1"), r.out());
    }
    Cli none = Cli.run(args(lh, "maintain", "--check", "--table", "feature_groups/h/"));
    assertEquals(ExitCode.NOT_FOUND.code(), none.exitCode(), none.err());
  }

  @Test
  void anInvalidModelReferenceIsAUsageError(TestLakehouse lh) {
    Cli r = Cli.run(args(lh, "infer", "--date", "2024-06-30", "--model-version", "newest"));
    assertTrue(r.exitCode() == ExitCode.USAGE_OR_CONFIG.code() || r.exitCode() == ExitCode.NOT_FOUND.code(), r.err());
    assertFalse(r.hasStackTrace(), r.err());
  }
}
