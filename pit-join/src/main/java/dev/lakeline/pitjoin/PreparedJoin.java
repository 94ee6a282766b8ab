package dev.lakeline.pitjoin;

import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/**
 * One {@link FeatureJoin} checked against its data (see {@link JoinChecks}), with what both strategies need: the
 * internal names of its output columns and the types of its keys, tie-break and features.
 *
 * @param index the join's position in the spec (names its internal columns)
 * @param join the join
 * @param data the source's rows
 * @param keyTypes the key types (the same on both sides)
 * @param tieBreakType the tie-break column's type, or null without one
 * @param featureFields the selected features as they are in the source
 * @param timeType the time type of both sides (TIMESTAMP or DATE)
 */
record PreparedJoin(
    int index,
    FeatureJoin join,
    Dataset<Row> data,
    List<DataType> keyTypes,
    DataType tieBreakType,
    List<StructField> featureFields,
    DataType timeType) {

  /** The internal output column of feature {@code i}; renamed to {@link FeatureJoin#outputName} at the end. */
  String valueColumn(int i) {
    return "__pit_v" + index + "_" + i;
  }

  /** The internal output column that is true when a row matched. */
  String matchedColumn() {
    return "__pit_m" + index;
  }

  /** The join's maximum age in microseconds, {@code Long.MAX_VALUE} without one. */
  long maxAgeMicros() {
    if (join.maxAge() == null) {
      return Long.MAX_VALUE;
    }
    try {
      return Math.addExact(Math.multiplyExact(join.maxAge().getSeconds(), 1_000_000L), join.maxAge().getNano() / 1_000L);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Whether the source's time column with key columns all set: rows without them never match. */
  Column usableRow() {
    Column ok = SqlColumns.col(join.featureTime()).isNotNull();
    for (String k : join.featureKeys()) {
      ok = ok.and(SqlColumns.col(k).isNotNull());
    }
    return ok;
  }

  /** The source's key columns. */
  List<Column> featureKeyColumns() {
    List<Column> out = new ArrayList<>();
    join.featureKeys().forEach(k -> out.add(SqlColumns.col(k)));
    return out;
  }
}
