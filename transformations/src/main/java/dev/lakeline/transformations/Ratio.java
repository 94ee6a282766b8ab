package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Step {@code ratio}; see {@link NumericFeatures#ratio}. */
record Ratio(String numerator, String denominator, String output) implements Step {
  static final String NAME = "ratio";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("numerator", numerator);
    p.put("denominator", denominator);
    p.put("output", output);
    return p;
  }

  @Override
  public List<String> inputColumns() {
    return List.of(numerator, denominator);
  }

  @Override
  public StructType outputSchema(StructType input) {
    Schemas.numeric(input, NAME, numerator);
    Schemas.numeric(input, NAME, denominator);
    return Schemas.with(input, Map.of(output, DataTypes.DoubleType));
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      Column d = col(denominator).cast(DataTypes.DoubleType);
      Column r = col(numerator).cast(DataTypes.DoubleType).divide(d);
      return Schemas.with(df, Map.of(output, when(d.isNotNull().and(d.notEqual(0.0)), r)));
    });
  }
}
