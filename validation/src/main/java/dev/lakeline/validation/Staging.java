package dev.lakeline.validation;

import dev.lakeline.validation.internal.spark.Plans;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Holds a batch while the gate validates it and the commit writes it, so that the rows committed are the rows
 * validated and an expensive batch is computed once. A batch that is a plain columnar read (Parquet, ORC or a
 * Delta snapshot, with projections and filters; or in-memory rows) is read again instead: a columnar re-read
 * costs about a fifth of building Spark's cache (see docs/benchmarks.md) and gives the same rows. Everything
 * else (a CSV or JSON parse, joins, aggregations, windows, anything non-deterministic) is persisted
 * (memory and disk) until {@link #close()}.
 */
public final class Staging implements AutoCloseable {
  /** The bytes in Spark's cache per partition (so per file) of a write ({@link #forWrite}). */
  static final long WRITE_PARTITION_BYTES = 128L << 20;

  private final Dataset<Row> rows;
  private final boolean cached;

  private Staging(Dataset<Row> rows, boolean cached) {
    this.rows = rows;
    this.cached = cached;
  }

  /** Stages {@code batch}: cached unless it is cheap and safe to read again. */
  public static Staging of(Dataset<Row> batch) {
    return Plans.cheapToReread(batch)
        ? new Staging(batch, false)
        : new Staging(batch.persist(StorageLevel.MEMORY_AND_DISK()), true);
  }

  /** The staged rows: validate and commit these. */
  public Dataset<Row> rows() {
    return rows;
  }

  /**
   * {@code accepted} (the staged rows, or rows filtered from them) for the write, in as few partitions as their
   * size in Spark's cache needs ({@link #WRITE_PARTITION_BYTES} each): a write makes a file per partition, and a
   * cached batch keeps the partitions of its last shuffle ({@code spark.sql.shuffle.partitions}, 200 under
   * spark-submit and on the platforms: adaptive execution does not coalesce a cached plan's final stage), which
   * wrote a group of 10 MB as 200 files. Unchanged when the batch is not cached, or its cache was not built by an
   * earlier job (the validation), or it needs every partition, or the caller partitioned it ({@code repartition} or
   * {@code coalesce} last). No shuffle: the partitions are merged.
   */
  public Dataset<Row> forWrite(Dataset<Row> accepted) {
    long[] size = cached && !Plans.partitionedByCaller(rows) ? Plans.cachedSize(rows) : null;
    if (size == null) {
      return accepted;
    }
    long needed = Math.max(1, (size[0] + WRITE_PARTITION_BYTES - 1) / WRITE_PARTITION_BYTES);
    return needed < size[1] ? accepted.coalesce((int) needed) : accepted;
  }

  /** Whether the rows are held in Spark's cache (else they are read again from their files or memory). */
  public boolean cached() {
    return cached;
  }

  @Override
  public void close() {
    if (cached) {
      rows.unpersist();
    }
  }
}
