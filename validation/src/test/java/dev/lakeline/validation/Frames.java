package dev.lakeline.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/** Small builders for the validation tests. */
final class Frames {
  private Frames() {}

  /** A frame from a DDL schema ("id INT, name STRING") and rows. */
  static Dataset<Row> frame(SparkSession spark, String ddl, Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return spark.createDataFrame(list, StructType.fromDDL(ddl));
  }

  /** A one-column frame. */
  static Dataset<Row> column(SparkSession spark, String name, DataType type, Object... values) {
    List<Row> rows = new ArrayList<>();
    for (Object v : values) {
      rows.add(RowFactory.create(v));
    }
    return spark.createDataFrame(rows, new StructType().add(name, type));
  }

  static Object[] row(Object... values) {
    return values;
  }

  /** kwargs in order, from alternating keys and values (nulls allowed). */
  static Map<String, Object> kw(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Expectation e(String type, Object... kv) {
    return Expectation.of(type, kw(kv));
  }

  static ExpectationSuite suite(Expectation... expectations) {
    return new ExpectationSuite("t", List.of(expectations));
  }

  /** The single result of validating {@code batch} with one expectation. */
  static ExpectationResult one(Dataset<Row> batch, Expectation e) {
    return Validator.validate(batch, suite(e)).results().get(0);
  }

  /** The rows' {@link Validator#FAILED_EXPECTATIONS_COLUMN} values, in the order of {@code orderBy}. */
  static List<List<String>> failedLabels(Dataset<Row> rowLevel, String orderBy) {
    List<List<String>> out = new ArrayList<>();
    for (Row r : rowLevel.orderBy(orderBy).collectAsList()) {
      out.add(r.getList(r.fieldIndex(Validator.FAILED_EXPECTATIONS_COLUMN)));
    }
    return out;
  }
}
