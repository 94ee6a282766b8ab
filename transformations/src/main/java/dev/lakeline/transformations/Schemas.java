package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Spelling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/** Schema-level contract checks shared by the steps, and the one way a step runs. */
final class Schemas {
  private Schemas() {}

  /** The field {@code column} of {@code schema}; a missing column names the step, the column and a likely spelling. */
  static StructField field(StructType schema, String step, String column) {
    List<String> names = Arrays.asList(schema.fieldNames());
    if (!names.contains(column)) {
      String close = Spelling.closest(column, names);
      throw Errors.config(
          "Transformation '%s' needs column '%s', but the input has only %s.%s Add or rename the column before "
              + "this step.",
          step, column, names, close == null ? "" : " Did you mean '" + close + "'?");
    }
    return schema.apply(column);
  }

  static DataType numeric(StructType schema, String step, String column) {
    DataType type = field(schema, step, column).dataType();
    if (!(type instanceof NumericType)) {
      throw Errors.config(
          "Transformation '%s' needs a numeric column '%s', but it is %s. Cast it first.",
          step, column, type.simpleString());
    }
    return type;
  }

  static void string(StructType schema, String step, String column) {
    DataType type = field(schema, step, column).dataType();
    if (!DataTypes.StringType.sameType(type)) {
      throw Errors.config(
          "Transformation '%s' needs a string column '%s', but it is %s. Cast it first.",
          step, column, type.simpleString());
    }
  }

  /** A timestamp or date column (a date stands for midnight UTC of that day). */
  static DataType time(StructType schema, String step, String column) {
    DataType type = field(schema, step, column).dataType();
    if (!(type instanceof TimestampType) && !(type instanceof DateType)) {
      throw Errors.config(
          "Transformation '%s' needs a timestamp or date column '%s', but it is %s. Parse it with to_timestamp "
              + "first.",
          step, column, type.simpleString());
    }
    return type;
  }

  /** Whether Spark can sort by values of this type (maps cannot, nor anything that holds a map). */
  static boolean orderable(DataType type) {
    if (type instanceof MapType) {
      return false;
    }
    if (type instanceof ArrayType a) {
      return orderable(a.elementType());
    }
    if (type instanceof StructType s) {
      return Arrays.stream(s.fields()).allMatch(f -> orderable(f.dataType()));
    }
    return true;
  }

  /**
   * Checks that {@code step} adds no column whose name differs from another column's only in case: Spark and Delta
   * take such names as one column, so the output would be an ambiguous reference or a duplicate column when written.
   */
  static void distinctNames(Step step, StructType input, StructType output) {
    List<String> before = Arrays.asList(input.fieldNames());
    Map<String, String> byLowerCase = new LinkedHashMap<>();
    for (String name : output.fieldNames()) {
      String other = byLowerCase.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), name);
      if (other != null && !(before.contains(name) && before.contains(other))) {
        String existing = before.contains(name) ? name : other;
        throw Errors.config(
            "Transformation '%s' would write column '%s' beside column '%s': the names differ only in case, and Spark "
                + "and Delta take them as one column. Give the output another name (or exactly '%s' to replace that "
                + "column).", step.name(), existing.equals(name) ? other : name, existing, existing);
      }
    }
  }

  /** {@code input} with {@code added} columns: an existing name is replaced in place, new names go to the end. */
  static StructType with(StructType input, Map<String, DataType> added) {
    Map<String, DataType> rest = new LinkedHashMap<>(added);
    List<StructField> fields = new ArrayList<>();
    for (StructField f : input.fields()) {
      DataType replaced = rest.remove(f.name());
      fields.add(replaced == null ? f : new StructField(f.name(), replaced, true, f.metadata()));
    }
    rest.forEach((name, type) -> fields.add(DataTypes.createStructField(name, type, true)));
    return new StructType(fields.toArray(new StructField[0]));
  }

  /** The columns {@code keep} of {@code df} plus {@code added}, in the layout {@link #with(StructType, Map)} gives. */
  static Dataset<Row> with(Dataset<Row> df, List<String> keep, Map<String, Column> added) {
    Map<String, Column> rest = new LinkedHashMap<>(added);
    List<Column> select = new ArrayList<>();
    for (String name : keep) {
      Column replaced = rest.remove(name);
      select.add(replaced == null ? col(name) : replaced.as(name));
    }
    rest.forEach((name, c) -> select.add(c.as(name)));
    return df.select(select.toArray(new Column[0]));
  }

  static Dataset<Row> with(Dataset<Row> df, Map<String, Column> added) {
    return with(df, Arrays.asList(df.columns()), added);
  }

  /**
   * Runs a step: checks its contract on the input schema, builds the plan, and checks that the plan's schema is
   * the one the contract promised (a difference is a bug in the step, never a user error).
   */
  static Dataset<Row> run(Step step, Dataset<Row> input, UnaryOperator<Dataset<Row>> body) {
    StructType promised = step.outputSchema(input.schema());
    distinctNames(step, input.schema(), promised);
    Dataset<Row> out = body.apply(input);
    if (!sameNamesAndTypes(promised, out.schema())) {
      throw new IllegalStateException(
          "Step '" + step.name() + "' produced " + out.schema().simpleString() + " but its contract promised "
              + promised.simpleString());
    }
    return out;
  }

  static boolean sameNamesAndTypes(StructType a, StructType b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      if (!a.fields()[i].name().equals(b.fields()[i].name())
          || !a.fields()[i].dataType().sameType(b.fields()[i].dataType())) {
        return false;
      }
    }
    return true;
  }
}
