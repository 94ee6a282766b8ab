package dev.lakeline.transformations;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Step {@code time_since_previous}; see {@link EventFeatures#timeSincePrevious}. */
record TimeSincePrevious(EntityTime on, String output) implements Step {
  static final String NAME = "time_since_previous";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("entity", on.entity());
    p.put("time", on.time());
    p.put("output", output);
    return p;
  }

  @Override
  public List<String> inputColumns() {
    return on.columns();
  }

  @Override
  public StructType outputSchema(StructType input) {
    on.check(input, NAME);
    return Schemas.with(input, Map.of(output, DataTypes.DoubleType));
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      Column micros = on.micros(df.schema());
      Column valid = on.valid();
      // The latest earlier instant: a RANGE frame ending 1 us before this row, so rows at the same time are not
      // each other's previous event.
      Column previous = max(when(valid, micros))
          .over(Window.partitionBy(on.keys()).orderBy(micros).rangeBetween(Window.unboundedPreceding(), -1));
      Column seconds = micros.minus(previous).cast("double").divide(lit((double) Durations.MICROS_PER_SECOND));
      return Schemas.with(df, Map.of(output, when(valid, seconds)));
    });
  }
}
