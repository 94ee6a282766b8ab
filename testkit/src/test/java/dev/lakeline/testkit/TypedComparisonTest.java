package dev.lakeline.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Rows compare by typed values, not by their text. */
class TypedComparisonTest {
  @Test
  void nullIsNotTheStringNull() {
    assertThrows(AssertionFailedError.class, () -> DataFrameAssertions.assertSameRows(
        List.of(RowFactory.create((Object) null)), List.of(RowFactory.create("NULL")), "c"));
  }

  @Test
  void anIntIsNotALongNorAString() {
    assertThrows(AssertionFailedError.class, () -> DataFrameAssertions.assertSameRows(
        List.of(RowFactory.create(1)), List.of(RowFactory.create(1L)), "c"));
    assertThrows(AssertionFailedError.class, () -> DataFrameAssertions.assertSameRows(
        List.of(RowFactory.create(1)), List.of(RowFactory.create("1")), "c"));
  }

  @Test
  void aSeparatorInsideAValueDoesNotShiftColumns() {
    assertThrows(AssertionFailedError.class, () -> DataFrameAssertions.assertSameRows(
        List.of(RowFactory.create("a | b", "c")), List.of(RowFactory.create("a", "b | c")), "x", "y"));
  }

  @Test
  void equalTypedRowsPass() {
    DataFrameAssertions.assertSameRows(
        List.of(RowFactory.create(1, null, "x"), RowFactory.create(2, 3.5, "y")),
        List.of(RowFactory.create(2, 3.5, "y"), RowFactory.create(1, null, "x")), "a", "b", "c");
  }
}
