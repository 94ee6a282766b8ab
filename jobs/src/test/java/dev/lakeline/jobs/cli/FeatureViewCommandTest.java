package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.jobs.reports.HtmlCharts;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lakeline fv create | show} and {@code lakeline td create | show | recreate} on the demo's groups. */
@SparkTest
class FeatureViewCommandTest {
  private static final String DATE = "2024-06-30";

  private static final String VIEW = """
      name: loans_cli
      version: 1
      description: Loans with the credit report valid at issue
      base: {group: loans, version: 1}
      features: [loan_amount, int_rate]
      labels: [is_default]
      transformations:
        loan_amount: robust_scaler
        int_rate: standard_scaler
      joins:
        - group: credit_reports
          version: 1
          keys: [applicant_id]
          features: [annual_income, revol_util]
          max_age: 365d
          defaults: {revol_util: 0.0}
      """;

  @Test
  void aViewAndItsTrainingDatasetsFromTheCommandLine(SparkSession spark, TestLakehouse lh, @TempDir Path dir)
      throws IOException {
    assertEquals(0, Cli.inLakehouse(lh, "generate", "--date", DATE, "--scale", "0.02").exitCode());
    assertEquals(0, Cli.inLakehouse(lh, "features", "--date", DATE, "--pipeline", "loans", "--pipeline", "credit_reports").exitCode());
    Path file = Files.writeString(dir.resolve("loans_cli.yaml"), VIEW);

    Cli create = Cli.inLakehouse(lh, "fv", "create", "--file", file.toString());
    assertEquals(0, create.exitCode(), create.err());
    assertTrue(create.out().startsWith("created feature view loans_cli v1: 4 features, labels [is_default]\n"), create.out());
    Cli createdBefore = Cli.inLakehouse(lh, "fv", "create", "--file", file.toString());
    assertEquals(0, createdBefore.exitCode(), createdBefore.err());
    assertTrue(createdBefore.out().startsWith(
        "feature view loans_cli v1: 4 features, labels [is_default] (exists with this definition, unchanged)"), createdBefore.out());

    Cli views = Cli.inLakehouse(lh, "fv", "list");
    assertEquals(0, views.exitCode(), views.err());
    assertTrue(views.out().matches("(?s)feature view +base +joined +features +labels\n"
        + "loans_cli v1 +loans v1 +credit_reports v1 +4 +is_default\n"), views.out());
    Cli groups = Cli.inLakehouse(lh, "fg", "list");
    assertTrue(groups.out().matches("(?s).*\ncredit_reports v1 +applicant_id +report_date +\\d+\nloans v1 +loan_id +issue_date +\\d+\n"),
        groups.out());
    Cli none = Cli.inLakehouse(lh, "td", "list", "loans_cli");
    assertEquals(0, none.exitCode(), none.err());
    assertTrue(none.out().contains("feature view loans_cli v1 has no training datasets yet"), none.out());

    Cli show = Cli.inLakehouse(lh, "fv", "show", "loans_cli");
    assertEquals(0, show.exitCode(), show.err());
    assertTrue(show.out().contains("join      credit_reports v1 on [applicant_id], point-in-time, at or before"), show.out());
    assertTrue(show.out().contains("max age 365d · on a miss {revol_util=0.0}"), show.out());
    assertTrue(show.out().contains("model-dependent transformations (fitted by training) {int_rate=standard_scaler, loan_amount=robust_scaler}"), show.out());

    // batch data for inference: a month of loans, every feature joined, no label; then the latest per loan
    String batch = dir.resolve("batch-may").toString();
    Cli read = Cli.inLakehouse(lh, "fv", "read", "loans_cli", "--start", "2024-05-01", "--end", "2024-06-01", "--output", batch);
    assertEquals(0, read.exitCode(), read.err());
    Dataset<Row> loans = spark.read().format("delta").load(lh.layout().featureGroup("loans", 1));
    long may = loans.where("issue_date >= DATE'2024-05-01' AND issue_date < DATE'2024-06-01'").count();
    Dataset<Row> rows = spark.read().parquet(batch);
    assertTrue(may > 0);
    assertEquals(may, rows.count(), read.out());
    assertEquals(may, rows.where("issue_date >= DATE'2024-05-01' AND issue_date < DATE'2024-06-01'").count(), "only the range");
    assertEquals(java.util.List.of("loan_id", "issue_date", "loan_amount", "int_rate", "annual_income", "revol_util", "applicant_id"),
        java.util.List.of(rows.columns()), "identity, features and the join's key; no label");
    assertTrue(read.out().contains(String.format("wrote %,d rows", may)), read.out());
    Cli existing = Cli.inLakehouse(lh, "fv", "read", "loans_cli", "--filter", "true", "--output", batch);
    assertEquals(ExitCode.CONFLICT.code(), existing.exitCode(), "an existing output is never overwritten");
    assertEquals(may, spark.read().parquet(batch).count());
    Cli latest = Cli.inLakehouse(lh, "fv", "read", "loans_cli", "--latest-as-of", "2024-03-01 12:00:00", "--limit", "5");
    assertEquals(0, latest.exitCode(), latest.err());
    assertTrue(latest.out().contains("the latest loans row per [loan_id] at or before 2024-03-01T12:00:00Z"), latest.out());
    assertTrue(latest.out().contains("| 2024-03-01 |") || latest.out().contains("|2024-03-01|"), "event time = as-of: " + latest.out());
    Cli halfRange = Cli.inLakehouse(lh, "fv", "read", "loans_cli", "--start", "2024-05-01");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), halfRange.exitCode());
    assertTrue(halfRange.err().contains("needs both ends"), halfRange.err());
    assertFalse(halfRange.hasStackTrace(), halfRange.err());
    Cli noRows = Cli.inLakehouse(lh, "fv", "read", "loans_cli", "--filter", "true", "--limit", "-1");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), noRows.exitCode(), noRows.out());
    assertTrue(noRows.err().contains("--limit must be 1 or more"), noRows.err());
    Cli formatAlone = Cli.inLakehouse(lh, "fv", "read", "loans_cli", "--filter", "true", "--format", "csv");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), formatAlone.exitCode(), formatAlone.out());
    assertTrue(formatAlone.err().contains("--format is the format of --output"), formatAlone.err());

    Cli td = Cli.inLakehouse(lh, "td", "create", "loans_cli", "--filter", "issue_date < DATE'2024-06-01'",
        "--split", "time", "--validation-start", "2024-03-01", "--test-start", "2024-04-15", "--gap-days", "7");
    assertEquals(0, td.exitCode(), td.err());
    assertTrue(td.out().contains("training dataset loans_cli v1 td1"), td.out());
    for (String split : new String[] {"train", "validation", "test"}) {
      assertTrue(td.out().contains("  " + split), "rows of the " + split + " split: " + td.out());
    }

    Cli typo = Cli.inLakehouse(lh, "td", "create", "loans_cli", "--filter", "issue_dat < DATE'2024-06-01'");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), typo.exitCode(), typo.err());
    assertTrue(typo.err().contains("The filter \"issue_dat < DATE'2024-06-01'\" on loans v1 is not a valid condition"), typo.err());
    assertTrue(typo.err().contains("`issue_date`"), "Spark's suggestion is kept: " + typo.err());
    assertFalse(typo.hasStackTrace(), typo.err());
    Cli garbled = Cli.inLakehouse(lh, "td", "create", "loans_cli", "--filter", "issue_date <<");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), garbled.exitCode(), garbled.err());
    assertTrue(garbled.err().contains("is not a valid condition"), garbled.err());
    assertFalse(garbled.hasStackTrace(), garbled.err());
    Cli noSpine = Cli.inLakehouse(lh, "td", "create", "loans_cli", "--filter", "issue_date < DATE'2000-01-01'");
    assertEquals(ExitCode.DATA_REJECTED.code(), noSpine.exitCode(), noSpine.err());
    assertTrue(noSpine.err().contains("no rows of loans v1 (Delta version ")
        && noSpine.err().contains("match the filter \"issue_date < DATE'2000-01-01'\"") && noSpine.err().contains("Nothing was written"),
        noSpine.err());
    assertFalse(noSpine.hasStackTrace(), noSpine.err());

    Cli again = Cli.inLakehouse(lh, "td", "create", "loans_cli", "--filter", "issue_date < DATE'2024-06-01'",
        "--split", "time", "--validation-start", "2024-03-01", "--test-start", "2024-04-15", "--gap-days", "7");
    assertTrue(again.out().contains("training dataset loans_cli v1 td1 → ") && again.out().contains("(unchanged: made before"),
        "the same options on the same data give the same dataset: " + again.out());
    assertFalse(td.out().contains("unchanged"), td.out());

    Cli list = Cli.inLakehouse(lh, "td", "list", "loans_cli");
    assertEquals(0, list.exitCode(), list.err());
    assertTrue(list.out().matches("(?s)td +split +rows +sources @ Delta version\n"
        + "td1 +time, seed 42 +train [0-9,]+ · validation [0-9,]+ · test [0-9,]+ +credit_reports v1 @ \\d+, loans v1 @ \\d+\n"),
        list.out());

    Cli manifest = Cli.inLakehouse(lh, "td", "show", "loans_cli", "1");
    assertEquals(0, manifest.exitCode(), manifest.err());
    assertTrue(manifest.out().contains("joined    credit_reports v1 @ Delta v"), "the sources and their Delta versions: " + manifest.out());
    assertTrue(manifest.out().contains("split     by time: train before 2024-03-01, validation from 2024-03-01, test from "
        + "2024-04-15; the 7 days before each boundary dropped\n"), "a time split has no seed: " + manifest.out());
    int train = manifest.out().indexOf("\n  train ");
    int validation = manifest.out().indexOf("\n  validation ");
    int test = manifest.out().indexOf("\n  test ");
    assertTrue(0 < train && train < validation && validation < test, "splits in train, validation, test order: " + manifest.out());
    assertTrue(manifest.out().matches("(?s).*\n  int_rate +[0-9.,]+ \\(0\\) +[0-9.,]+ \\(0\\) +[0-9.,]+ \\(0\\)\n.*"),
        "a numeric feature's mean and nulls per split: " + manifest.out());
    Path reportFile = dir.resolve("reports/td1.html");
    Cli report = Cli.inLakehouse(lh, "td", "show", "loans_cli", "1", "--report", reportFile.toString());
    assertEquals(0, report.exitCode(), report.err());
    assertTrue(report.out().contains("report    " + reportFile.toAbsolutePath()), report.out());
    String html = Files.readString(reportFile);
    assertTrue(html.contains("<h1>Training dataset loans_cli v1 td1</h1>"), html.substring(0, Math.min(500, html.length())));
    java.util.List<String> charts = HtmlCharts.of(html);
    // rows over time, the label's mean, and one histogram per numeric feature (loan_amount, int_rate, annual_income, revol_util)
    assertEquals(6, charts.size(), "charts in the report: " + charts);
    for (String feature : new String[] {"loan_amount", "int_rate", "annual_income", "revol_util"}) {
      assertTrue(charts.contains(feature + " per split"), feature);
    }

    Cli json = Cli.inLakehouse(lh, "td", "show", "loans_cli", "1", "--json");
    assertEquals(0, json.exitCode(), json.err());
    com.fasterxml.jackson.databind.JsonNode m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertEquals("TIME", m.at("/identity/split/kind").asText(), json.out());
    assertEquals(m.at("/rowsPerSplit/test").asLong(), m.at("/statistics/test/rows").asLong(), json.out());

    // a tiny share of a few rows gives a split no rows: said, and recorded as 0 rows, never silently left out
    Cli tiny = Cli.inLakehouse(lh, "td", "create", "loans_cli", "--filter", "issue_date < DATE'2024-06-01'",
        "--test-fraction", "0.00001", "--validation-fraction", "0.00001");
    assertEquals(0, tiny.exitCode(), tiny.err());
    assertTrue(tiny.out().matches("(?s).*\n  validation +0 +\n  test +0 +\n.*"), tiny.out());
    assertTrue(tiny.err().contains("warning: training dataset loans_cli v1 td2: the validation split is empty: a validation "
        + "fraction of 0.00001 (0.001 % of the rows) gave it none of the "), tiny.err());
    assertTrue(tiny.err().contains("warning: training dataset loans_cli v1 td2: the test split is empty: a test fraction of "
        + "0.00001 (0.001 % of the rows) gave it none of the "), tiny.err());
    com.fasterxml.jackson.databind.JsonNode tinyManifest = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(Cli.inLakehouse(lh, "td", "show", "loans_cli", "2", "--json").out());
    for (String split : new String[] {"validation", "test"}) {
      assertEquals(0, tinyManifest.at("/rowsPerSplit/" + split).asLong(-1), split + ": " + tinyManifest);
      assertEquals(0, tinyManifest.at("/statistics/" + split + "/rows").asLong(-1), split + ": " + tinyManifest);
      assertEquals(0, tinyManifest.at("/statistics/" + split + "/features/int_rate/count").asLong(-1), split + ": " + tinyManifest);
    }
    assertTrue(tinyManifest.at("/rowsPerSplit/train").asLong() > 0, tinyManifest.toString());
    Cli tinyShown = Cli.inLakehouse(lh, "td", "show", "loans_cli", "2");
    assertTrue(tinyShown.out().contains("split     random by row: ") && tinyShown.out().contains(" · seed 42\n"), tinyShown.out());

    Cli recreate = Cli.inLakehouse(lh, "td", "recreate", "loans_cli", "1");
    assertEquals(0, recreate.exitCode(), recreate.err());
    assertTrue(recreate.out().contains("identical to the stored ones"), recreate.out());
    long td1Rows = m.at("/rowsPerSplit/train").asLong() + m.at("/rowsPerSplit/validation").asLong() + m.at("/rowsPerSplit/test").asLong();
    assertTrue(recreate.out().contains(String.format("%,d rows, identical", td1Rows)), td1Rows + ": " + recreate.out());

    // a stored dataset changed behind Lakeline's back: one row deleted (the rebuild has 1 extra), one stored twice
    // (1 stored row missing from the rebuild), counted as EXCEPT ALL would
    String td2 = lh.layout().trainingDataset("loans_cli", 1, 2) + "/data";
    String loanId = spark.read().format("delta").load(td2).orderBy("loan_id").select("loan_id").first().getString(0);
    spark.sql("DELETE FROM delta.`" + td2 + "` WHERE loan_id = '" + loanId + "'");
    spark.read().format("delta").load(td2).orderBy("loan_id").limit(1).write().format("delta").mode("append").save(td2);
    Cli changed = Cli.inLakehouse(lh, "td", "recreate", "loans_cli", "2");
    assertEquals(ExitCode.CONFLICT.code(), changed.exitCode(), changed.err());
    assertTrue(changed.err().contains("Recreating loans_cli v1 td2 gave different rows: 1 stored rows missing, 1 extra."),
        changed.err());
    assertFalse(changed.hasStackTrace(), changed.err());

    // once a data file of a source's recorded version is gone (as after a plain VACUUM), recreating is a conflict
    long creditVersion = m.at("/identity/sourceVersions/credit_reports v1").asLong();
    String[] creditFiles = spark.read().format("delta").option("versionAsOf", creditVersion)
        .load(lh.layout().featureGroup("credit_reports", 1)).inputFiles();
    Files.delete(Path.of(java.net.URI.create(creditFiles[0])));
    Cli vacuumed = Cli.inLakehouse(lh, "td", "recreate", "loans_cli", "1");
    assertEquals(ExitCode.CONFLICT.code(), vacuumed.exitCode(), vacuumed.err());
    assertTrue(vacuumed.err().contains(
        "Training dataset loans_cli v1 td1 can no longer be recreated: it reads credit_reports v1 at Delta version " + creditVersion),
        vacuumed.err());
    assertFalse(vacuumed.hasStackTrace(), vacuumed.err());
  }

  @Test
  void badDefinitionsAndMissingDatasetsAreClearErrors(SparkSession spark, TestLakehouse lh, @TempDir Path dir)
      throws IOException {
    Path unknownField = Files.writeString(dir.resolve("a.yaml"), VIEW + "colour: blue\n");
    Cli a = Cli.inLakehouse(lh, "fv", "create", "--file", unknownField.toString());
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), a.exitCode());
    assertTrue(a.err().contains("colour"), a.err());
    assertFalse(a.hasStackTrace(), a.err());

    Path staticStrict = Files.writeString(dir.resolve("b.yaml"), VIEW + "    static: true\n    strict: true\n");
    Cli b = Cli.inLakehouse(lh, "fv", "create", "--file", staticStrict.toString());
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), b.exitCode());
    assertTrue(b.err().contains("cannot be strict"), b.err());

    Cli missingFile = Cli.inLakehouse(lh, "fv", "create", "--file", dir.resolve("none.yaml").toString());
    assertEquals(ExitCode.NOT_FOUND.code(), missingFile.exitCode());

    Cli missingView = Cli.inLakehouse(lh, "td", "show", "no_such_view", "1");
    assertEquals(ExitCode.NOT_FOUND.code(), missingView.exitCode());
    assertFalse(missingView.hasStackTrace(), missingView.err());

    for (String command : new String[] {"show", "recreate"}) {
      Cli zero = Cli.inLakehouse(lh, "td", command, "loans_cli", "0");
      assertEquals(ExitCode.USAGE_OR_CONFIG.code(), zero.exitCode(), zero.err());
      assertTrue(zero.err().contains("Training dataset numbers start at 1 (td1, td2, …; 'lakeline td list loans_cli' shows them); got 0."),
          "a dataset number, not a version: " + zero.err());
    }

    // td show's options that would be ignored (or fail after the manifest was printed) are refused first
    String[][] unused = {
        {"--json", "--report", dir.resolve("td1.html").toString()},
        {"--bins", "5"},
        {"--report", dir.resolve("td1.html").toString(), "--bins", "0"},
    };
    String[] refusals = {
        "--json prints the manifest alone and writes no report: leave out --json or --report.",
        "--bins is the number of bins of --report's histograms; give --report FILE too, or leave --bins out.",
        "--bins must be 1 or more (bins per histogram of --report); got 0.",
    };
    for (int i = 0; i < unused.length; i++) {
      String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("td", "show", "no_such_view", "1"),
          java.util.Arrays.stream(unused[i])).toArray(String[]::new);
      Cli refused = Cli.inLakehouse(lh, args);
      assertEquals(ExitCode.USAGE_OR_CONFIG.code(), refused.exitCode(), String.join(" ", args) + ": " + refused.err());
      assertTrue(refused.err().contains(refusals[i]), refused.err());
      assertEquals("", refused.out(), "nothing printed before the refusal");
      assertFalse(Files.exists(dir.resolve("td1.html")));
    }

    // --limit with --output would write every row, not the first N: refused, nothing written
    Path limited = dir.resolve("first-5");
    Cli limit = Cli.inLakehouse(lh, "fv", "read", "no_such_view", "--filter", "true", "--limit", "5", "--output", limited.toString());
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), limit.exitCode(), limit.err());
    assertTrue(limit.err().contains("--limit is the number of rows to print; --output writes every row."), limit.err());
    assertFalse(Files.exists(limited));

    // an --output that cannot be a folder is a usage error in one line, before anything is read (was a stack trace)
    Path aFile = Files.writeString(dir.resolve("notes.txt"), "not a folder");
    Cli underAFile = Cli.inLakehouse(lh, "fv", "read", "no_such_view", "--filter", "true", "--output", aFile.resolve("batch").toString());
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), underAFile.exitCode(), underAFile.err());
    assertTrue(underAFile.err().contains("Cannot write --output " + aFile.resolve("batch") + ": " + aFile + " is a file, not a folder."),
        underAFile.err());
    assertFalse(underAFile.hasStackTrace(), underAFile.err());
    Cli empty = Cli.inLakehouse(lh, "fv", "read", "no_such_view", "--filter", "true", "--output", "");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), empty.exitCode(), empty.err());
    assertTrue(empty.err().contains("--output is empty: give the path of a new folder or table."), empty.err());
    assertFalse(empty.hasStackTrace(), empty.err());

    Cli badSplit = Cli.inLakehouse(lh, "td", "create", "no_such_view", "--split", "sideways");
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), badSplit.exitCode());
    assertTrue(badSplit.err().contains("sideways"), badSplit.err());

    // an option of another kind of split is an error naming the option and the split, never silently ignored
    String[][] misfits = {
        {"--entity", "applicant_id", "--test-fraction", "0.2"},
        {"--split", "random", "--gap-days", "7"},
        {"--split", "entity", "--entity", "applicant_id", "--validation-start", "2024-03-01"},
        {"--split", "time", "--test-start", "2024-04-15", "--test-fraction", "0.2"},
        {"--split", "time", "--test-start", "2024-04-15", "--entity", "applicant_id"},
        {"--split", "time", "--test-start", "2024-04-15", "--seed", "7"},
    };
    String[] says = {
        "--entity is an option of --split entity, not of --split random (the default): leave it out, or choose --split entity.",
        "--gap-days is an option of --split time, not of --split random: leave it out, or choose --split time.",
        "--validation-start is an option of --split time, not of --split entity",
        "--test-fraction is an option of --split random or entity, not of --split time",
        "--entity is an option of --split entity, not of --split time",
        "--seed is an option of --split random or entity, not of --split time (a time split is not random)",
    };
    for (int i = 0; i < misfits.length; i++) {
      String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("td", "create", "no_such_view"),
          java.util.Arrays.stream(misfits[i])).toArray(String[]::new);
      Cli misfit = Cli.inLakehouse(lh, args);
      assertEquals(ExitCode.USAGE_OR_CONFIG.code(), misfit.exitCode(), String.join(" ", args) + ": " + misfit.err());
      assertTrue(misfit.err().contains(says[i]), misfit.err());
      assertFalse(misfit.hasStackTrace(), misfit.err());
    }
  }
}
