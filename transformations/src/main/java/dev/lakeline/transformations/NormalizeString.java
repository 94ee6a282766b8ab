package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Step {@code normalize_string}; see {@link CategoricalFeatures#normalize}. */
record NormalizeString(String column, boolean emptyAsNull, String output) implements Step {
  static final String NAME = "normalize_string";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("column", column);
    p.put("empty_as_null", emptyAsNull);
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
      // (?U): Unicode white space, so tabs, new lines and no-break spaces count as spaces too.
      Column collapsed = regexp_replace(col(column), "(?U)\\s+", " ");
      Column trimmed = regexp_replace(collapsed, "^ | $", "");
      Column cleaned = lower(trimmed);
      Column out = emptyAsNull ? when(cleaned.notEqual(""), cleaned) : cleaned;
      return Schemas.with(df, Map.of(output, out.cast("string")));
    });
  }
}
