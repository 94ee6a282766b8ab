package dev.lakeline.jobs.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.core.delta.WriteMode;
import dev.lakeline.jobs.loans.LoanCatalog;
import dev.lakeline.jobs.pipelines.SourceSpec.BadRows;
import dev.lakeline.jobs.pipelines.SourceSpec.Format;
import dev.lakeline.jobs.pipelines.SourceSpec.Rows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading pipeline files: the bundled demo pipelines, and every kind of mistake as a message that names the fix. */
class FeaturePipelineFileTest {
  private static final String VALID = """
      name: cards
      description: Card transactions
      source:
        path: /data/txns.csv
        format: csv
        schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: double}
        timestamp_formats: ["yyyy-MM-dd HH:mm:ss", "dd/MM/yyyy HH:mm"]
        bad_rows: report
        date_column: txn_ts
        rows: on_date
        lookback: 7d
        options: {delimiter: ";"}
      steps:
        - step: rolling_aggregates
          entity: card_id
          time: txn_ts
          value: amount
          windows: [1d, 7d]
      feature_groups:
        - name: card_txn
          primary_key: [txn_id]
          event_time: txn_ts
          columns: [txn_id, card_id, txn_ts, amount_sum_7d, {big: "amount > 100"}]
      """;

  private static LakelineException.ConfigError error(String text) {
    return assertThrows(LakelineException.ConfigError.class, () -> FeaturePipelineFile.parse("p.yaml", text));
  }

