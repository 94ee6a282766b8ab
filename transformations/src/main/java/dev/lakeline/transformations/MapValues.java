package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
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

/** Step {@code map_values}; see {@link CategoricalFeatures#mapValues}. */
record MapValues(String column, Map<String, String> mapping, String otherwise, String output) implements Step {
  static final String NAME = "map_values";

  MapValues {
    mapping = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
    if (mapping.isEmpty()) {
      throw Errors.config("Transformation '%s' needs a non-empty mapping.", NAME);
    }
    mapping.forEach((k, v) -> {
      if (k == null || v == null) {
        throw Errors.config("Transformation '%s': the mapping cannot map from or to null (%s: %s).", NAME, k, v);
      }
    });
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("column", column);
    p.put("mapping", mapping);
    if (otherwise != null) {
      p.put("default", otherwise);
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
    Schemas.string(input, NAME, column);
    return Schemas.with(input, Map.of(output, DataTypes.StringType));
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      Column c = col(column);
      Column out = null;
      for (Map.Entry<String, String> e : mapping.entrySet()) {
        out = out == null ? when(c.equalTo(e.getKey()), e.getValue()) : out.when(c.equalTo(e.getKey()), e.getValue());
      }
      out = out.otherwise(otherwise == null ? c : lit(otherwise));
      return Schemas.with(df, Map.of(output, when(c.isNotNull(), out)));
    });
  }
}
