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
