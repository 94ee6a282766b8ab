package dev.lakeline.testkit;

import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on DataFrames that say which rows differ. Rows compare as multisets (order does not matter,
 * duplicates do); on failure the message lists the rows only in the expected side and only in the actual side,
 * side by side under one header.
 */
public final class DataFrameAssertions {
  private static final int SHOWN = 20;

  private DataFrameAssertions() {}

  /** Asserts that both frames have the same column names and the same rows (as multisets). */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertSameColumns(expected.schema(), actual.schema());
    Dataset<Row> aligned = actual.selectExpr(quoted(expected.columns()));
    assertSameRows(expected.collectAsList(), aligned.collectAsList(), expected.columns());
  }

  /** Asserts that {@code actual} holds exactly {@code expected} (as multisets), with the given header. */
  public static void assertSameRows(List<Row> expected, List<Row> actual, String... header) {
    Map<List<Object>, Integer> exp = counts(expected);
    Map<List<Object>, Integer> act = counts(actual);
    List<String> onlyExpected = difference(exp, act);
    List<String> onlyActual = difference(act, exp);
    if (onlyExpected.isEmpty() && onlyActual.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    b.append(String.format(
        "DataFrames differ: %d expected rows, %d actual rows; %d only in expected, %d only in actual.%n",
        expected.size(), actual.size(), onlyExpected.size(), onlyActual.size()));
    b.append("columns: ").append(String.join(", ", header)).append('\n');
    int width = Math.max(12, onlyExpected.stream().limit(SHOWN).mapToInt(String::length).max().orElse(0));
    b.append(String.format("%-" + width + "s | %s%n", "only in expected", "only in actual"));
    b.append("-".repeat(width)).append("-+-").append("-".repeat(Math.max(14, width))).append('\n');
    for (int i = 0; i < Math.min(SHOWN, Math.max(onlyExpected.size(), onlyActual.size())); i++) {
      String l = i < onlyExpected.size() ? onlyExpected.get(i) : "";
      String r = i < onlyActual.size() ? onlyActual.get(i) : "";
      b.append(String.format("%-" + width + "s | %s%n", l, r));
    }
    if (Math.max(onlyExpected.size(), onlyActual.size()) > SHOWN) {
      b.append("… (first ").append(SHOWN).append(" differences shown)\n");
    }
    throw new AssertionFailedError(b.toString());
  }

  /** Asserts the column names (in any order). */
  public static void assertSameColumns(StructType expected, StructType actual) {
    List<String> e = Arrays.stream(expected.fieldNames()).sorted().collect(Collectors.toList());
    List<String> a = Arrays.stream(actual.fieldNames()).sorted().collect(Collectors.toList());
    if (!e.equals(a)) {
      List<String> missing = new ArrayList<>(e);
      missing.removeAll(a);
      List<String> extra = new ArrayList<>(a);
      extra.removeAll(e);
      throw new AssertionFailedError(
          "Columns differ: missing " + missing + ", unexpected " + extra + "\nexpected: " + expected.treeString()
              + "actual:   " + actual.treeString());
    }
  }

  /** The row as text, for comparisons and messages: values joined by " | ", nulls as NULL. */
  public static String render(Row row) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < row.length(); i++) {
      if (i > 0) {
        b.append(" | ");
      }
      Object v = row.get(i);
      b.append(v == null ? "NULL" : v instanceof Row r ? "{" + render(r) + "}" : v.toString());
    }
    return b.toString();
  }

  /** Rows by their typed values (so 1, 1L, "1" and NULL, "NULL" differ), with how often each occurs. */
  private static Map<List<Object>, Integer> counts(List<Row> rows) {
    Map<List<Object>, Integer> m = new LinkedHashMap<>();
    rows.stream().sorted(java.util.Comparator.comparing(DataFrameAssertions::render)).forEach(r -> m.merge(values(r), 1, Integer::sum));
    return m;
  }

  private static List<Object> values(Row row) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < row.length(); i++) {
      Object v = row.get(i);
      if (v instanceof Row nested) {
        v = values(nested);
      } else if (v instanceof byte[] bytes) {
        v = Arrays.toString(bytes);
      } else if (v instanceof scala.collection.Seq<?> seq) {
        v = new ArrayList<>(scala.collection.JavaConverters.seqAsJavaList(seq));
      }
      out.add(v == null ? null : List.of(v.getClass().getName(), v));
    }
    return out;
  }

  private static List<String> difference(Map<List<Object>, Integer> a, Map<List<Object>, Integer> b) {
    List<String> out = new ArrayList<>();
    a.forEach(
        (row, n) -> {
          for (int i = b.getOrDefault(row, 0); i < n; i++) {
            out.add(show(row));
          }
        });
    return out;
  }

  @SuppressWarnings("unchecked")
  private static String show(List<Object> typed) {
    StringBuilder b = new StringBuilder();
    for (Object t : typed) {
      if (b.length() > 0) {
        b.append(" | ");
      }
      Object v = t == null ? null : ((List<Object>) t).get(1);
      b.append(v == null ? "NULL" : v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof List ? "{" + show((List<Object>) v) + "}" : v);
    }
    return b.toString();
  }

  private static String[] quoted(String[] columns) {
    return Arrays.stream(columns).map(SqlColumns::quoted).toArray(String[]::new);
  }
}
