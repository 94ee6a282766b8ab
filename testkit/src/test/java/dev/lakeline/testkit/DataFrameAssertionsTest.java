package dev.lakeline.testkit;

import static dev.lakeline.testkit.DataFrameAssertions.assertSameRows;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@SparkTest
class DataFrameAssertionsTest {
  private final SparkSession spark;

  DataFrameAssertionsTest(SparkSession spark) {
    this.spark = spark;
  }

  private Dataset<Row> frame(String values) {
    return spark.sql("SELECT * FROM VALUES " + values + " AS t(id, name)");
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "expected <" + part + "> in:\n" + message);
    }
  }

  @Test
  void sameRowsInAnyOrderPass() {
    Dataset<Row> expected = frame("(1, 'a'), (2, 'b'), (3, CAST(NULL AS STRING))");
    Dataset<Row> actual = frame("(3, CAST(NULL AS STRING)), (1, 'a'), (2, 'b')").repartition(3);

    assertDoesNotThrow(() -> assertSameRows(expected, actual));
  }

  @Test
  void columnOrderDoesNotMatter() {
    Dataset<Row> expected = frame("(1, 'a'), (2, 'b')");
    Dataset<Row> actual = frame("(2, 'b'), (1, 'a')").select("name", "id");

    assertDoesNotThrow(() -> assertSameRows(expected, actual));
  }

  @Test
  void aDifferingRowIsShownOnBothSides() {
    Dataset<Row> expected = frame("(1, 'a'), (2, 'expected-only')");
    Dataset<Row> actual = frame("(1, 'a'), (2, 'actual-only')");

    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertSameRows(expected, actual));

    String message = e.getMessage();
    assertMentions(message, "1 only in expected, 1 only in actual", "columns: id, name", "only in expected", "only in actual");
    String row = message.lines().filter(l -> l.contains("expected-only")).findFirst().orElseThrow();
    assertTrue(row.matches("2 \\| expected-only\\s+\\| 2 \\| actual-only"), row);
    assertTrue(!message.contains("1 | a"), "rows present on both sides are not listed:\n" + message);
  }

  @Test
  void duplicatesCount() {
    Dataset<Row> expected = frame("(1, 'a'), (1, 'a'), (2, 'b')");
    Dataset<Row> actual = frame("(1, 'a'), (2, 'b'), (2, 'b')");

    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertSameRows(expected, actual));

    assertMentions(e.getMessage(), "3 expected rows, 3 actual rows", "1 only in expected, 1 only in actual");
    assertTrue(
        e.getMessage().lines().anyMatch(l -> l.matches("1 \\| a\\s+\\| 2 \\| b")),
        "the surplus (1, a) belongs on the expected side, the surplus (2, b) on the actual side:\n" + e.getMessage());
  }

  @Test
  void aMissingDuplicateFails() {
    AssertionFailedError e =
        assertThrows(AssertionFailedError.class, () -> assertSameRows(frame("(1, 'a'), (1, 'a')"), frame("(1, 'a')")));

    assertMentions(e.getMessage(), "2 expected rows, 1 actual rows", "1 only in expected, 0 only in actual", "1 | a");
  }

  @Test
  void differentColumnsFail() {
    Dataset<Row> expected = frame("(1, 'a')");
    Dataset<Row> actual = frame("(1, 'a')").withColumnRenamed("name", "label");

    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertSameRows(expected, actual));

    assertMentions(e.getMessage(), "Columns differ", "missing [name]", "unexpected [label]");
  }

  @Test
  void anExtraColumnFails() {
    Dataset<Row> expected = frame("(1, 'a')");
    Dataset<Row> actual = expected.withColumn("extra", expected.col("id"));

    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertSameRows(expected, actual));

    assertMentions(e.getMessage(), "missing []", "unexpected [extra]");
  }

  @Test
  void emptyFramesAreEqualAndAnEmptySideFails() {
    Dataset<Row> empty = frame("(1, 'a')").where("id < 0");

    assertDoesNotThrow(() -> assertSameRows(empty, empty));
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertSameRows(frame("(1, 'a')"), empty));
    assertMentions(e.getMessage(), "1 expected rows, 0 actual rows");
  }

  @Test
  void listsOfRowsCompareTheSameWay() {
    List<Row> expected = List.of(RowFactory.create(1, null), RowFactory.create(2, RowFactory.create("x", 3)));

    assertDoesNotThrow(() -> assertSameRows(expected, List.of(expected.get(1), expected.get(0)), "id", "v"));
    AssertionFailedError e =
        assertThrows(AssertionFailedError.class, () -> assertSameRows(expected, List.of(expected.get(0)), "id", "v"));
    assertMentions(e.getMessage(), "columns: id, v", "2 | {x | 3}");
    assertTrue(DataFrameAssertions.render(expected.get(0)).equals("1 | NULL"));
  }
}
