package dev.lakeline.validation.internal.spark;

import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import scala.collection.JavaConverters;

/**
 * Spark row values as plain JSON-friendly Java values: numbers, strings and booleans as they are, dates and
 * timestamps as ISO strings, binary as base64, arrays as lists, maps and structs as maps.
 */
public final class SparkValues {
  private SparkValues() {}

  public static Object toJava(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
        || v instanceof Double || v instanceof Float || v instanceof Short || v instanceof Byte) {
      return v;
    }
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof java.sql.Timestamp ts) { // an instant: its toString() would be the JVM zone's wall clock, unmarked
      return ts.toInstant().toString();
    }
    if (v instanceof java.util.Date || v instanceof Temporal) {
      return v.toString();
    }
    if (v instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (v instanceof Row r) {
      return rowToMap(r);
    }
    if (v instanceof scala.collection.Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      JavaConverters.mapAsJavaMap(m).forEach((k, x) -> out.put(String.valueOf(k), toJava(x)));
      return out;
    }
    if (v instanceof scala.collection.Seq<?> s) {
      List<Object> out = new ArrayList<>();
      JavaConverters.seqAsJavaList(s).forEach(x -> out.add(toJava(x)));
      return out;
    }
    return v.toString();
  }

  /** A row as column name → value, in column order. */
  public static Map<String, Object> rowToMap(Row row) {
    Map<String, Object> out = new LinkedHashMap<>();
    String[] names = row.schema() == null ? null : row.schema().fieldNames();
    for (int i = 0; i < row.length(); i++) {
      out.put(names == null ? "_" + i : names[i], toJava(row.get(i)));
    }
    return out;
  }
}
