package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sin;

import dev.lakeline.core.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Step {@code cyclical}; see {@link DateFeatures#cyclical}. */
record Cyclical(String column, double period, String prefix) implements Step {
  static final String NAME = "cyclical";

  Cyclical {
    if (!(period > 0) || Double.isInfinite(period)) {
      throw Errors.config("Transformation '%s': period must be a positive number (24 for hours), got %s.", NAME, period);
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
    p.put("period", period);
    p.put("prefix", prefix);
    return p;
  }

  @Override
  public List<String> inputColumns() {
    return List.of(column);
  }

  @Override
  public StructType outputSchema(StructType input) {
    Schemas.numeric(input, NAME, column);
    Map<String, DataType> added = new LinkedHashMap<>();
    added.put(prefix + "_sin", DataTypes.DoubleType);
    added.put(prefix + "_cos", DataTypes.DoubleType);
    return Schemas.with(input, added);
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      Column angle = col(column).cast("double").multiply(lit(2 * Math.PI / period));
      Map<String, Column> added = new LinkedHashMap<>();
      added.put(prefix + "_sin", sin(angle));
      added.put(prefix + "_cos", cos(angle));
      return Schemas.with(df, added);
    });
  }
}
