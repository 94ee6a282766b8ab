package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Step {@code positive_flag}; see {@link NumericFeatures#positiveFlag}. */
record PositiveFlag(String column, String output) implements Step {
  static final String NAME = "positive_flag";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("column", column);
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
      // Spark orders NaN above every number, so NaN > 0 would be true: NaN is no value, and gives null like null.
      Column x = col(column);
      Column missing = x.isNull().or(isnan(x.cast("double")));
      return Schemas.with(df, Map.of(output, when(not(missing), when(x.gt(0), 1).otherwise(0))));
    });
  }
}
