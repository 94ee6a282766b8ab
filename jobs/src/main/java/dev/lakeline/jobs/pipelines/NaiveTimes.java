package dev.lakeline.jobs.pipelines;

import static org.apache.spark.sql.functions.col;

import dev.lakeline.core.spark.SqlColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Wall-clock times without a zone, as files hold them, read the way Lakeline reads every time: in UTC. */
public final class NaiveTimes {
  private NaiveTimes() {}

  /**
   * Every TIMESTAMP_NTZ column (a wall-clock time without a zone: what pandas writes for naive datetimes, and what Spark
   * 3.5 reads such Parquet columns as) as a TIMESTAMP of that wall-clock time in UTC, Lakeline's time everywhere,
   * whatever the session's zone (a cast would read it in the session's zone); unless {@code declared} (a pipeline
   * file's source schema, a group's schema; may be null) has the column as {@code timestamp_ntz}. Top-level columns only.
   */
  public static Dataset<Row> asUtc(Dataset<Row> df, StructType declared) {
    List<Column> out = new ArrayList<>();
    boolean any = false;
    for (StructField f : df.schema().fields()) {
      String c = SqlColumns.quoted(f.name());
      boolean keep = declared != null && Arrays.asList(declared.fieldNames()).contains(f.name())
          && declared.apply(f.name()).dataType() instanceof org.apache.spark.sql.types.TimestampNTZType;
      if (f.dataType() instanceof org.apache.spark.sql.types.TimestampNTZType && !keep) {
        // the fields of the wall-clock time, seconds with their microseconds, made into an instant in UTC
        out.add(functions.expr("make_timestamp(year(%1$s), month(%1$s), day(%1$s), hour(%1$s), minute(%1$s), "
            .formatted(c) + "date_part('SECOND', %s), 'UTC')".formatted(c)).as(f.name()));
        any = true;
      } else {
        out.add(col(c));
      }
    }
    return any ? df.select(out.toArray(Column[]::new)) : df;
  }
}
