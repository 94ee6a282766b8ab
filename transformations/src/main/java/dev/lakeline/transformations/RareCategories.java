package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.Errors;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Step {@code rare_categories}; see {@link CategoricalFeatures#rareToBucket}. */
record RareCategories(String column, Long minCount, Double minShare, String bucket, String output) implements Step {
  static final String NAME = "rare_categories";
  private static final String CATEGORY = "__lakeline_category";
  private static final String N = "__lakeline_n";
  private static final String TOTAL = "__lakeline_total";
  private static final String RARE = "__lakeline_rare";

  RareCategories {
    if (minCount == null && minShare == null) {
      throw Errors.config("Transformation '%s' needs 'min_count', 'min_share' or both.", NAME);
    }
    if (minCount != null && minCount < 1) {
      throw Errors.config("Transformation '%s': min_count must be 1 or more, got %d.", NAME, minCount);
    }
    if (minShare != null && !(minShare > 0 && minShare <= 1)) {
      throw Errors.config("Transformation '%s': min_share must be in (0, 1], got %s.", NAME, minShare);
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
    if (minCount != null) {
      p.put("min_count", minCount);
    }
    if (minShare != null) {
      p.put("min_share", minShare);
    }
    p.put("bucket", bucket);
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
      Dataset<Row> counts = df.where(col(column).isNotNull()).groupBy(col(column).as(CATEGORY)).agg(count(lit(1)).as(N));
      Dataset<Row> total = counts.agg(sum(col(N)).as(TOTAL));
      Column rare = lit(false);
      if (minCount != null) {
        rare = rare.or(col(N).lt(lit(minCount)));
      }
      if (minShare != null) {
        rare = rare.or(col(N).cast("double").divide(col(TOTAL)).lt(lit(minShare)));
      }
      Dataset<Row> flags = counts.crossJoin(broadcast(total)).select(col(CATEGORY), rare.as(RARE));
      Dataset<Row> joined = df.join(flags, col(column).equalTo(col(CATEGORY)), "left");
      Column out = when(col(RARE), lit(bucket)).otherwise(col(column));
      return Schemas.with(joined, Arrays.asList(df.columns()), Map.of(output, out));
    });
  }
}
