package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.row_number;

import dev.lakeline.core.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Step {@code dedup_latest}; see {@link Dedup#latest}. */
record DedupLatest(List<String> keys, String time) implements Step {
  static final String NAME = "dedup_latest";
  private static final String RANK = "__lakeline_rank";

  DedupLatest {
    keys = List.copyOf(keys);
    if (keys.isEmpty()) {
      throw Errors.config("Transformation '%s' needs at least one key column.", NAME);
    }
    if (keys.contains(time)) {
      throw Errors.config("Transformation '%s': the time column '%s' cannot also be a key.", NAME, time);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("keys", keys);
    p.put("time", time);
    return p;
  }

  @Override
  public List<String> inputColumns() {
    List<String> in = new ArrayList<>(keys);
    in.add(time);
    return in;
  }

  @Override
  public StructType outputSchema(StructType input) {
    keys.forEach(k -> Schemas.field(input, NAME, k));
    DataType type = Schemas.field(input, NAME, time).dataType();
    if (!Schemas.orderable(type)) {
      throw Errors.config("Transformation '%s': column '%s' (%s) cannot be ordered.", NAME, time, type.simpleString());
    }
    return input;
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    return Schemas.run(this, input, df -> {
      // Latest time first (null time last); ties go to the row that sorts last on the other columns in schema order
      // (descending, nulls last), so the kept row does not depend on partitioning or input order.
      List<Column> order = new ArrayList<>();
      order.add(col(time).desc_nulls_last());
      for (StructField f : df.schema().fields()) {
        if (!keys.contains(f.name()) && !f.name().equals(time) && Schemas.orderable(f.dataType())) {
          order.add(col(f.name()).desc_nulls_last());
        }
      }
      Column rank = row_number().over(
          Window.partitionBy(keys.stream().map(Columns::col).toArray(Column[]::new)).orderBy(order.toArray(new Column[0])));
      return df.withColumn(RANK, rank).where(col(RANK).equalTo(1)).drop(RANK);
    });
  }
}
