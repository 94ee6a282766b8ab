package dev.lakeline.jobs.pipelines;

import static org.apache.spark.sql.functions.expr;

import dev.lakeline.core.delta.WriteMode;
import dev.lakeline.core.spark.SqlColumns;
import dev.lakeline.featurestore.FeatureGroupSpec;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One feature group a pipeline writes: its definition, how each batch lands, and which output columns it takes.
 *
 * @param spec the group's definition (name, version, key, event time, partitions, description, suite)
 * @param mode {@code OVERWRITE}, {@code APPEND} or {@code MERGE} (upsert on primary key + event time)
 * @param columns the group's columns, in order: output columns of the steps by name, or SQL expressions over
 *     them; empty for every output column
 */
public record GroupTarget(FeatureGroupSpec spec, WriteMode mode, List<OutputColumn> columns) {
  /** A column of the group: {@code name}, or {@code name: <SQL expression>} when {@code expression} is set. */
  public record OutputColumn(String name, String expression) {
    Column column() {
      return expression == null ? SqlColumns.col(name) : expr(expression).as(name);
    }

    @Override
    public String toString() {
      return expression == null ? name : name + ": " + expression;
    }
  }

  public GroupTarget {
    columns = List.copyOf(columns);
  }

  /** The group's columns of the steps' output. */
  public Dataset<Row> select(Dataset<Row> features) {
    if (columns.isEmpty()) {
      return features;
    }
    return features.select(columns.stream().map(OutputColumn::column).toArray(Column[]::new));
  }

  /** The mode as a pipeline file spells it. */
  public String modeName() {
    return switch (mode) {
      case MERGE -> "upsert";
      case APPEND -> "append";
      default -> "overwrite";
    };
  }
}
