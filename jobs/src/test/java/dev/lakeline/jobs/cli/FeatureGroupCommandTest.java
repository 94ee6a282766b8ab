package dev.lakeline.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.ExitCode;
import dev.lakeline.testkit.SparkTest;
import dev.lakeline.testkit.TestLakehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lakeline fg create | add-features | insert | show | history | read} against a temporary lakehouse. */
@SparkTest
class FeatureGroupCommandTest {
  private static Cli fg(TestLakehouse lh, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "fg";
    System.arraycopy(args, 0, all, 1, args.length);
    return Cli.inLakehouse(lh, all);
  }

  @Test
  void insertsArgumentsAreCheckedBeforeTheLakehouseIsOpened(@TempDir Path dir) {
    String nowhere = dir.resolve("no-lakehouse-here").toString();
    Cli noId = Cli.run("fg", "insert", "tx", "--input", "x.parquet", "--lakehouse", nowhere);
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), noId.exitCode(), noId.err());
    assertTrue(noId.err().contains("Give --batch-id or --date"), noId.err());
    Cli mode = Cli.run("fg", "insert", "tx", "--input", "x.parquet", "--date", "2024-01-01", "--mode", "sideways",
        "--lakehouse", nowhere);
    assertEquals(ExitCode.USAGE_OR_CONFIG.code(), mode.exitCode(), mode.err());
    assertTrue(mode.err().contains("Unknown --mode 'sideways': use append, upsert or overwrite."), mode.err());
    assertFalse(mode.hasStackTrace(), mode.err());
    assertFalse(java.nio.file.Files.exists(Path.of(nowhere)), "nothing made");
  }

  @Test
  void aParquetBatchOfNaiveTimesAsPandasWritesThemIsInsertedWithItsTimesInUtc(
      org.apache.spark.sql.SparkSession spark, TestLakehouse lh, @TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tx.yaml"), """
        name: tx
        primary_key: [txn_id]
        event_time: txn_ts
        schema:
          txn_id: string
          txn_ts: timestamp
          amount: double
        """);
    assertEquals(0, fg(lh, "create", "--file", dir.resolve("tx.yaml").toString()).exitCode());
    String batch = dir.resolve("naive").toString();
    spark.sql("SELECT 't1' AS txn_id, TIMESTAMP_NTZ'2024-01-01 23:30:00' AS txn_ts, 5.5D AS amount").write().parquet(batch);

    Cli insert = fg(lh, "insert", "tx", "--input", batch, "--date", "2024-01-01");

    assertEquals(0, insert.exitCode(), insert.err());
    assertEquals(1, spark.read().format("delta").load(lh.layout().featureGroup("tx", 1))
        .where("txn_ts = TIMESTAMP'2024-01-01 23:30:00Z'").count());
  }

  @Test
  void aFeatureGroupsLifeOnTheCommandLine(TestLakehouse lh, @TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("suite.yaml"), """
        expectation_suite_name: tx
        expectations:
          - expectation_type: expect_column_values_to_be_between
            kwargs: {column: amount, min_value: 0}
        """);
    Files.writeString(dir.resolve("tx.yaml"), """
        name: tx
        primary_key: [txn_id]
        event_time: txn_ts
        description: Card transactions
        suite: suite.yaml
        schema:
          txn_id: string
          txn_ts: timestamp
          amount: double
        """);
    Files.writeString(dir.resolve("good.csv"), "txn_id,txn_ts,amount\nt1,2024-01-01 10:00:00,5.5\nt2,2024-01-01 11:00:00,7.25\n");
    Files.writeString(dir.resolve("bad.csv"), "txn_id,txn_ts,amount\nt3,2024-01-02 10:00:00,-1\n");
    Files.writeString(dir.resolve("fix.csv"), "txn_id,txn_ts,amount\nt2,2024-01-01 11:00:00,8.0\n");

    Cli create = fg(lh, "create", "--file", dir.resolve("tx.yaml").toString());
    assertEquals(0, create.exitCode(), create.err());
    assertTrue(create.out().startsWith("created feature group tx v1 at "), create.out());
    Cli again = fg(lh, "create", "--file", dir.resolve("tx.yaml").toString());
    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.out().startsWith("feature group tx v1 exists at ") && again.out().contains("unchanged (Delta v0)"), again.out());

    String good = dir.resolve("good.csv").toString();
    Cli insert = fg(lh, "insert", "tx", "--input", good, "--format", "csv", "--date", "2024-01-01");
    assertEquals(0, insert.exitCode(), insert.err());
    assertTrue(insert.out().contains("committed: 2 rows, Delta v1"), insert.out());
    Cli replay = fg(lh, "insert", "tx", "--input", good, "--format", "csv", "--date", "2024-01-01");
    assertTrue(replay.out().contains("unchanged, batch already committed"), replay.out());
    Cli other = fg(lh, "insert", "tx", "--input", dir.resolve("fix.csv").toString(), "--format", "csv", "--date", "2024-01-01");
    assertEquals(ExitCode.CONFLICT.code(), other.exitCode(), "the same batch id with other content: " + other.err());
    assertTrue(other.err().contains("--mode overwrite|upsert") && other.err().contains("--batch-id"), other.err());
    assertFalse(other.hasStackTrace(), other.err());

    Cli bad = fg(lh, "insert", "tx", "--input", dir.resolve("bad.csv").toString(), "--format", "csv", "--date", "2024-01-02");
    assertEquals(ExitCode.DATA_REJECTED.code(), bad.exitCode(), bad.err());
    assertTrue(bad.err().contains("amount") && bad.err().contains("Nothing was written"), bad.err());
    assertFalse(bad.hasStackTrace(), bad.err());

    Cli upsert = fg(lh, "insert", "tx", "--input", dir.resolve("fix.csv").toString(), "--format", "csv", "--mode", "upsert", "--batch-id", "fix-1");
    assertEquals(0, upsert.exitCode(), upsert.err());

    Cli history = fg(lh, "history", "tx");
    assertEquals(0, history.exitCode(), history.err());
    assertTrue(history.out().matches("(?s).*2\\s+\\S+ \\S+\\s+MERGE\\s+0\\s+1\\s+0\\s+fix-1.*"), history.out());
    assertTrue(history.out().matches("(?s).*1\\s+\\S+ \\S+\\s+WRITE\\s+2\\s+0\\s+0\\s+insert:tx:2024-01-01.*"), history.out());
    // "committed (UTC)" is UTC in a JVM whose zone is not (a Databricks or EMR driver): the time fg read --as-of takes
    java.util.TimeZone jvmZone = java.util.TimeZone.getDefault();
    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
    try {
      assertEquals(history.out(), fg(lh, "history", "tx").out(), "the same times under America/New_York");
    } finally {
      java.util.TimeZone.setDefault(jvmZone);
    }
    // the time printed for a version, given to --as-of, reads that version (to the second it read the one before)
    java.util.regex.Matcher v1 = java.util.regex.Pattern.compile("(?m)^\\s+1\\s+(\\S+ \\S+)\\s+WRITE").matcher(history.out());
    assertTrue(v1.find(), history.out());
    Cli asOfV1 = fg(lh, "read", "tx", "--as-of", v1.group(1));
    assertEquals(0, asOfV1.exitCode(), asOfV1.err());
    assertTrue(asOfV1.out().contains("7.25") && !asOfV1.out().contains("8.0"), v1.group(1) + ":\n" + asOfV1.out());

    Cli show = fg(lh, "show", "tx");
    assertTrue(show.out().contains("primary key    [txn_id]") && show.out().contains("rows           2"), show.out());
    assertTrue(show.out().contains("ties           a view takes the later commit's row"), show.out());
    Cli read = fg(lh, "read", "tx", "--as-of-version", "1");
    assertTrue(read.out().contains("7.25") && !read.out().contains("8.0"), read.out());
    Cli latest = fg(lh, "read", "tx");
    assertTrue(latest.out().contains("8.0"), latest.out());
  }

  @Test
  void addFeaturesGivesOldRowsTheDefaultAndARerunChangesNothing(TestLakehouse lh, @TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tx.yaml"), """
        name: tx
        primary_key: [txn_id]
        event_time: txn_ts
        schema:
          txn_id: string
          txn_ts: timestamp
          amount: double
        """);
    Files.writeString(dir.resolve("old.csv"), "txn_id,txn_ts,amount\nt1,2024-01-01 10:00:00,5.5\n");
    Files.writeString(dir.resolve("new.csv"), "txn_id,txn_ts,amount,risk\nt2,2024-01-02 10:00:00,7.0,0.9\n");
    assertEquals(0, fg(lh, "create", "--file", dir.resolve("tx.yaml").toString()).exitCode());
    assertEquals(0, fg(lh, "insert", "tx", "--input", dir.resolve("old.csv").toString(), "--format", "csv", "--batch-id", "old").exitCode());

    Cli add = fg(lh, "add-features", "tx", "--version", "1", "--feature", "risk:double=0.25", "--feature", "segment:string='none'");
    assertEquals(0, add.exitCode(), add.err());
    assertTrue(add.out().contains("added risk double (existing rows: 0.25)") && add.out().contains("added segment string (existing rows: 'none')"),
        add.out());
    assertTrue(add.out().contains("feature group tx v1: 5 columns, Delta v2"), "Delta v1 was the insert, v2 the addition (one commit):\n" + add.out());
    Cli read = fg(lh, "read", "tx");
    assertTrue(read.out().matches("(?s).*\\| *t1 *\\|[^|]+\\| *5\\.5 *\\| *0\\.25 *\\| *none *\\|.*"), read.out());
    Cli insert = fg(lh, "insert", "tx", "--input", dir.resolve("new.csv").toString(), "--format", "csv", "--batch-id", "new");
    assertEquals(0, insert.exitCode(), "a batch with some of the new features: " + insert.err());
    assertTrue(fg(lh, "read", "tx").out().matches("(?s).*\\| *t2 *\\|[^|]+\\| *7\\.0 *\\| *0\\.9 *\\| *none *\\|.*"));

    Cli rerun = fg(lh, "add-features", "tx", "--feature", "risk:double=0.25");
    assertEquals(0, rerun.exitCode(), rerun.err());
    assertTrue(rerun.out().contains("tx v1 unchanged: it has risk already (Delta v3)"), rerun.out());
    assertTrue(fg(lh, "show", "tx").out().contains("Delta version  3"), "the rerun wrote nothing");
    Cli history = fg(lh, "history", "tx");
    assertTrue(history.out().matches("(?s).*\\n\\s*2\\s+\\S+ \\S+\\s+ADD COLUMNS\\s+-\\s+-\\s+-\\s+\\(rows unchanged, files rewritten\\)\\n.*"),
        "the addition changed no row's count, whatever Delta records: " + history.out());
    assertTrue(history.out().matches("(?s).*\\n\\s*0\\s+\\S+ \\S+\\s+CREATE TABLE\\s+-\\s+-\\s+-\\s+\\(rows unchanged\\)\\n.*"), history.out());
  }

  @Test
  void addFeaturesRefusesABadTypeAClashingColumnAMissingGroupAndABadOption(TestLakehouse lh, @TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tx.yaml"), "name: tx\nprimary_key: [txn_id]\nschema: {txn_id: string, amount: double}\n");
    assertEquals(0, fg(lh, "create", "--file", dir.resolve("tx.yaml").toString()).exitCode());
    String[][] cases = {
      {"tx", "risk:flaot", "2", "unknown type 'flaot'"},
      {"tx", "amount:string", "5", "already has a column 'amount' (double)"},
      {"tx", "risk:double=abc", "2", "not a SQL literal of type double"},
      {"tx", "score:double='abc'", "2", "New feature 'score' of tx v1 has the default 'abc', which is not a value of type double: "
          + "cast to double it is NULL"},
      {"tx", "n:int=1.5", "2", "New feature 'n' of tx v1 has the default 1.5, which is not a value of type int: cast to int it is 1"},
      {"tx", "risk", "2", "--feature 'risk' is not NAME:TYPE[=DEFAULT]"},
      {"nope", "risk:double", "4", "nope"},
    };
    for (String[] c : cases) {
      Cli r = fg(lh, "add-features", c[0], "--feature", c[1]);
      assertEquals(Integer.parseInt(c[2]), r.exitCode(), c[1] + ": " + r.err());
      assertTrue(r.err().contains(c[3]), c[1] + ": " + r.err());
      assertFalse(r.hasStackTrace(), r.err());
    }
    Cli show = fg(lh, "show", "tx");
    assertTrue(show.out().contains("Delta version  0") && !show.out().contains("risk"), "nothing was changed:\n" + show.out());
    assertTrue(fg(lh, "add-features", "--help").out().contains("NAME:TYPE[=DEFAULT]"));
  }

  @Test
  void insertingIntoAMissingGroupOrFromAMissingFileSaysSo(TestLakehouse lh) {
    Cli r = fg(lh, "insert", "nope", "--input", "/nowhere", "--date", "2024-01-01");
    assertEquals(ExitCode.NOT_FOUND.code(), r.exitCode(), r.err());
    assertTrue(r.err().contains("nope"), r.err());
    Cli noBatch = fg(lh, "create", "--file", "/nowhere.yaml");
    assertEquals(ExitCode.NOT_FOUND.code(), noBatch.exitCode(), noBatch.err());
  }

  @Test
  void historyOfAMissingGroupPrintsNothingAndALimitBelowOneIsAUsageError(TestLakehouse lh) {
    Cli missing = fg(lh, "history", "nosuch");
    assertEquals(ExitCode.NOT_FOUND.code(), missing.exitCode(), missing.err());
    assertTrue(missing.err().contains("nosuch"), missing.err());
    assertEquals("", missing.out(), "no table header before the error");
    for (String command : new String[] {"history", "read"}) {
      for (String limit : new String[] {"0", "-1"}) {
        Cli r = fg(lh, command, "nosuch", "--limit", limit);
        assertEquals(ExitCode.USAGE_OR_CONFIG.code(), r.exitCode(), command + " --limit " + limit + ": " + r.out() + r.err());
        assertTrue(r.err().contains("--limit must be 1 or more") && r.err().contains(limit), r.err());
        assertEquals("", r.out());
      }
    }
  }

  @Test
  void textInputIsMatchedByColumnNameAndBadValuesAreRejected(TestLakehouse lh, @TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("g.yaml"), """
        name: named
        primary_key: [id]
        event_time: ts
        schema:
          id: string
          ts: timestamp
          a: double
          b: double
        """);
    assertEquals(0, fg(lh, "create", "--file", dir.resolve("g.yaml").toString()).exitCode());
    Files.writeString(dir.resolve("reordered.csv"), "id,ts,b,a\nk1,2024-01-01 10:00:00,2.0,1.0\n");
    Files.writeString(dir.resolve("extra.csv"), "id,ts,a,b,amount\nk2,2024-01-01 10:00:00,1.0,2.0,9.0\n");
    Files.writeString(dir.resolve("missing.csv"), "id,ts,a\nk3,2024-01-01 10:00:00,1.0\n");
    Files.writeString(dir.resolve("malformed.csv"), "id,ts,a,b\nk4,2024-01-01 10:00:00,not_a_number,2.0\n");
    Files.writeString(dir.resolve("misspelt.json"), "{\"id\": \"k5\", \"ts\": \"2024-01-01 10:00:00\", \"a\": 1.0, \"bb\": 2.0}\n");
    Files.writeString(dir.resolve("reordered.json"), "{\"b\": 2.0, \"a\": 1.0, \"ts\": \"2024-01-01 11:00:00\", \"id\": \"k6\"}\n");

    Cli reordered = fg(lh, "insert", "named", "--input", dir.resolve("reordered.csv").toString(), "--format", "csv", "--batch-id", "r");
    assertEquals(0, reordered.exitCode(), reordered.err());
    Cli json = fg(lh, "insert", "named", "--input", dir.resolve("reordered.json").toString(), "--format", "json", "--batch-id", "j");
    assertEquals(0, json.exitCode(), json.err());
    Cli read = fg(lh, "read", "named");
    assertTrue(read.out().matches("(?s).*\\| *k1 *\\|[^|]+\\| *1\\.0 *\\| *2\\.0 *\\|.*"), "a is 1.0 and b is 2.0, by name:\n" + read.out());
    assertTrue(read.out().matches("(?s).*\\| *k6 *\\|[^|]+\\| *1\\.0 *\\| *2\\.0 *\\|.*"), read.out());

    for (String[] c : new String[][] {{"extra.csv", "csv", "amount"}, {"missing.csv", "csv", "b"}, {"misspelt.json", "json", "bb"}}) {
      Cli r = fg(lh, "insert", "named", "--input", dir.resolve(c[0]).toString(), "--format", c[1], "--batch-id", c[0]);
      assertEquals(ExitCode.DATA_REJECTED.code(), r.exitCode(), c[0] + ": " + r.err());
      assertTrue(r.err().contains(c[2]) && r.err().contains("Nothing was written"), c[0] + ": " + r.err());
      assertTrue(r.err().contains("the input file's columns") && !r.err().contains("[]"), "only what is wrong, advice for a file: " + r.err());
      assertFalse(r.hasStackTrace(), r.err());
    }
    Cli malformed = fg(lh, "insert", "named", "--input", dir.resolve("malformed.csv").toString(), "--format", "csv", "--batch-id", "m");
    assertEquals(ExitCode.DATA_REJECTED.code(), malformed.exitCode(), malformed.err());
    assertTrue(malformed.err().contains("not_a_number") && malformed.err().contains("malformed.csv")
        && malformed.err().contains("Nothing was written"), malformed.err());
    assertFalse(malformed.hasStackTrace(), malformed.err());
    assertEquals(1, malformed.err().strip().lines().count(), malformed.err());
    assertTrue(fg(lh, "show", "named").out().contains("rows           2"));
  }

  private static void createTx(TestLakehouse lh, Path dir) throws IOException {
    Files.writeString(dir.resolve("tx.yaml"), "name: tx\nprimary_key: [txn_id]\nevent_time: txn_ts\n"
        + "schema: {txn_id: string, txn_ts: timestamp, amount: double}\n");
    assertEquals(0, fg(lh, "create", "--file", dir.resolve("tx.yaml").toString()).exitCode());
  }

  /** The error output is one line holding every part, without a stack trace, and the group has no rows. */
  private static void assertOneLineRejection(TestLakehouse lh, Cli r, int exitCode, String... parts) {
    assertEquals(exitCode, r.exitCode(), r.err());
    for (String part : parts) {
      assertTrue(r.err().contains(part), "'" + part + "' in:\n" + r.err());
    }
    assertFalse(r.hasStackTrace(), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(fg(lh, "show", "tx").out().contains("rows           0"), "nothing was written");
  }

  @Test
  void anInputOfAnotherFormatOrAMalformedJsonLineIsRejectedInOneLineNamingTheInput(TestLakehouse lh, @TempDir Path dir)
      throws IOException {
    createTx(lh, dir);
    String csv = dir.resolve("tx.csv").toString();
    Files.writeString(dir.resolve("tx.csv"), "txn_id,txn_ts,amount\nt1,2024-01-01 10:00:00,5.5\n");
    String truncated = dir.resolve("truncated.json").toString();
    Files.writeString(dir.resolve("truncated.json"), "{\"txn_id\": \"t1\", \"txn_ts\": \"2024-01-01 10:00:00\", \"amount\": 5.5}\n"
        + "{\"txn_id\": \"t2\", \"txn_ts\": \"2024-01-01 11:00:00\", \"amount\": 6.5\n");
    String folder = dir.resolve("files").toString();
    Files.createDirectories(dir.resolve("files"));
    Files.copy(dir.resolve("tx.csv"), dir.resolve("files/part-0.csv"));

    assertOneLineRejection(lh, fg(lh, "insert", "tx", "--input", truncated, "--format", "json", "--date", "2024-01-01"),
        ExitCode.DATA_REJECTED.code(), "The input " + truncated + " cannot be read as JSON", "Unexpected end-of-input",
        "\"t2\"", "Nothing was written");
    assertOneLineRejection(lh, fg(lh, "insert", "tx", "--input", csv, "--date", "2024-01-01"),
        ExitCode.DATA_REJECTED.code(), "The input " + csv + " cannot be read as Parquet", "is not a Parquet file",
        "Pass --format csv|json", "Nothing was written");
    assertOneLineRejection(lh, fg(lh, "insert", "tx", "--input", csv, "--format", "json", "--date", "2024-01-01"),
        ExitCode.DATA_REJECTED.code(), "The input " + csv + " cannot be read as JSON", "Unrecognized token 'txn_id'",
        "pass --format csv|parquet", "Nothing was written");
    assertOneLineRejection(lh, fg(lh, "insert", "tx", "--input", folder, "--format", "delta", "--date", "2024-01-01"),
        ExitCode.NOT_FOUND.code(), "The input " + folder + " is not a Delta table", "--format parquet|csv|json");
    // a Delta table's folder read as Parquet would take the files of old versions and removed rows too
    String table = dir.resolve("table").toString();
    Files.createDirectories(dir.resolve("table/_delta_log"));
    assertOneLineRejection(lh, fg(lh, "insert", "tx", "--input", table, "--date", "2024-01-01"),
        ExitCode.USAGE_OR_CONFIG.code(), "The input " + table + " is a Delta table (it has a _delta_log)", "Pass --format delta");
    Files.createDirectories(dir.resolve("damaged"));
    Files.write(dir.resolve("damaged/part-0.parquet"), new byte[0]);
    assertOneLineRejection(lh, fg(lh, "insert", "tx", "--input", dir.resolve("damaged").toString(), "--date", "2024-01-01"),
        ExitCode.DATA_REJECTED.code(), "part-0.parquet cannot be read", "remove or replace it");
  }

  @Test
  void aValueThatDoesNotParseNamesTheInputTheColumnTheValueAndItsType(TestLakehouse lh, @TempDir Path dir) throws IOException {
    createTx(lh, dir);
    Files.writeString(dir.resolve("amount.csv"), "txn_id,txn_ts,amount\nt1,2024-01-01 10:00:00,5.5\nt2,2024-01-01 11:00:00,not_a_number\n");
    Files.writeString(dir.resolve("ts.csv"), "txn_id,txn_ts,amount\nt1,yesterday,5.5\n");
    Files.writeString(dir.resolve("amount.json"), "{\"txn_id\": \"t1\", \"txn_ts\": \"2024-01-01 10:00:00\", \"amount\": \"abc\"}\n");
    Files.writeString(dir.resolve("ts.json"), "{\"txn_id\": \"t1\", \"txn_ts\": \"2024-13-01\", \"amount\": 1.0}\n");
    String[][] cases = {
      {"amount.csv", "csv", "column 'amount' has the value 'not_a_number', which is not a double"},
      {"ts.csv", "csv", "column 'txn_ts' has the value 'yesterday', which is not a timestamp (write it as yyyy-MM-dd HH:mm:ss"},
      {"amount.json", "json", "column 'amount' has the value 'abc', which is not a double"},
      {"ts.json", "json", "column 'txn_ts' has the value '2024-13-01', which is not a timestamp (write it as yyyy-MM-dd HH:mm:ss"},
    };
    for (String[] c : cases) {
      String input = dir.resolve(c[0]).toString();
      Cli r = fg(lh, "insert", "tx", "--input", input, "--format", c[1], "--date", "2024-01-01");
      assertOneLineRejection(lh, r, ExitCode.DATA_REJECTED.code(), "The input " + input, c[2], "Nothing was written");
      assertFalse(r.err().contains("try_cast") || r.err().contains("ansi") || r.err().contains(".."), "no Spark advice: " + r.err());
    }
  }
}
