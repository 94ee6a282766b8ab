package dev.lakeline.transformations;

import static dev.lakeline.transformations.TestData.frame;
import static dev.lakeline.transformations.TestData.row;
import static dev.lakeline.transformations.TestData.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.DataFrameAssertions;
import dev.lakeline.testkit.SparkTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class PipelineStepsTest {
  static final StructType INPUT = StructType.fromDDL(
      "txn_id string, card_id string, event_time timestamp, amount double, income double, loan_amount double, "
          + "birth_date date, city string, zip string, bankruptcies int, lat double, lon double, "
          + "merchant_lat double, merchant_lon double");

  private static String allSteps() {
    try (InputStream in = PipelineStepsTest.class.getResourceAsStream("/all-steps.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Dataset<Row> data(SparkSession spark) {
    return frame(spark, INPUT,
        row("t1", "c1", ts("2024-01-01T10:00:00Z"), 50.0, 1000.0, 500.0, TestData.date("1990-06-15"), " Paris ",
            "2139", 0, 48.8566, 2.3522, 51.5074, -0.1278),
        row("t2", "c1", ts("2024-01-01T12:00:00Z"), 2000.0, 1000.0, 0.0, TestData.date("1990-06-15"), "LONDON",
            "94105-1234", 2, 48.8566, 2.3522, 48.8566, 2.3522),
        row("t2", "c1", ts("2024-01-01T11:00:00Z"), 7.0, 1000.0, 0.0, TestData.date("1990-06-15"), "LONDON",
            "94105", 2, 48.8566, 2.3522, 48.8566, 2.3522),
        row("t3", "c2", ts("2024-01-02T08:00:00Z"), -3.0, null, 100.0, null, "paris", null, null, null, null, null,
            null));
  }

  @Test
  void everyStepHasAYamlFormThatRoundTrips() {
    Pipeline pipeline = PipelineSteps.fromYaml(allSteps());
    TreeSet<String> used = new TreeSet<>();
    pipeline.steps().forEach(s -> used.add(s.name()));
    assertEquals(new TreeSet<>(Steps.names()), used, "all-steps.yaml must use every step");
    String yaml = PipelineSteps.toYaml(pipeline);
    assertEquals(pipeline, PipelineSteps.fromYaml(yaml), yaml);
    for (Step s : pipeline.steps()) {
      assertEquals(s, Steps.build(s.name(), s.parameters()), s.name());
    }
  }

  @Test
  void validateGivesTheSchemaThatApplyingGives(SparkSession spark) {
    Pipeline pipeline = PipelineSteps.fromYaml(allSteps());
    StructType promised = pipeline.validate(INPUT);
    Dataset<Row> out = pipeline.apply(data(spark));
    assertTrue(Schemas.sameNamesAndTypes(promised, out.schema()), promised.treeString() + out.schema().treeString());
    assertEquals(List.of("card_id", "day", "spend_count_1d", "spend_sum_1d", "spend_count_30d", "spend_sum_30d"),
        List.of(out.columns()));
    // c1 has events on 01-01 only (t2 deduplicated to its 12:00 row, clipped to 1000); c2 on 01-02.
    Dataset<Row> expected = frame(spark, StructType.fromDDL(
            "card_id string, day date, spend_count_1d bigint, spend_sum_1d double, spend_count_30d bigint, "
                + "spend_sum_30d double"),
        row("c1", TestData.date("2024-01-01"), 2L, 1050.0, 2L, 1050.0),
        row("c1", TestData.date("2024-01-02"), 0L, null, 2L, 1050.0),
        row("c1", TestData.date("2024-01-03"), 0L, null, 2L, 1050.0),
        row("c2", TestData.date("2024-01-01"), 0L, null, 0L, null),
        row("c2", TestData.date("2024-01-02"), 1L, 0.0, 1L, 0.0),
        row("c2", TestData.date("2024-01-03"), 0L, null, 1L, 0.0));
    DataFrameAssertions.assertSameRows(expected, out);
  }

  @Test
  void theIssuesExampleRunsFromYamlAsFromJava(SparkSession spark) {
    String yaml = """
        steps:
          - step: rolling_aggregates
            entity: card_id
            time: event_time
            value: amount
            windows: [1h, 4h, 1d, 7d]
            aggregates: [count, sum, mean, min, max, stddev]
          - step: ratio
            numerator: income
            denominator: loan_amount
            output: income_to_loan
        """;
    Pipeline fromYaml = PipelineSteps.fromYaml(yaml);
    Pipeline fromJava = Pipeline.of(
        RollingAggregates.of("card_id", "event_time", "amount", "1h", "4h", "1d", "7d"),
        NumericFeatures.ratio("income", "loan_amount", "income_to_loan"));
    assertEquals(fromJava, fromYaml);
    DataFrameAssertions.assertSameRows(fromJava.apply(data(spark)), fromYaml.apply(data(spark)));
    assertEquals(INPUT.length() + 4 * 6 + 1, fromYaml.validate(INPUT).length());
  }

  @Test
  void aColumnFromNoEarlierStepIsAnErrorNamingStepAndColumn(SparkSession spark) {
    String yaml = """
        steps:
          - step: normalize_string
            column: city
          - step: bucketize
            column: income_to_loan
            boundaries: [1, 2]
            output: bucket
          - step: ratio
            numerator: income
            denominator: loan_amount
            output: income_to_loan
        """;
    Pipeline pipeline = PipelineSteps.fromYaml(yaml);
    var e = assertThrows(LakelineException.ConfigError.class, () -> pipeline.validate(INPUT));
    assertTrue(e.getMessage().contains("step 2 'bucketize'") && e.getMessage().contains("'income_to_loan'")
        && e.getMessage().contains("no earlier step"), e.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> pipeline.apply(data(spark)));
    // A wrong type found while validating names the step too.
    var type = assertThrows(LakelineException.ConfigError.class,
        () -> Pipeline.of(NumericFeatures.clip("city", 0.0, 1.0, "c")).validate(INPUT));
    assertTrue(type.getMessage().contains("step 1 'clip'") && type.getMessage().contains("numeric"), type.getMessage());
  }

  /**
   * Spark and Delta take column names that differ only in case as one column: an output named so beside another
   * column is an error as the pipeline is validated (no data read), not an ambiguous reference or a duplicate column
   * when the data is written.
   */
  @Test
  void anOutputNamedLikeAnotherColumnButForCaseIsAnError(SparkSession spark) {
    String[][] cases = {
        {"  - {step: ratio, numerator: income, denominator: loan_amount, output: Income}\n", "step 1 'ratio'", "'Income'", "'income'"},
        {"  - {step: rolling_aggregates, entity: card_id, time: event_time, value: amount, windows: [1h],"
            + " aggregates: [sum]}\n  - {step: rolling_aggregates, entity: card_id, time: event_time, value: amount,"
            + " windows: [1h], aggregates: [sum], prefix: AMOUNT}\n", "step 2 'rolling_aggregates'", "'AMOUNT_sum_1h'",
            "'amount_sum_1h'"},
        {"  - {step: daily_aggregates, entity: card_id, time: event_time, value: amount, windows: [1d], day_column: Card_ID}\n",
            "step 1 'daily_aggregates'", "'Card_ID'", "'card_id'"}};
    for (String[] c : cases) {
      Pipeline pipeline = PipelineSteps.fromYaml("steps:\n" + c[0]);
      var e = assertThrows(LakelineException.ConfigError.class, () -> pipeline.validate(INPUT), c[0]);
      for (int i = 1; i < c.length; i++) {
        assertTrue(e.getMessage().contains(c[i]) && e.getMessage().contains("only in case"), e.getMessage());
      }
      Step last = pipeline.steps().get(pipeline.steps().size() - 1);
      Dataset<Row> before = pipeline.steps().size() == 1 ? data(spark) : pipeline.steps().get(0).apply(data(spark));
      assertThrows(LakelineException.ConfigError.class, () -> last.apply(before), c[0]);
    }
    // the same name replaces the column in place, as before
    assertEquals(INPUT.length(), Pipeline.of(NumericFeatures.ratio("income", "loan_amount", "income")).validate(INPUT).length());
  }

  @Test
  void unknownStepsAndParametersGetADidYouMean() {
    assertError("steps:\n  - step: rolling_aggregate\n", "step 1", "unknown step 'rolling_aggregate'",
        "Did you mean 'rolling_aggregates'?");
    assertError("steps:\n  - step: ratio\n    numerator: a\n    denominater: b\n    output: r\n",
        "step 1 'ratio'", "unknown parameter 'denominater'", "Did you mean 'denominator'?");
    assertError("steps:\n  - step: ratio\n    numerator: a\n    output: r\n", "missing parameter 'denominator'");
    assertError("stpes: []\n", "unknown top-level key 'stpes'", "Did you mean 'steps'?");
    assertError("steps:\n  - numerator: a\n", "step 1", "missing 'step: <name>'");
    assertError("steps: [\n", "not valid YAML");
  }

  @Test
  void wrongParameterTypesAndBadWindowsAreErrors() {
    String rolling = "steps:\n  - step: rolling_aggregates\n    entity: card_id\n    time: event_time\n    value: amount\n";
    assertError(rolling + "    windows: 5\n", "parameter 'windows' must be a string or a list of strings",
        "the number 5");
    assertError(rolling + "    windows: [1h, 0h]\n", "'0h' is zero");
    // the step is named once, by its place in the file, not again by the step's own "Transformation '…'" prefix
    var once = assertThrows(LakelineException.ConfigError.class, () -> PipelineSteps.fromYaml(rolling + "    windows: [1h, 0h]\n"));
    assertTrue(once.getMessage().contains("step 1 'rolling_aggregates': window '0h' is zero") && !once.getMessage().contains("Transformation '"),
        once.getMessage());
    var clip = assertThrows(LakelineException.ConfigError.class, () -> PipelineSteps.fromYaml("steps:\n  - step: clip\n    column: x\n"));
    assertTrue(clip.getMessage().contains("step 1 'clip' needs 'min', 'max' or both."), clip.getMessage());
    assertError(rolling + "    windows: [-1h]\n", "'-1h'", "cannot be negative");
    assertError(rolling + "    windows: [1h]\n    aggregates: [cnt]\n", "unknown aggregate 'cnt'", "'count'");
    assertError("steps:\n  - step: bucketize\n    column: x\n    boundaries: [1, two]\n    output: b\n",
        "parameter 'boundaries' must be a list of numbers", "'two'");
    assertError("steps:\n  - step: rare_categories\n    column: c\n    min_count: 2.5\n", "'min_count' must be a whole number");
    // a whole number too large for its parameter is the same one-line error, not an overflow
    assertError("steps:\n  - step: lag\n    entity: k\n    time: t\n    value: v\n    offsets: [1, 3000000000]\n",
        "step 1 'lag': parameter 'offsets'", "3000000000", "at most 2147483647");
    assertError("steps:\n  - step: rare_categories\n    column: c\n    min_count: 99999999999999999999\n",
        "step 1 'rare_categories': parameter 'min_count'", "99999999999999999999", "at most 9223372036854775807");
    assertError("steps:\n  - step: map_values\n    column: c\n    mapping: {a: 1}\n", "mapping of strings to strings",
        "Quote");
    assertError("steps:\n  - step: age\n    column: d\n    as_of: 30/06/2024\n    output: a\n", "yyyy-mm-dd");
  }

  @Test
  void aPipelineFileIsNamedInItsErrors(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("features.yaml");
    Files.writeString(file, "steps:\n  - step: ratio\n    numerator: a\n");
    var e = assertThrows(LakelineException.ConfigError.class, () -> PipelineSteps.fromYaml(file));
    assertTrue(e.getMessage().startsWith(file + ", step 1 'ratio'"), e.getMessage());
    Files.writeString(file, allSteps());
    assertEquals(PipelineSteps.fromYaml(allSteps()), PipelineSteps.fromYaml(file));
  }

  @Test
  void registryListsStepsAndTheirParameters() {
    assertTrue(Steps.names().containsAll(List.of("rolling_aggregates", "daily_aggregates", "ratio", "dedup_latest")));
    assertEquals(List.of("numerator", "denominator", "output"), Steps.parameters("ratio"));
    Step ratio = Steps.build("ratio", Map.of("numerator", "a", "denominator", "b", "output", "r"));
    assertEquals(NumericFeatures.ratio("a", "b", "r"), ratio);
  }

  private static void assertError(String yaml, String... parts) {
    var e = assertThrows(LakelineException.ConfigError.class, () -> PipelineSteps.fromYaml(yaml), yaml);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }
  }

  @Test
  void nullInputsAreConfigErrorsNamingThem() {
    // from PySpark, None for the YAML text or the DataFrame: named, not Jackson's or a NullPointerException
    LakelineException.ConfigError yaml = assertThrows(LakelineException.ConfigError.class, () -> PipelineSteps.fromYaml((String) null));
    assertTrue(yaml.getMessage().contains("YAML"), yaml.getMessage());
    Pipeline pipeline = Pipeline.of(Steps.build("ratio", Map.of("numerator", "a", "denominator", "b", "output", "r")));
    LakelineException.ConfigError apply = assertThrows(LakelineException.ConfigError.class, () -> pipeline.apply(null));
    assertTrue(apply.getMessage().contains("DataFrame"), apply.getMessage());
    assertThrows(LakelineException.ConfigError.class, () -> pipeline.validate(null));
  }
}