  private static void assertMessage(LakelineException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message lacks '" + p + "':\n" + e.getMessage());
    }
  }

  @Test
  void aColumnExpressionThatDoesNotParseIsFoundAsTheFileLoads() {
    LakelineException.ConfigError e = error(VALID.replace("{big: \"amount > 100\"}", "{big: \"amount >> > 100\"}"));
    assertMessage(e, "p.yaml: feature_groups[1].columns[5]: 'big: amount >> > 100' is not a SQL expression: ",
        "Syntax error at or near '>'", "Fix the expression");
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void brokenYamlAndAFolderAreOneLineMessages(@TempDir Path dir) {
    LakelineException.ConfigError yaml = error("name: x\nsource: [\n");
    assertMessage(yaml, "p.yaml is not valid YAML at line 2, column 10: ", "expected the node content, but found '<stream end>'",
        "Fix the file's syntax there.");
    assertTrue(yaml.getMessage().lines().count() == 1 && !yaml.getMessage().contains("^") && !yaml.getMessage().contains("'reader'"),
        "one line, without the parser's excerpt and caret:\n" + yaml.getMessage());

    LakelineException.ConfigError folder = assertThrows(LakelineException.ConfigError.class,
        () -> FeaturePipeline.load(dir.toString()));
    assertMessage(folder, "Feature pipeline " + dir + " is a folder: pass the pipeline file itself (" + dir + "/<name>.yaml).");
  }

  @Test
  void aPipelineFileReadsIntoItsParts() {
    FeaturePipeline p = FeaturePipelineFile.parse("p.yaml", VALID);
    assertEquals("cards", p.name());
    SourceSpec s = p.source();
    assertEquals(Format.CSV, s.format());
    assertEquals("struct<txn_id:string,card_id:string,txn_ts:timestamp,amount:double>", s.schema().simpleString());
    assertEquals(BadRows.REPORT, s.badRows());
    assertEquals(Rows.ON_DATE, s.rows());
    assertEquals(Duration.ofDays(7), s.lookback());
    assertEquals(List.of("rolling_aggregates"), p.steps().steps().stream().map(st -> st.name()).toList());
    GroupTarget g = p.featureGroups().get(0);
    assertEquals(WriteMode.MERGE, g.mode(), "on_date defaults to upsert");
    assertEquals("big: amount > 100", g.columns().get(4).toString());
    assertEquals("features:cards:card_txn:2024-06-01", p.batchId(g, java.time.LocalDate.parse("2024-06-01")));
  }

  @Test
  void duplicateNullAndEmptyColumnsAreConfigErrorsNamingTheGroupAndTheColumn() {
    String columns = "columns: [txn_id, card_id, txn_ts, amount_sum_7d, {big: \"amount > 100\"}]";
    assertMessage(error(VALID.replace(columns, "columns: [txn_id, txn_ts, amount, {amount: \"amount * 2\"}]")),
        "p.yaml: feature_groups[1].columns: the name 'amount' is given to columns[3] and columns[4] (amount: amount * 2)",
        "need distinct names");
    assertMessage(error(VALID.replace(columns, "columns: [txn_id, txn_ts, AMOUNT, amount]")),
        "p.yaml: feature_groups[1].columns: the name 'amount' is given to columns[3] and columns[4]");
    assertMessage(error(VALID.replace(columns, "columns: [txn_id, txn_ts, {nothing: null}]")),
        "p.yaml: feature_groups[1].columns[3]: 'nothing' has no expression (null)", "CAST(NULL AS double)");
    assertMessage(error(VALID.replace(columns, "columns: [txn_id, txn_ts, {nothing: \"\"}]")),
        "p.yaml: feature_groups[1].columns[3]: 'nothing' has an empty expression");
    assertMessage(error(VALID.replace(columns, "columns: [txn_id, txn_ts, \"\"]")),
        "p.yaml: feature_groups[1].columns[3]: a column's name is empty");
  }

  @Test
  void emptyOutputNamesOfStepsAreConfigErrorsNamingTheStepAndTheParameter() {
    String ratio = """
        steps:
          - step: ratio
            numerator: amount
            denominator: amount
            output: ""
        """;
    String steps = VALID.substring(VALID.indexOf("steps:"), VALID.indexOf("feature_groups:"));
    assertMessage(error(VALID.replace(steps, ratio)), "p.yaml: steps[1]", "parameter 'output' is empty");
    assertMessage(error(VALID.replace("windows: [1d, 7d]", "windows: [1d, 7d]\n    prefix: \"\"")),
        "p.yaml: steps[1]", "parameter 'prefix' is empty");
  }

  @Test
  void theDemosPipelinesAreBundledAndValid() {
    List<FeaturePipeline> demo = LoanCatalog.pipelines();
    assertEquals(List.of("loans", "credit_reports", "card_spend"), demo.stream().map(FeaturePipeline::name).toList());
    for (FeaturePipeline p : demo) {
      assertEquals(Rows.UP_TO_DATE, p.source().rows(), p.name());
      assertEquals(WriteMode.OVERWRITE, p.featureGroups().get(0).mode(), p.name());
      assertTrue(!p.featureGroups().get(0).spec().suite().expectations().isEmpty(), "the suite is found next to the file: " + p.name());
    }
    assertEquals("loan_to_income", LoanCatalog.onDemand().steps().get(0).parameters().get("output"));
  }

  @Test
  void unknownFieldsAreErrorsWithADidYouMean() {
    assertMessage(error(VALID.replace("description:", "descripton:")), "p.yaml: descripton", "Did you mean 'description'?");
    assertMessage(error(VALID.replace("bad_rows:", "bad_row:")), "p.yaml: source.bad_row", "Did you mean 'bad_rows'?");
    assertMessage(error(VALID.replace("event_time:", "event_tme:")), "feature_groups[1].event_tme", "Did you mean 'event_time'?");
    assertMessage(error(VALID.replace("bad_rows: report", "bad_rows: reprot")), "source.bad_rows", "Did you mean 'report'?");
    assertMessage(error(VALID.replace("primary_key: [txn_id]", "primary_key: [txn_id]\n    mode: upsrt")),
        "feature_groups[1].mode", "'upsrt'", "Did you mean 'upsert'?");
    assertMessage(error(VALID.replace("step: rolling_aggregates", "step: rolling_aggregate")),
        "p.yaml: steps[1]", "Did you mean 'rolling_aggregates'?");
  }

  @Test
  void missingAndMistypedFieldsNameTheField() {
    assertMessage(error(VALID.replace("name: cards\n", "")), "p.yaml: name: is required");
    assertMessage(error(VALID.replace("primary_key: [txn_id]", "primary_key: [txn_id]\n    version: two")), "feature_groups[1].version", "whole number");
    assertMessage(error(VALID.replace("    primary_key: [txn_id]\n", "")), "feature_groups[1].primary_key", "is required");
    assertMessage(error(VALID.replace("  schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: double}\n", "")),
        "source.schema", "required for csv");
    assertMessage(error(VALID.replace("amount: double}", "amount: dubble}")), "source.schema.amount", "'dubble'");
    assertMessage(error(VALID.replace("format: csv", "format: xml")), "source.format", "'xml'");
    assertMessage(error(VALID.replace("path: /data/txns.csv", "path: /data/txns.csv\n  name: txns")), "source.name", "not both");
    assertMessage(error(VALID.replace("dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm qqqqqq")), "source.timestamp_formats[2]", "not a datetime pattern");
    assertMessage(error(VALID.replace("delimiter: \";\"", "mode: FAILFAST")), "source.options.mode", "bad_rows");
  }

  @Test
  void aNegativeWindowIsAnErrorNamingTheStep() {
    assertMessage(error(VALID.replace("windows: [1d, 7d]", "windows: [-7d]")), "p.yaml: steps[1]", "'-7d'", "cannot be negative");
    assertMessage(error(VALID.replace("lookback: 7d", "lookback: -7d")), "source.lookback", "cannot be negative");
  }

  @Test
  void aWholeNumberErrorNamesTheFileAndTheFieldOnce() {
    LakelineException e = error(VALID.replace("primary_key: [txn_id]", "primary_key: [txn_id]\n    version: abc"));
    assertMessage(e, "p.yaml: feature_groups[1].version: must be a whole number, not 'abc'.");
    assertEquals(1, e.getMessage().split("p\\.yaml", -1).length - 1, "the location once:\n" + e.getMessage());
    LakelineException p = error(VALID.replace("primary_key: [txn_id]", "primary_key: [txn_id]\n    partition_columns: {day: 1}"));
    assertMessage(p, "p.yaml: feature_groups[1].partition_columns: must be a string or a list of strings, not a mapping.");
    assertEquals(1, p.getMessage().split("p\\.yaml", -1).length - 1, "the location once:\n" + p.getMessage());
  }

  @Test
  void zeroLengthsAndEmptyListsAreErrorsNamingTheField() {
    assertMessage(error(VALID.replace("lookback: 7d", "lookback: 0d")), "p.yaml: source.lookback: '0d' is zero", "must be positive");
    assertMessage(error(VALID.replace("lookback: 7d", "lookback: PT0S")), "p.yaml: source.lookback: 'PT0S' is zero");
    String daily = """
        steps:
          - step: daily_aggregates
            entity: card_id
            time: txn_ts
            value: amount
            windows: [1d]
            dates: []
        """;
    String steps = VALID.substring(VALID.indexOf("steps:"), VALID.indexOf("feature_groups:"));
    assertMessage(error(VALID.replace(steps, daily)), "p.yaml: steps[1]", "parameter 'dates' is an empty list",
        "at least one element, or be left out");
    assertMessage(error(VALID.replace("windows: [1d, 7d]", "windows: []")), "p.yaml: steps[1]", "parameter 'windows' is an empty list");
    assertMessage(error(VALID.replace("columns: [txn_id, card_id, txn_ts, amount_sum_7d, {big: \"amount > 100\"}]", "columns: []")),
        "p.yaml: feature_groups[1].columns: is an empty list", "leave 'columns' out");
    assertMessage(error(VALID.replace("timestamp_formats: [\"yyyy-MM-dd HH:mm:ss\", \"dd/MM/yyyy HH:mm\"]", "timestamp_formats: []")),
        "p.yaml: source.timestamp_formats: is an empty list", "ISO 8601");
  }

  @Test
  void withADeclaredSchemaAStepOrColumnThatIsNotThereIsFoundWhenTheFileLoads() {
    String ratio = """
        steps:
          - step: ratio
            numerator: amount
            denominator: fee
            output: share
        """;
    String steps = VALID.substring(VALID.indexOf("steps:"), VALID.indexOf("feature_groups:"));
    assertMessage(error(VALID.replace(steps, ratio).replace("lookback: 7d", "lookback: 1d")),
        "p.yaml: Pipeline step 1 'ratio' reads column 'fee', which is not in the input schema",
        "[txn_id, card_id, txn_ts, amount]");
    assertMessage(error(VALID.replace("amount_sum_7d,", "amount_summ_7d,")),
        "p.yaml: feature_groups[1] 'card_txn': columns: 'amount_summ_7d' is not a column here.", "Did you mean 'amount_sum_7d'?");
  }

  @Test
  void aMissingSuiteFileNamesTheFieldAndWhereItWasLookedFor(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("cards.yaml");
    Files.writeString(file, VALID.replace("primary_key: [txn_id]", "primary_key: [txn_id]\n    suite: expectations/nope.yaml"));
    LakelineException e = assertThrows(LakelineException.NotFound.class, () -> FeaturePipeline.load(file.toString()));
    assertMessage(e, file + ": feature_groups[1].suite: the expectation suite file 'expectations/nope.yaml' does not exist",
        "looked for at " + dir.resolve("expectations/nope.yaml"), "remove 'suite'");
    Files.createDirectories(dir.resolve("expectations"));
    Files.writeString(dir.resolve("expectations/nope.yaml"), "expectations: []\n");
    assertMessage(assertThrows(LakelineException.ConfigError.class, () -> FeaturePipeline.load(file.toString())),
        file + ": feature_groups[1].suite: ", "expectation_suite_name");
  }

  @Test
  void combinationsThatWouldLoseOrDuplicateRowsAreRefused() {
    assertMessage(error(VALID.replace("lookback: 7d", "lookback: 1d")),
        "steps[1] 'rolling_aggregates' has a 7d window", "set source.lookback to at least 7d");
    assertMessage(error(VALID.replace("primary_key: [txn_id]", "primary_key: [txn_id]\n    mode: overwrite")),
        "feature_groups[1].mode", "replace the whole group with one date's rows");
    assertMessage(error(VALID.replace("rows: on_date\n  lookback: 7d", "rows: up_to_date")
            .replace("primary_key: [txn_id]", "primary_key: [txn_id]\n    mode: append")),
        "feature_groups[1].mode", "whole history again");
    assertMessage(error(VALID.replace("    event_time: txn_ts\n", "")), "feature_groups[1].event_time", "lookback");
    assertMessage(error(VALID.replace("date_column: txn_ts", "date_column: txn_time")), "source.date_column", "'txn_time'");
  }

  @Test
  void filesAreFoundRelativeToThePipeline(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("expectations"));
    Files.writeString(dir.resolve("expectations/cards.yaml"), """
        expectation_suite_name: cards
        expectations:
          - expectation_type: expect_column_values_to_be_between
            kwargs: {column: amount_sum_7d, min_value: 0}
        """);
    Files.createDirectories(dir.resolve("pipelines"));
    Path file = dir.resolve("pipelines/cards.yaml");
    Files.writeString(file, VALID.replace("primary_key: [txn_id]", "primary_key: [txn_id]\n    suite: ../expectations/cards.yaml"));
    FeaturePipeline p = FeaturePipeline.load(file.toString());
    assertEquals("cards", p.featureGroups().get(0).spec().suite().name());
    assertEquals("classpath:lakeline-conf/expectations/loans.yaml",
        FeaturePipelineFile.relativeTo("classpath:lakeline-conf/pipelines/loans.yaml", "../expectations/loans.yaml"));
    assertThrows(LakelineException.NotFound.class, () -> FeaturePipeline.load(dir.resolve("nope.yaml").toString()));
    assertTrue(FeaturePipelineFile.isPipelineFile(file.toString()));
    assertTrue(!FeaturePipelineFile.isPipelineFile("classpath:lakeline-conf/lakeline.yaml"));
  }
  @Test
  void aFailedBackfillSaysWhatItCommittedAlsoForPipelinesThatComputeOnlyTheLastDate() {
    List<FeaturePipeline> demo = LoanCatalog.pipelines(); // loans, credit_reports, card_spend
    java.time.LocalDate from = java.time.LocalDate.parse("2024-06-01");
    java.time.LocalDate to = java.time.LocalDate.parse("2024-06-04");
    assertEquals("the dates before it are committed",
        FeaturePipelines.committedBefore(demo, java.util.Set.of(), java.util.Set.of("loans"), to, from));
    assertEquals("it is the range's first date", FeaturePipelines.committedBefore(demo, java.util.Set.of(), java.util.Set.of(), from, from));
    // card_spend skipped every date before the last, and the last failed before it ran
    assertEquals("the dates before it are committed, except by card_spend, which computes the last date only and committed nothing",
        FeaturePipelines.committedBefore(demo, java.util.Set.of("card_spend"), java.util.Set.of("loans"), to, from));
    // once it ran on the last date, its batch is committed like the others'
    assertEquals("the dates before it are committed",
        FeaturePipelines.committedBefore(demo, java.util.Set.of("card_spend"), java.util.Set.of("loans", "card_spend"), to, from));
    List<FeaturePipeline> one = List.of(demo.get(2));
    assertEquals("nothing of the range was committed: card_spend computes the last date only",
        FeaturePipelines.committedBefore(one, java.util.Set.of("card_spend"), java.util.Set.of(), to, from));
  }
}
