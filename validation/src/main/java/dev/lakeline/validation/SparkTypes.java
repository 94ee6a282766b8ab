package dev.lakeline.validation;

import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code type_} of {@code expect_column_values_to_be_of_type}: a Spark SQL type name ({@code int}, {@code
 * bigint}, {@code decimal(10,2)}, {@code array<string>}) or a type class name as Great Expectations writes them
 * on Spark ({@code IntegerType}, {@code StringType}). A bare {@code decimal}, {@code array}, {@code map} or
 * {@code struct} matches any precision or element type.
 */
final class SparkTypes {
  private static final Map<String, String> CLASS_NAMES =
      Map.ofEntries(
          Map.entry("integer", "int"),
          Map.entry("long", "bigint"),
          Map.entry("short", "smallint"),
          Map.entry("byte", "tinyint"),
          Map.entry("timestampntz", "timestamp_ntz"));

  private SparkTypes() {}

  /** A test for column types matching {@code name}, or null when {@code name} is not a type. */
  static Predicate<DataType> parse(String name) {
    String n = name.trim();
    if (n.endsWith("Type") && n.length() > 4 && !n.contains("<") && !n.contains("(")) {
      n = n.substring(0, n.length() - 4).toLowerCase(Locale.ROOT);
      n = CLASS_NAMES.getOrDefault(n, n);
    }
    switch (n.toLowerCase(Locale.ROOT)) {
      case "decimal", "numeric", "dec":
        return t -> t instanceof DecimalType;
      case "array":
        return t -> t instanceof ArrayType;
      case "map":
        return t -> t instanceof MapType;
      case "struct":
        return t -> t instanceof StructType;
      default:
        break;
    }
    DataType expected;
    try {
      expected = DataType.fromDDL(n);
    } catch (Exception e) { // Spark's ParseException is a checked exception thrown from Scala
      return null;
    }
    String want = expected.catalogString();
    return t -> t.catalogString().equals(want);
  }
}
