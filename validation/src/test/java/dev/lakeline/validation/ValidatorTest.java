package dev.lakeline.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import dev.lakeline.testkit.SparkTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class ValidatorTest {

  private static final String NOT_NULL = "expect_column_values_to_not_be_null";
  private static final String BETWEEN = "expect_column_values_to_be_between";
  private static final String IN_SET = "expect_column_values_to_be_in_set";
  private static final String UNIQUE = "expect_column_values_to_be_unique";
  private static final String COMPOUND_UNIQUE = "expect_compound_columns_to_be_unique";
  private static final String ROW_COUNT = "expect_table_row_count_to_be_between";
  private static final String EXISTS = "expect_column_to_exist";

  /** A one-column frame. */
  private static Dataset<Row> column(SparkSession spark, String name, DataType type, Object... values) {
    List<Row> rows = new ArrayList<>();
    for (Object v : values) {
      rows.add(RowFactory.create(v));
    }
    return spark.createDataFrame(rows, new StructType().add(name, type));
  }

  private static Dataset<Row> ints(SparkSession spark, Integer... values) {
    return column(spark, "v", DataTypes.IntegerType, (Object[]) values);
  }

  private static Dataset<Row> strings(SparkSession spark, String... values) {
    return column(spark, "v", DataTypes.StringType, (Object[]) values);
  }

  /** kwargs in order, from alternating keys and values (Map.of rejects nulls and keeps no order). */
  private static Map<String, Object> kw(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static ExpectationResult validateOne(Dataset<Row> batch, String type, Map<String, Object> kwargs) {
    ValidationResult result =
        Validator.validate(batch, new ExpectationSuite("t", List.of(Expectation.of(type, kwargs))));
    assertEquals(1, result.results().size());
    return result.results().get(0);
  }

  private static void assertPasses(Dataset<Row> batch, String type, Map<String, Object> kwargs) {
    ExpectationResult r = validateOne(batch, type, kwargs);
    assertTrue(r.success(), type + " " + kwargs + " should pass: " + r.observed());
  }

  private static void assertFails(Dataset<Row> batch, String type, Map<String, Object> kwargs) {
    ExpectationResult r = validateOne(batch, type, kwargs);
    assertFalse(r.success(), type + " " + kwargs + " should fail: " + r.observed());
  }

  // --- each type on good and bad data -------------------------------------------------------------------------

  /** Composite uniqueness counts every row of a duplicated key, and tells (x, NULL) from (NULL, x). */
  @Test
  void compositeUniquenessIsExactWhetherKeysAreUniqueOrNot(SparkSession spark) {
    Dataset<Row> unique = spark.range(0, 5000).selectExpr("CAST(id AS STRING) AS a", "CAST(id % 3 AS STRING) AS b")
        .union(spark.sql("SELECT 'x' AS a, NULL AS b UNION ALL SELECT NULL AS a, 'x' AS b"));
    Expectation e = Frames.e(COMPOUND_UNIQUE, "column_list", List.of("a", "b"));
    ExpectationResult ok = Frames.one(unique, e);
    assertTrue(ok.success(), "(x, NULL) and (NULL, x) are different keys");
    assertEquals(0L, (long) ok.unexpectedCount());

    Dataset<Row> dup = unique.union(unique.where("a IN ('7', '8', '9')"));
    ExpectationResult bad = Frames.one(dup, e);
    assertFalse(bad.success());
    assertEquals(6L, (long) bad.unexpectedCount(), "every row of a duplicated key is unexpected");
    assertEquals(5005L, bad.elementCount());
  }

  @Test
  void notNull(SparkSession spark) {
    assertPasses(ints(spark, 1, 2, 3), NOT_NULL, kw("column", "v"));
    assertFails(ints(spark, 1, null, 3), NOT_NULL, kw("column", "v"));
    ExpectationResult r = validateOne(ints(spark, 1, null, null, 4), NOT_NULL, kw("column", "v"));
    assertEquals(4, r.elementCount());
    assertEquals(2L, (long) r.unexpectedCount());
  }

  @Test
  void notNullWithMostlyCountsEveryRow(SparkSession spark) {
    assertPasses(ints(spark, 1, null), NOT_NULL, kw("column", "v", "mostly", 0.5));
    assertFails(ints(spark, 1, null, null), NOT_NULL, kw("column", "v", "mostly", 0.5));
  }

  @Test
  void between(SparkSession spark) {
    assertPasses(ints(spark, 0, 5, 10), BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10));
    assertFails(ints(spark, 0, 5, 11), BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10));
    assertFails(ints(spark, -1, 5, 10), BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10));
    // one bound only
    assertPasses(ints(spark, 7, 1000000), BETWEEN, kw("column", "v", "min_value", 7));
    assertFails(ints(spark, 6, 1000000), BETWEEN, kw("column", "v", "min_value", 7));
    assertPasses(ints(spark, -1000000, 7), BETWEEN, kw("column", "v", "max_value", 7));
    assertFails(ints(spark, -1000000, 8), BETWEEN, kw("column", "v", "max_value", 7));
    // fractional bounds on a double column
    Dataset<Row> d = column(spark, "v", DataTypes.DoubleType, 0.25, 0.75);
    assertPasses(d, BETWEEN, kw("column", "v", "min_value", 0.25, "max_value", 0.75));
    assertFails(d, BETWEEN, kw("column", "v", "min_value", 0.3, "max_value", 0.75));
  }

  @Test
  void betweenStrictBounds(SparkSession spark) {
    Dataset<Row> edges = ints(spark, 0, 5, 10);
    assertFails(edges, BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10, "strict_min", true));
    assertFails(edges, BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10, "strict_max", true));
    assertPasses(edges, BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10, "strict_min", false, "strict_max", false));
    assertPasses(
        ints(spark, 1, 5, 9), BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10, "strict_min", true, "strict_max", true));
  }

  @Test
  void inSet(SparkSession spark) {
    assertPasses(strings(spark, "RENT", "OWN", "RENT"), IN_SET, kw("column", "v", "value_set", List.of("RENT", "OWN")));
    assertFails(strings(spark, "RENT", "rent"), IN_SET, kw("column", "v", "value_set", List.of("RENT", "OWN")));
    assertPasses(ints(spark, 36, 60), IN_SET, kw("column", "v", "value_set", List.of(36, 60)));
    assertFails(ints(spark, 36, 48), IN_SET, kw("column", "v", "value_set", List.of(36, 60)));
    // quotes and backslashes in values are literals, not SQL
    assertPasses(
        strings(spark, "O'Brien", "a\\b"), IN_SET, kw("column", "v", "value_set", List.of("O'Brien", "a\\b")));
    assertFails(strings(spark, "x') OR ('1'='1"), IN_SET, kw("column", "v", "value_set", List.of("a")));
  }

  @Test
  void unique(SparkSession spark) {
    assertPasses(ints(spark, 1, 2, 3), UNIQUE, kw("column", "v"));
    assertFails(ints(spark, 1, 2, 2), UNIQUE, kw("column", "v"));
    assertFails(strings(spark, "a", "b", "a", "c"), UNIQUE, kw("column", "v"));
  }

  @Test
  void compoundUnique(SparkSession spark) {
    StructType schema = new StructType().add("a", DataTypes.StringType).add("b", DataTypes.IntegerType);
    Dataset<Row> good =
        spark.createDataFrame(
            List.of(RowFactory.create("x", 1), RowFactory.create("x", 2), RowFactory.create("y", 1)), schema);
    Dataset<Row> bad =
        spark.createDataFrame(
            List.of(RowFactory.create("x", 1), RowFactory.create("x", 2), RowFactory.create("x", 1)), schema);
    assertPasses(good, COMPOUND_UNIQUE, kw("column_list", List.of("a", "b")));
    assertFails(bad, COMPOUND_UNIQUE, kw("column_list", List.of("a", "b")));
    // each column alone is not unique in the good frame: the expectation really is on the combination
    assertFails(good, UNIQUE, kw("column", "a"));
    assertFails(good, UNIQUE, kw("column", "b"));
  }

  @Test
  void rowCountBetween(SparkSession spark) {
    Dataset<Row> three = ints(spark, 1, 2, 3);
    assertPasses(three, ROW_COUNT, kw("min_value", 3, "max_value", 3));
    assertPasses(three, ROW_COUNT, kw("min_value", 1));
    assertPasses(three, ROW_COUNT, kw("max_value", 10));
    assertFails(three, ROW_COUNT, kw("min_value", 4));
    assertFails(three, ROW_COUNT, kw("max_value", 2));
    assertFails(ints(spark), ROW_COUNT, kw("min_value", 1));
    assertEquals(3, Validator.validate(three, ExpectationSuite.empty("e")).rowCount());
  }

  @Test
  void columnToExist(SparkSession spark) {
    assertPasses(ints(spark, 1), EXISTS, kw("column", "v"));
    assertFails(ints(spark, 1), EXISTS, kw("column", "w"));
  }

  // --- Great Expectations' null semantics -------------------------------------------------------------------

  @Test
  void betweenAndInSetIgnoreNulls(SparkSession spark) {
    assertPasses(ints(spark, 1, null, 5, null), BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10));
    assertPasses(strings(spark, "a", null, "b"), IN_SET, kw("column", "v", "value_set", List.of("a", "b")));
    // a null among bad values does not make them good
    assertFails(ints(spark, 11, null), BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10));
    assertFails(strings(spark, "z", null), IN_SET, kw("column", "v", "value_set", List.of("a")));
  }

  @Test
  void allNullColumnPassesBetweenAndInSetButNotNotNull(SparkSession spark) {
    Dataset<Row> allNull = ints(spark, null, null, null);
    assertPasses(allNull, BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10));
    assertPasses(allNull, IN_SET, kw("column", "v", "value_set", List.of(1)));
    assertFails(allNull, NOT_NULL, kw("column", "v"));
  }

  @Test
  void mostlyIsTheShareOfNonNullValues(SparkSession spark) {
    // 2 of the 4 non-null values are in range; with the 3 nulls counted it would be 2 of 7
    Dataset<Row> batch = ints(spark, 1, 2, 100, 200, null, null, null);
    assertPasses(batch, BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10, "mostly", 0.5));
    assertFails(batch, BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10, "mostly", 0.6));
    assertFails(batch, BETWEEN, kw("column", "v", "min_value", 0, "max_value", 10));

    Dataset<Row> set = strings(spark, "a", "b", "x", "y", null, null, null);
    assertPasses(set, IN_SET, kw("column", "v", "value_set", List.of("a", "b"), "mostly", 0.5));
    assertFails(set, IN_SET, kw("column", "v", "value_set", List.of("a", "b"), "mostly", 0.51));
  }

  @Test
  void uniqueIgnoresNulls(SparkSession spark) {
    assertPasses(ints(spark, 1, 2, null, null), UNIQUE, kw("column", "v"));
    assertFails(ints(spark, 1, 1, null), UNIQUE, kw("column", "v"));
  }

  /**
   * The Deequ trap: Deequ's uniqueness ignores rows whose key columns are all null, so two (NULL, NULL) keys are
   * not "duplicates" to it. A gate must therefore pair the uniqueness check with not-null checks on the key.
   */
  @Test
  void notNullPlusCompoundUniqueRejectsDuplicateNullKeys(SparkSession spark) {
    StructType schema =
        new StructType().add("a", DataTypes.StringType).add("b", DataTypes.IntegerType).add("f", DataTypes.DoubleType);
    Dataset<Row> batch =
        spark.createDataFrame(
            Arrays.asList(
                RowFactory.create("x", 1, 1.0),
                RowFactory.create(null, null, 2.0),
                RowFactory.create(null, null, 3.0)),
            schema);
    Expectation unique = Expectation.of(COMPOUND_UNIQUE, kw("column_list", List.of("a", "b")));
    Expectation aNotNull = Expectation.of(NOT_NULL, kw("column", "a"));
    Expectation bNotNull = Expectation.of(NOT_NULL, kw("column", "b"));

    ValidationResult result = Validator.validate(batch, new ExpectationSuite("keys", List.of(aNotNull, bNotNull, unique)));

    assertFalse(result.success());
    List<Expectation> failed = result.errors().stream().map(ExpectationResult::expectation).toList();
    assertTrue(failed.contains(aNotNull), result.failureSummary());
    assertTrue(failed.contains(bNotNull), result.failureSummary());
    assertEquals(2L, (long) result.results().get(0).unexpectedCount());
  }

  // --- odd column names, missing columns, severities ---------------------------------------------------------

  @Test
  void columnNamesWithSpacesAndBackticksWork(SparkSession spark) {
    for (String name : List.of("loan amount", "we`ird", "dotted.name")) {
      Dataset<Row> good = column(spark, name, DataTypes.IntegerType, 1, 2, 3);
      Dataset<Row> bad = column(spark, name, DataTypes.IntegerType, 1, 1, null, 99);
      assertPasses(good, NOT_NULL, kw("column", name));
      assertFails(bad, NOT_NULL, kw("column", name));
      assertPasses(good, BETWEEN, kw("column", name, "min_value", 1, "max_value", 3));
      assertFails(bad, BETWEEN, kw("column", name, "min_value", 1, "max_value", 3));
      assertPasses(good, IN_SET, kw("column", name, "value_set", List.of(1, 2, 3)));
      assertFails(bad, IN_SET, kw("column", name, "value_set", List.of(1, 2, 3)));
      assertPasses(good, UNIQUE, kw("column", name));
      assertFails(bad, UNIQUE, kw("column", name));
      assertPasses(good, EXISTS, kw("column", name));
    }
    StructType schema = new StructType().add("first key", DataTypes.StringType).add("second`key", DataTypes.IntegerType);
    Dataset<Row> pairs =
        spark.createDataFrame(List.of(RowFactory.create("x", 1), RowFactory.create("x", 1)), schema);
    assertFails(pairs, COMPOUND_UNIQUE, kw("column_list", List.of("first key", "second`key")));
    assertPasses(pairs.limit(1), COMPOUND_UNIQUE, kw("column_list", List.of("first key", "second`key")));
  }

  @Test
  void aColumnTheBatchDoesNotHaveIsAConfigErrorNamingIt(SparkSession spark) {
    Dataset<Row> batch = ints(spark, 1);
    for (Expectation e :
        List.of(
            Expectation.of(NOT_NULL, kw("column", "loan_amount")),
            Expectation.of(BETWEEN, kw("column", "loan_amount", "min_value", 0)),
            Expectation.of(IN_SET, kw("column", "loan_amount", "value_set", List.of(1))),
            Expectation.of(UNIQUE, kw("column", "loan_amount")),
            Expectation.of(COMPOUND_UNIQUE, kw("column_list", List.of("v", "loan_amount"))))) {
      LakelineException.ConfigError error =
          assertThrows(
              LakelineException.ConfigError.class,
              () -> Validator.validate(batch, new ExpectationSuite("s", List.of(e))),
              e.type());
      assertTrue(error.getMessage().contains("'loan_amount'"), error.getMessage());
    }
    LakelineException.ConfigError misspelt = assertThrows(LakelineException.ConfigError.class,
        () -> Validator.validate(batch, new ExpectationSuite("s", List.of(Expectation.of(NOT_NULL, kw("column", "vv"))))));
    assertTrue(misspelt.getMessage().contains("Did you mean 'v'?"), misspelt.getMessage());
  }

  @Test
  void anInvalidExpectationBuiltInCodeIsAConfigError(SparkSession spark) {
    Dataset<Row> batch = ints(spark, 1);
    assertThrows(
        LakelineException.ConfigError.class,
        () -> Validator.validate(batch, new ExpectationSuite("s", List.of(Expectation.of("expect_magic", kw("column", "v"))))));
    assertThrows(
        LakelineException.ConfigError.class,
        () -> Validator.validate(batch, new ExpectationSuite("s", List.of(Expectation.of(BETWEEN, kw("colum", "v"))))));
  }

  @Test
  void warningsAreReportedButAreNotErrors(SparkSession spark) {
    Dataset<Row> batch = ints(spark, 1, null, 50);
    Expectation warning = Expectation.of(NOT_NULL, kw("column", "v")).withSeverity(Severity.WARNING);
    Expectation passing = Expectation.of(BETWEEN, kw("column", "v", "min_value", 0, "max_value", 100));

    ValidationResult onlyWarning = Validator.validate(batch, new ExpectationSuite("s", List.of(warning, passing)));
    assertFalse(onlyWarning.success());
    assertTrue(onlyWarning.errors().isEmpty(), onlyWarning.failureSummary());
    assertEquals(2, onlyWarning.evaluated());
    assertEquals(1, onlyWarning.successful());
    assertTrue(onlyWarning.failureSummary().contains("[WARNING]"), onlyWarning.failureSummary());

    Expectation error = Expectation.of(BETWEEN, kw("column", "v", "max_value", 10));
    ValidationResult both = Validator.validate(batch, new ExpectationSuite("s", List.of(warning, passing, error)));
    assertEquals(List.of(error), both.errors().stream().map(ExpectationResult::expectation).toList());
  }

  @Test
  void resultsComeBackInSuiteOrderWithTheirExpectations(SparkSession spark) {
    Dataset<Row> batch = ints(spark, 1, 2, 3);
    List<Expectation> list =
        List.of(
            Expectation.of(EXISTS, kw("column", "nope")),
            Expectation.of(NOT_NULL, kw("column", "v")),
            Expectation.of(BETWEEN, kw("column", "v", "min_value", 5)),
            Expectation.of(ROW_COUNT, kw("min_value", 1)),
            Expectation.of(UNIQUE, kw("column", "v")));
    ValidationResult result = Validator.validate(batch, new ExpectationSuite("s", list));
    assertEquals(list, result.results().stream().map(ExpectationResult::expectation).toList());
    assertEquals(
        List.of(false, true, false, true, true), result.results().stream().map(ExpectationResult::success).toList());
  }

  @Test
  void anEmptyBatchPassesColumnExpectations(SparkSession spark) {
    Dataset<Row> empty = ints(spark);
    assertPasses(empty, NOT_NULL, kw("column", "v"));
    assertPasses(empty, BETWEEN, kw("column", "v", "min_value", 0));
    assertPasses(empty, UNIQUE, kw("column", "v"));
  }
}
