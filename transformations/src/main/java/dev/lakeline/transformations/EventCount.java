package dev.lakeline.transformations;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Step {@code event_count}; see {@link EventFeatures#eventCount}. */
record EventCount(EntityTime on, boolean cumulative, String output) implements Step {
  static final String NAME = "event_count";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("entity", on.entity());
    p.put("time", on.time());
    p.put("cumulative", cumulative);
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
    return Schemas.with(input, Map.of(output, DataTypes.LongType));
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      Column valid = on.valid();
      WindowSpec w = cumulative
          ? Window.partitionBy(on.keys()).orderBy(on.micros(df.schema()))
              .rangeBetween(Window.unboundedPreceding(), Window.currentRow())
          : Window.partitionBy(on.keys());
      return Schemas.with(df, Map.of(output, when(valid, count(when(valid, lit(1))).over(w))));
    });
  }
}
