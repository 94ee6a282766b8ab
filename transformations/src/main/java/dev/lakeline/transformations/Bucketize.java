package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
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

/** Step {@code bucketize}; see {@link NumericFeatures#bucketize}. */
record Bucketize(String column, List<Double> boundaries, String output) implements Step {
  static final String NAME = "bucketize";

  Bucketize {
    boundaries = List.copyOf(boundaries);
    if (boundaries.isEmpty()) {
      throw Errors.config("Transformation '%s' needs at least one boundary.", NAME);
    }
    for (int i = 0; i < boundaries.size(); i++) {
      double b = boundaries.get(i);
      if (Double.isNaN(b) || Double.isInfinite(b)) {
        throw Errors.config("Transformation '%s': boundary %s is not a finite number.", NAME, b);
      }
      if (i > 0 && !(boundaries.get(i - 1) < b)) {
        throw Errors.config("Transformation '%s': boundaries must increase strictly, got %s.", NAME, boundaries);
      }
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
    p.put("boundaries", boundaries);
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
    return Schemas.with(input, Map.of(output, DataTypes.IntegerType));
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      Column x = col(column).cast("double");
      // The bucket is the number of boundaries at or below the value: [b(i-1), b(i)) is bucket i.
      Column bucket = lit(0);
      for (double b : boundaries) {
        bucket = bucket.plus(when(x.geq(b), 1).otherwise(0));
      }
      return Schemas.with(df, Map.of(output, when(x.isNotNull().and(not(isnan(x))), bucket.cast("int"))));
    });
  }
}
