package dev.lakeline.transformations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/** Small helpers for hand-made test data. */
final class TestData {
  private TestData() {}

  /** An instant written in ISO form with a zone, e.g. 2024-01-01T10:00:00Z: independent of the JVM's zone. */
  static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }

  static java.sql.Date date(String iso) {
    return java.sql.Date.valueOf(iso);
  }

  /** A schema from "name type" pairs, e.g. schema("id int", "v double"). */
  static StructType schema(String... fields) {
    StructType s = new StructType();
    for (String f : fields) {
      String[] parts = f.split(" ");
      s = s.add(parts[0], DataType.fromDDL(parts[1]), true);
    }
    return s;
  }

  static Dataset<Row> frame(SparkSession spark, StructType schema, Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return spark.createDataFrame(list, schema);
  }

  static Object[] row(Object... values) {
    return values;
  }

  /** The values of {@code columns}, rows sorted by the first column (an id), each row as a list. */
  static List<List<Object>> values(Dataset<Row> df, String... columns) {
    return df.selectExpr(Arrays.stream(columns).map(c -> "`" + c + "`").toArray(String[]::new))
        .collectAsList().stream()
        .map(r -> {
          List<Object> l = new ArrayList<>();
          for (int i = 0; i < r.length(); i++) {
            l.add(r.get(i));
          }
          return l;
        })
        .sorted((a, b) -> String.valueOf(a.get(0)).compareTo(String.valueOf(b.get(0))))
        .collect(Collectors.toList());
  }

  /** The single column {@code column}, keyed by the string form of {@code id}. */
  static <T> java.util.Map<String, T> byId(Dataset<Row> df, String id, String column, Function<Object, T> cast) {
    java.util.Map<String, T> m = new java.util.TreeMap<>();
    for (Row r : df.select(Columns.col(id), Columns.col(column)).collectAsList()) {
      m.put(String.valueOf(r.get(0)), r.isNullAt(1) ? null : cast.apply(r.get(1)));
    }
    return m;
  }

  static void assertClose(Double expected, Object actual, String what) {
    if (expected == null) {
      assertEquals(null, actual, what);
      return;
    }
    assertTrue(actual instanceof Double, what + ": expected a double, got " + actual);
    assertEquals(expected, (Double) actual, 1e-9, what);
  }

  /**
   * The same rows in the same order; doubles equal up to rounding (relative 1e-12: sums taken in another order),
   * NaN equal to NaN, everything else exactly.
   */
  static void assertSameRows(List<Row> expected, List<Row> actual, String[] columns) {
    assertEquals(expected.size(), actual.size(), "row count");
    for (int i = 0; i < expected.size(); i++) {
      Row e = expected.get(i);
      Row a = actual.get(i);
      assertEquals(e.size(), a.size(), "row width");
      for (int c = 0; c < e.size(); c++) {
        String what = "row " + i + " (" + e.get(0) + "), column " + columns[c];
        if (e.get(c) instanceof Double d && a.get(c) instanceof Double x && !d.isNaN() && !d.equals(x)) {
          assertEquals(d, x, 1e-12 * Math.max(1, Math.abs(d)), what);
        } else if (e.get(c) instanceof byte[] bytes && a.get(c) instanceof byte[] other) {
          org.junit.jupiter.api.Assertions.assertArrayEquals(bytes, other, what);
        } else {
          assertEquals(e.get(c), a.get(c), what);
        }
      }
    }
  }
}
