package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.SuiteFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lakeline validation history|show} and {@code lakeline suggest}. */
@SparkTest
class ValidationCommandTest {
  private static Cli run(TestLakehouse lh, String... args) {
    return Cli.inLakehouse(lh, args);
  }

  @Test
  void historyShowsEveryBatchsDecision(TestLakehouse lh, @TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("suite.yaml"), """
        expectation_suite_name: tx
        expectations:
          - expectation_type: expect_column_values_to_be_between
            kwargs: {column: amount, min_value: 0}
        """);
    Files.writeString(dir.resolve("tx.yaml"), """
        name: tx
        primary_key: [txn_id]
        suite: suite.yaml
        schema: {txn_id: string, amount: double}
        """);
    Files.writeString(dir.resolve("good.csv"), "txn_id,amount\nt1,5.5\n");
    Files.writeString(dir.resolve("bad.csv"), "txn_id,amount\nt2,-3\n");
    assertEquals(0, run(lh, "fg", "create", "--file", dir.resolve("tx.yaml").toString()).exitCode());
    assertEquals(0, run(lh, "fg", "insert", "tx", "--input", dir.resolve("good.csv").toString(), "--format", "csv", "--batch-id", "good-1").exitCode());
    assertEquals(ExitCode.DATA_REJECTED.code(),
        run(lh, "fg", "insert", "tx", "--input", dir.resolve("bad.csv").toString(), "--format", "csv", "--batch-id", "bad-1").exitCode());

    Cli history = run(lh, "validation", "history", "tx");
    assertEquals(0, history.exitCode(), history.err());
    String[] lines = history.out().split("\n");
    assertTrue(lines[1].contains("REJECTED") && lines[1].contains("bad-1") && lines[1].contains(" - "), history.out());
    assertTrue(lines[2].contains("INGESTED") && lines[2].contains("good-1") && lines[2].contains("v1"), history.out());
    assertTrue(history.out().contains("amount"), "the latest failures are summarised:\n" + history.out());

    String reportId = lines[1].trim().substring(lines[1].trim().lastIndexOf(' ') + 1);
    Cli json = run(lh, "validation", "show", reportId, "--json");
    assertEquals(0, json.exitCode(), json.err());
    assertTrue(json.out().contains("\"success\"") && json.out().contains("\"unexpected_count\""), json.out());
    Cli unknown = run(lh, "validation", "show", "no-such-report");
    assertEquals(4, unknown.exitCode(), unknown.err());
    assertTrue(unknown.err().contains("no validation report 'no-such-report'")
        && unknown.err().contains("lakeline validation history <group>"), "the command line's way to list them: " + unknown.err());

    Path page = dir.resolve("pages/tx.html");
    Cli report = run(lh, "validation", "history", "tx", "--report", page.toString());
    assertEquals(0, report.exitCode(), report.err());
    assertTrue(report.out().contains("report: " + page.toAbsolutePath()), report.out());
    String html = Files.readString(page);
    // oldest batch first: the amount check passed on good-1 and failed on bad-1
    assertTrue(html.matches("(?s).*<tr><th>expect_column_values_to_be_between\\(amount\\)</th><td class=\"pass\"[^>]*>✓</td>"
        + "<td class=\"fail\"[^>]*>✗</td></tr>.*"), html);
    assertTrue(html.contains("<summary>#2 batch 2 — REJECTED, 1 failed</summary>"), "bad-1's failure, listed");

