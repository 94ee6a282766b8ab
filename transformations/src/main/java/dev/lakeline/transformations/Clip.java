package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Step {@code clip}; see {@link NumericFeatures#clip}. */
record Clip(String column, Double min, Double max, String output) implements Step {
  static final String NAME = "clip";

  Clip {
    if (min == null && max == null) {
      throw Errors.config("Transformation '%s' needs 'min', 'max' or both.", NAME);
    }
    if ((min != null && min.isNaN()) || (max != null && max.isNaN())) {
      throw Errors.config("Transformation '%s': bounds cannot be NaN.", NAME);
    }
    if (min != null && max != null && min > max) {
      throw Errors.config("Transformation '%s': min %s is above max %s.", NAME, min, max);
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
    if (min != null) {
      p.put("min", min);
    }
    if (max != null) {
      p.put("max", max);
    }
    p.put("output", output);
    return p;
  }

  @Override
  public List<String> inputColumns() {
    return List.of(column);
  }

  @Override
  public StructType outputSchema(StructType input) {
    Schemas.numeric(input, NAME, column);
    return Schemas.with(input, Map.of(output, DataTypes.DoubleType));
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      Column x = col(column).cast("double");
      Column clipped = x;
      if (min != null) {
        clipped = greatest(clipped, lit(min));
      }
      if (max != null) {
        clipped = least(clipped, lit(max));
      }
      // greatest/least skip nulls, and Spark sorts NaN above every number: both are kept as they are.
      return Schemas.with(df, Map.of(output, when(x.isNull().or(isnan(x)), x).otherwise(clipped)));
    });
  }
}
