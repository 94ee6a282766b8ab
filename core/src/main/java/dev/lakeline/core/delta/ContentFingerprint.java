package dev.lakeline.core.delta;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftright;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import dev.lakeline.core.spark.SqlColumns;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The content of a batch in one string: its row count, an order-independent sum of a 64-bit hash of every row,
 * and its schema. Two batches with the same rows in any order and partitioning have the same fingerprint.
 *
 * <p>The row hash is {@code xxhash64} of all columns plus each column's null flag (xxhash64 skips nulls, so
 * {@code (1, NULL)} and {@code (NULL, 1)} would collide otherwise). Its sum is taken in three parts of 22, 21 and
 * 21 bits, {@link #parts}, so that any engine that sums integers (Spark, or Deequ's {@code Sum} analyzer, which
 * returns a double) adds them exactly for batches below 2<sup>31</sup> rows; {@link #of} recombines them. The
 * validation run computes the parts in its own scan, so the commit needs no pass of its own.
 *
 * <p>A commit whose files hold exactly the batch's rows (a validated append written before its commit) may
 * record a {@link #deferred} fingerprint instead: the row count and a note that the content is the commit's own
 * files. A replay of the batch then computes the fingerprint of those files (see {@link DeltaCommits}) to compare,
 * so that the write, which is the common case, does not hash every row for the rare replay.
 *
 * @param rows the batch's row count
 * @param value the fingerprint recorded in the commit
 */
public record ContentFingerprint(long rows, String value) {
  /** The largest batch whose parts a double-valued sum still adds exactly. */
  public static final long MAX_EXACT_ROWS = (1L << 31) - 1;

  private static final long LOW_BITS = (1L << 21) - 1;

  /** The value of a {@link #deferred} fingerprint ends with this. */
  private static final String DEFERRED = ":files";

  /**
   * The fingerprint of a commit whose data files hold exactly the batch's {@code rows} rows: its content is
   * computed from those files when a replay needs it ({@link #isDeferred}).
   */
  public static ContentFingerprint deferred(long rows) {
    return new ContentFingerprint(rows, rows + DEFERRED);
  }

  /** Whether {@code value} (as recorded in a commit) names the commit's own files rather than a content hash. */
  public static boolean isDeferred(String value) {
    return value != null && value.endsWith(DEFERRED);
  }

  /** Whether this fingerprint is {@link #deferred}. */
  public boolean isDeferred() {
    return isDeferred(value);
  }

  /**
   * The three integer columns whose sums make the fingerprint of {@code data}, hashing {@code columns} (the
   * batch's columns in order, possibly renamed in a view: names do not enter the hash, values and types do).
   */
  public static List<Column> parts(Dataset<Row> data, List<String> columns) {
    Column[] cols = columns.stream().map(SqlColumns::col).toArray(Column[]::new);
    Column h = cols.length == 0
        ? lit(0L)
        : xxhash64(Stream.concat(Arrays.stream(cols), Arrays.stream(cols).map(Column::isNull)).toArray(Column[]::new));
    return List.of(shiftright(h, 42), shiftright(h, 21).bitwiseAND(LOW_BITS), h.bitwiseAND(LOW_BITS));
  }

  /** The fingerprint from the row count and the sums of the three {@link #parts}. */
  public static ContentFingerprint of(long rows, long high, long middle, long low, StructType schema) {
    BigInteger sum = BigInteger.valueOf(high).shiftLeft(42)
        .add(BigInteger.valueOf(middle).shiftLeft(21))
        .add(BigInteger.valueOf(low));
    return new ContentFingerprint(rows, rows + ":" + sum + ":" + schema.json().hashCode());
  }

  /** Computes the fingerprint of {@code data} in one pass. */
  public static ContentFingerprint compute(Dataset<Row> data) {
    return compute(data, data.schema());
  }

  /**
   * Computes the fingerprint of {@code data} in one pass, as if its schema were {@code schema} (the same columns
   * and types; nullability and metadata may differ, as between a batch and the same rows read back from a table).
   */
  public static ContentFingerprint compute(Dataset<Row> data, StructType schema) {
    List<Column> parts = parts(data, List.of(data.columns()));
    Row r = data.agg(count(lit(1)), sum(parts.get(0)), sum(parts.get(1)), sum(parts.get(2))).head();
    long rows = r.getLong(0);
    return rows == 0 ? of(0, 0, 0, 0, schema) : of(rows, r.getLong(1), r.getLong(2), r.getLong(3), schema);
  }
}
