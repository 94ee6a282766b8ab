package dev.lakeline.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/** The expectations decided on the batch's schema alone: column existence, the column set, column types. */
final class SchemaChecks {
  private SchemaChecks() {}

  static ExpectationResult decide(Compiled c, StructType schema, long rows) {
    Expectation e = c.expectation();
    List<String> columns = Arrays.asList(schema.fieldNames());
    return switch (e.type()) {
      case "expect_column_to_exist" -> {
        String column = String.valueOf(e.kwargs().get("column"));
        int at = columns.indexOf(column);
        Object index = e.kwargs().get("column_index");
        boolean ok = at >= 0 && (index == null || ((Number) index).intValue() == at);
        String detail = at < 0 ? "column '" + column + "' is missing; the batch has " + columns
            : ok ? "column '" + column + "' is present" + (index == null ? "" : " at index " + at)
            : "column '" + column + "' is at index " + at + ", expected " + index;
        yield result(c, ok, rows, at < 0 ? null : at, detail);
      }
      case "expect_table_columns_to_match_set" -> {
        List<String> expected = ((List<?>) e.kwargs().get("column_set")).stream().map(String::valueOf).toList();
        boolean exact = !Boolean.FALSE.equals(e.kwargs().get("exact_match"));
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(columns);
        List<String> unexpected = new ArrayList<>(columns);
        unexpected.removeAll(expected);
        boolean ok = missing.isEmpty() && (!exact || unexpected.isEmpty());
        String detail = ok ? "the columns match" : "missing " + missing + (exact ? ", unexpected " + unexpected : "");
        yield result(c, ok, rows, columns, detail);
      }
      case "expect_column_values_to_be_of_type" -> {
        String column = String.valueOf(e.kwargs().get("column"));
        DataType actual = schema.apply(column).dataType();
        Predicate<DataType> matches = SparkTypes.parse(String.valueOf(e.kwargs().get("type_")));
        boolean ok = matches.test(actual);
        yield result(c, ok, rows, actual.simpleString(),
            "column '" + column + "' is " + actual.simpleString() + (ok ? "" : ", expected " + e.kwargs().get("type_")));
      }
      default -> throw new IllegalStateException("Not a schema expectation: " + e.type());
    };
  }

  private static ExpectationResult result(Compiled c, boolean ok, long rows, Object observed, String detail) {
    return new ExpectationResult(c.expectation(), c.label(), ok, rows, null, null, List.of(), observed, null, detail);
  }
}
