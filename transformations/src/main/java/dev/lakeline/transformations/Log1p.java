package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.negate;
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

/** Step {@code log1p}; see {@link NumericFeatures#log1p}. */
record Log1p(String column, String negative, String output) implements Step {
  static final String NAME = "log1p";
  static final List<String> RULES = List.of("signed", "null");

  Log1p {
    if (!RULES.contains(negative)) {
      throw Errors.config("Transformation '%s': negative must be one of %s, got '%s'.", NAME, RULES, negative);
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
    p.put("negative", negative);
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
      Column forNegative = negative.equals("signed") ? negate(log1p(abs(x))) : null;
      Column out = forNegative == null ? when(x.geq(0), log1p(x)) : when(x.lt(0), forNegative).otherwise(log1p(x));
      return Schemas.with(df, Map.of(output, out));
    });
  }
}
