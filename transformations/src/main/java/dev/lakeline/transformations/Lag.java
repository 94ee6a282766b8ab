package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Step {@code lag}; see {@link EventFeatures#lag}. */
record Lag(EntityTime on, String value, List<Integer> offsets, String prefix) implements Step {
  static final String NAME = "lag";

  Lag {
    offsets = List.copyOf(offsets);
    if (offsets.isEmpty()) {
      throw Errors.config("Transformation '%s' needs at least one offset, for example [1, 2].", NAME);
    }
    for (int n : offsets) {
      if (n < 1) {
        throw Errors.config("Transformation '%s': offset %d must be 1 or more (1 = the previous event).", NAME, n);
      }
    }
    if (offsets.stream().distinct().count() < offsets.size()) {
      throw Errors.config("Transformation '%s': offset listed twice in %s.", NAME, offsets);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("entity", on.entity());
    p.put("time", on.time());
    p.put("value", value);
    p.put("offsets", offsets);
    p.put("prefix", prefix);
    return p;
  }

  @Override
  public List<String> inputColumns() {
    List<String> in = on.columns();
    in.add(value);
    return in;
  }

  @Override
  public StructType outputSchema(StructType input) {
    on.check(input, NAME);
    DataType type = Schemas.field(input, NAME, value).dataType();
    Map<String, DataType> added = new LinkedHashMap<>();
    offsets.forEach(n -> added.put(prefix + "_lag_" + n, type));
    return Schemas.with(input, added);
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      // Events in time order; rows with no time go last so that they are nobody's previous event. Ties at one
      // time are ordered by the other columns (schema order, ascending, nulls first) so reruns agree.
      List<Column> order = new ArrayList<>();
      order.add(on.micros(df.schema()).asc_nulls_last());
      for (StructField f : df.schema().fields()) {
        if (!on.entity().contains(f.name()) && !f.name().equals(on.time()) && Schemas.orderable(f.dataType())) {
          order.add(col(f.name()).asc_nulls_first());
        }
      }
      WindowSpec w = Window.partitionBy(on.keys()).orderBy(order.toArray(new Column[0]));
      Column valid = on.valid();
      Map<String, Column> added = new LinkedHashMap<>();
      offsets.forEach(n -> added.put(prefix + "_lag_" + n, when(valid, lag(col(value), n).over(w))));
      return Schemas.with(df, added);
    });
  }
}
