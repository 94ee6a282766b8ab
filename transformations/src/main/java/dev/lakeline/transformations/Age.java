package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import dev.lakeline.core.Errors;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructType;

/** Step {@code age}; see {@link DateFeatures#age} and {@link DateFeatures#ageAsOf}. */
record Age(String column, String asOfColumn, LocalDate asOf, String unit, String output) implements Step {
  static final String NAME = "age";
  static final List<String> UNITS = List.of("years", "days");

  Age {
    if ((asOfColumn == null) == (asOf == null)) {
      throw Errors.config(
          "Transformation '%s' needs exactly one of 'as_of_column' (a date column) or 'as_of' (a fixed date); the "
              + "wall clock is never used.", NAME);
    }
    if (!UNITS.contains(unit)) {
      throw Errors.config("Transformation '%s': unit '%s' is not one of %s.", NAME, unit, UNITS);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("column", column);
    if (asOfColumn != null) {
      p.put("as_of_column", asOfColumn);
    } else {
      p.put("as_of", asOf.toString());
    }
    p.put("unit", unit);
    p.put("output", output);
    return p;
  }

  @Override
  public List<String> inputColumns() {
    List<String> in = new ArrayList<>(List.of(column));
    if (asOfColumn != null) {
      in.add(asOfColumn);
    }
    return in;
  }

  @Override
  public StructType outputSchema(StructType input) {
    Schemas.time(input, NAME, column);
    if (asOfColumn != null) {
      Schemas.time(input, NAME, asOfColumn);
    }
    return Schemas.with(input, Map.of(output, DataTypes.IntegerType));
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      Column from = utcDate(df.schema(), column);
      Column to = asOfColumn != null ? utcDate(df.schema(), asOfColumn) : lit(java.sql.Date.valueOf(asOf));
      Column days = datediff(to, from);
      Column beforeBirthday = month(to).multiply(100).plus(dayofmonth(to))
          .lt(month(from).multiply(100).plus(dayofmonth(from)));
      Column years = year(to).minus(year(from)).minus(when(beforeBirthday, 1).otherwise(0));
      Column age = unit.equals("days") ? days : years;
      return Schemas.with(df, Map.of(output, when(days.geq(0), age.cast("int"))));
    });
  }

  /** The UTC calendar date of a date or timestamp column. */
  private static Column utcDate(StructType schema, String name) {
    return schema.apply(name).dataType() instanceof DateType
        ? col(name)
        : date_from_unix_date(Times.dayNumber(Times.micros(name, schema.apply(name).dataType())).cast("int"));
  }
}
