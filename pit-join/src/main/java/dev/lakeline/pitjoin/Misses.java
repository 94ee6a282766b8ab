package dev.lakeline.pitjoin;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What happens to a miss, the same for every strategy: defaults, inner joins, and the final column names. */
final class Misses {
  private Misses() {}

  /**
   * From a strategy's result (the spine's columns, then per join its value columns and matched flag) to the
   * join's output: inner joins drop their misses, defaults fill the others, columns get their output names.
   */
  static Dataset<Row> finish(Dataset<Row> raw, List<String> spineColumns, List<PreparedJoin> joins) {
    Dataset<Row> out = raw;
    for (PreparedJoin j : joins) {
      if (j.join().inner()) {
        out = out.where(col(j.matchedColumn()));
      }
    }
    List<Column> select = new ArrayList<>();
    spineColumns.forEach(c -> select.add(SqlColumns.col(c)));
    for (PreparedJoin j : joins) {
      FeatureJoin fj = j.join();
      for (int i = 0; i < fj.features().size(); i++) {
        String f = fj.features().get(i);
        Column value = col(j.valueColumn(i));
        Object d = fj.defaults().get(f);
        if (d != null) {
          value = when(col(j.matchedColumn()), value).otherwise(lit(d).cast(j.featureFields().get(i).dataType()));
        }
        select.add(value.as(fj.outputName(f)));
      }
    }
    return out.select(select.toArray(Column[]::new));
  }
}
