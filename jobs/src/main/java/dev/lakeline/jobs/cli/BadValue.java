package dev.lakeline.jobs.cli;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A value in a CSV or JSON input that does not parse as its column's type: the column, the value and the type
 * expected (with the accepted format for dates and timestamps). Spark's own failure names the value at best, never
 * the column, and advises settings a command-line user cannot change; this is looked up on the failure path only,
 * by reading the input again with its values as text.
 *
 * @param expected the type, e.g. {@code double}, or {@code timestamp (write it as …)}
 */
record BadValue(String column, String value, String expected) {
  private static final int MAX_VALUE = 80;

  /** The first value of {@code input} that does not cast to its column's type in {@code schema}, if it finds one. */
  static Optional<BadValue> find(SparkSession spark, String input, String format, StructType schema) {
    try {
      Dataset<Row> raw = switch (format.toLowerCase(Locale.ROOT)) {
        case "csv" -> spark.read().option("header", "true").csv(input);
        case "json" -> spark.read().json(input);
        default -> null;
      };
      if (raw == null) {
        return Optional.empty();
      }
      List<String> have = Arrays.asList(raw.columns());
      List<StructField> typed = Arrays.stream(schema.fields())
          .filter(f -> have.contains(f.name()) && !f.dataType().sameType(DataTypes.StringType))
          .toList();
      if (typed.isEmpty()) {
        return Optional.empty();
      }
      List<Column> found = new ArrayList<>();
      Column any = lit(false);
      for (StructField f : typed) {
        String text = "CAST(" + SqlColumns.quoted(f.name()) + " AS STRING)";
        Column bad = expr(text + " IS NOT NULL AND try_cast(" + text + " AS " + f.dataType().sql() + ") IS NULL");
        found.add(when(bad, expr(text)));
        any = any.or(bad);
      }
      List<Row> rows = raw.filter(any).select(found.toArray(Column[]::new)).limit(1).collectAsList();
      if (rows.isEmpty()) {
        return Optional.empty();
      }
      for (int i = 0; i < typed.size(); i++) {
        if (!rows.get(0).isNullAt(i)) {
          String v = rows.get(0).getString(i);
          return Optional.of(new BadValue(typed.get(i).name(), v.length() <= MAX_VALUE ? v : v.substring(0, MAX_VALUE) + "…",
              expected(typed.get(i).dataType())));
        }
      }
      return Optional.empty();
    } catch (RuntimeException e) { // only a better message was at stake: the caller reports Spark's reason instead
      return Optional.empty();
    }
  }

  /** Spark's message on one line, without its error class, its SQL advice (try_cast, ANSI mode) and a double period. */
  static String withoutSparkAdvice(String message) {
    return message.strip()
        .replaceAll("\\s*\\R\\s*", "; ")
        .replaceAll("^\\[[A-Z_.]+\\]\\s*", "")
        .replaceAll("\\s*Use `try_cast`[^.]*\\.", "")
        .replaceAll("\\s*If necessary set \"[^\"]+\" to \"[^\"]+\" to bypass this error\\.?", "")
        .replaceAll("[.;\\s]+$", "");
  }

  private static String expected(DataType type) {
    if (type.sameType(DataTypes.TimestampType)) {
      return "timestamp (write it as yyyy-MM-dd HH:mm:ss[.SSSSSS], e.g. 2024-01-01 10:00:00, optionally with a zone "
          + "such as Z or +01:00)";
    }
    if (type.sameType(DataTypes.TimestampNTZType)) {
      return "timestamp_ntz (write it as yyyy-MM-dd HH:mm:ss[.SSSSSS], e.g. 2024-01-01 10:00:00)";
    }
    if (type.sameType(DataTypes.DateType)) {
      return "date (write it as yyyy-MM-dd, e.g. 2024-01-01)";
    }
    if (type.sameType(DataTypes.BooleanType)) {
      return "boolean (true or false)";
    }
    return type.simpleString();
  }
}
