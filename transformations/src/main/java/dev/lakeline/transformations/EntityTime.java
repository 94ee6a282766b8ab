package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/** The entity-and-time columns of the per-entity event steps, and the checks and expressions they share. */
record EntityTime(List<String> entity, String time) {
  EntityTime {
    entity = List.copyOf(entity);
    if (entity.isEmpty()) {
      throw dev.lakeline.core.Errors.config("An entity needs at least one key column.");
    }
  }

  void check(StructType input, String step) {
    entity.forEach(e -> Schemas.field(input, step, e));
    Schemas.time(input, step, time);
  }

  List<String> columns() {
    List<String> in = new ArrayList<>(entity);
    in.add(time);
    return in;
  }

  Column[] keys() {
    return entity.stream().map(Columns::col).toArray(Column[]::new);
  }

  /** True on rows with a time and a complete key: the rows that are events. */
  Column valid() {
    Column valid = col(time).isNotNull();
    for (String e : entity) {
      valid = valid.and(col(e).isNotNull());
    }
    return valid;
  }

  Column micros(StructType schema) {
    DataType type = schema.apply(time).dataType();
    return Times.micros(time, type);
  }
}