    Files.writeString(dir.resolve("empty.yaml"), """
        name: nothing_here
        primary_key: [txn_id]
        suite: suite.yaml
        schema: {txn_id: string, amount: double}
        """);
    assertEquals(0, run(lh, "fg", "create", "--file", dir.resolve("empty.yaml").toString()).exitCode());
    Cli none = run(lh, "validation", "history", "nothing_here", "--report", dir.resolve("none.html").toString());
    assertEquals(0, none.exitCode(), "a group without reports is no error: " + none.err());
    assertTrue(none.out().contains("No validation reports") && none.out().contains("no report written"), none.out());
    assertFalse(Files.exists(dir.resolve("none.html")));
    Cli misspelt = run(lh, "validation", "history", "nothing_her");
    assertEquals(ExitCode.NOT_FOUND.code(), misspelt.exitCode(), misspelt.out() + misspelt.err());
    assertTrue(misspelt.err().contains("Did you mean 'nothing_here'?"), misspelt.err());
  }

  /** A QUARANTINED batch whose expectations all passed (thanks to mostly) still says what held its rows back. */
  @Test
  void historyOfAQuarantinedBatchSaysWhatHeldRowsBack(TestLakehouse lh, @TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("suite.yaml"), """
        expectation_suite_name: tq
        policy: quarantine
        expectations:
          - expectation_type: expect_column_values_to_be_between
            kwargs: {column: amount, min_value: 0, mostly: 0.5}
        """);
    Files.writeString(dir.resolve("tq.yaml"), """
        name: tq
        primary_key: [txn_id]
        suite: suite.yaml
        schema: {txn_id: string, amount: double}
        """);
    Files.writeString(dir.resolve("b.csv"), "txn_id,amount\nt1,5.5\nt2,6\nt3,-3\n");
    assertEquals(0, run(lh, "fg", "create", "--file", dir.resolve("tq.yaml").toString()).exitCode());
    Cli insert = run(lh, "fg", "insert", "tq", "--input", dir.resolve("b.csv").toString(), "--format", "csv", "--batch-id", "b-1");
    assertEquals(0, insert.exitCode(), insert.err());
    assertTrue(insert.out().contains("\n1 row held back in quarantine: "), insert.out());

    Cli history = run(lh, "validation", "history", "tq");
    assertEquals(0, history.exitCode(), history.err());
    assertTrue(history.out().contains("QUARANTINED") && history.out().contains("3/3"), history.out());
    assertTrue(history.out().contains("held back in quarantine: the rows that broke expect_column_values_to_be_between(amount) "
        + "(1 row, within its mostly)"), history.out());
  }

  @Test
  void historyOfAGroupThatDoesNotExistIsNotFound(TestLakehouse lh) {
    Cli missing = run(lh, "validation", "history", "nosuch");
    assertEquals(ExitCode.NOT_FOUND.code(), missing.exitCode(), missing.out() + missing.err());
    assertTrue(missing.err().contains("'nosuch'") && missing.err().contains("lakeline fg list"), missing.err());
    assertFalse(missing.hasStackTrace(), missing.err());
    assertEquals("", missing.out());
  }

  @Test
  void historyRefusesALimitBelowOne(TestLakehouse lh) {
    for (String limit : new String[] {"0", "-1"}) {
      Cli r = run(lh, "validation", "history", "nosuch", "--limit", limit);
      assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode(), r.out() + r.err());
      assertTrue(r.err().contains("--limit must be 1 or more") && r.err().contains(limit), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void suggestWritesAnEditableSuite(SparkSession spark, TestLakehouse lh, @TempDir Path dir) {
    String data = dir.resolve("sample").toString();
    spark.sql("SELECT CAST(id AS STRING) AS id, id % 3 AS bucket, CAST(id AS DOUBLE) * 1.5 AS amount FROM range(200)")
        .write().parquet(data);
    Path out = dir.resolve("suggested.yaml");
    Cli r = run(lh, "suggest", "--input", data, "--name", "sample", "--output", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    ExpectationSuite suite = SuiteFiles.load(out.toString());
    assertEquals("sample", suite.name());
    assertTrue(suite.expectations().stream().anyMatch(e -> e.type().equals("expect_column_values_to_not_be_null")), suite.toString());
    Cli missing = run(lh, "suggest", "--input", dir.resolve("nope").toString());
    assertEquals(ExitCode.NOT_FOUND.code(), missing.exitCode());
  }

  @Test
  void suggestKeepsAnExistingSuiteFileUnlessForced(SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws IOException {
    String data = dir.resolve("sample").toString();
    spark.sql("SELECT CAST(id AS STRING) AS id FROM range(20)").write().parquet(data);
    Path out = dir.resolve("edited.yaml");
    String edited = "# reviewed and edited by hand\nexpectation_suite_name: mine\nexpectations: []\n";
    Files.writeString(out, edited);

    Cli refused = run(lh, "suggest", "--input", data, "--output", out.toString());
    assertEquals(ExitCode.CONFLICT.code(), refused.exitCode(), refused.err());
    assertTrue(refused.err().contains(out.toString()) && refused.err().contains("--force"), refused.err());
    assertFalse(refused.hasStackTrace(), refused.err());
    assertEquals(edited, Files.readString(out), "the edited file is kept");

    Cli forced = run(lh, "suggest", "--input", data, "--name", "sample", "--output", out.toString(), "--force");
    assertEquals(0, forced.exitCode(), forced.err());
    assertEquals("sample", SuiteFiles.load(out.toString()).name());

    Cli forceAlone = run(lh, "suggest", "--input", data, "--force");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), forceAlone.exitCode(), forceAlone.err());
    assertTrue(forceAlone.err().contains("no --output was given"), forceAlone.err());
    assertEquals("", forceAlone.out(), "no suite printed");
  }

  @Test
  void suggestOnAnInputOfAnotherFormatSaysWhichFormatToPass(SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws IOException {
    Path csv = dir.resolve("sample.csv");
    Files.writeString(csv, "id,amount\nk1,1.5\n");
    String parquet = dir.resolve("parquet").toString();
    spark.sql("SELECT 'k1' AS id, 1.5 AS amount").write().parquet(parquet);
    Path out = dir.resolve("suggested.yaml");

    Cli noFormat = run(lh, "suggest", "--input", csv.toString(), "--output", out.toString());
    assertEquals(ExitCode.DATA_REJECTED.code(), noFormat.exitCode(), noFormat.err());
    assertTrue(noFormat.err().contains("The input " + csv + " cannot be read as Parquet") && noFormat.err().contains("is not a Parquet file")
        && noFormat.err().contains("Pass --format csv|json"), noFormat.err());
    Cli notDelta = run(lh, "suggest", "--input", parquet, "--format", "delta", "--output", out.toString());
    assertEquals(ExitCode.NOT_FOUND.code(), notDelta.exitCode(), notDelta.err());
    assertTrue(notDelta.err().contains("The input " + parquet + " is not a Delta table") && notDelta.err().contains("--format parquet"),
        notDelta.err());
    // a truncated JSON line fails the sample's read: read leniently, it became a row of nulls that only lowered
    // the suggested completeness, so the suite described data the file does not hold
    Path json = dir.resolve("sample.json");
    Files.writeString(json, "{\"id\": \"k1\", \"amount\": 1.5}\n{\"id\": \"k2\", \"amo\n{\"id\": \"k3\", \"amount\": 2.5}\n");
    Cli truncated = run(lh, "suggest", "--input", json.toString(), "--format", "json", "--output", out.toString());
    assertEquals(ExitCode.DATA_REJECTED.code(), truncated.exitCode(), truncated.err());
    assertTrue(truncated.err().contains("The input " + json + " cannot be read as JSON"), truncated.err());
    for (Cli r : new Cli[] {noFormat, notDelta, truncated}) {
      assertFalse(r.hasStackTrace(), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
    assertFalse(Files.exists(out), "no suite was written");
  }
}
