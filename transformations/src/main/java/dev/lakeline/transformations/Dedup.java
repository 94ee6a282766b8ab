package dev.lakeline.transformations;

import java.util.Arrays;

/** Deduplication. */
public final class Dedup {
  private Dedup() {}

  /**
   * Step {@code dedup_latest}: one row per key (null key values group together, as in GROUP BY): the row with the
   * latest {@code time}; rows with a null time are older than any time. Among rows with the same latest time the
   * kept row is the greatest by the other columns in schema order (compared descending, nulls last), so reruns
   * keep the same row whatever the partitioning; rows equal on all of them are identical anyway, except for map
   * columns, which Spark cannot order and which are left out of the comparison. Keeps the input's columns.
   */
  public static Step latest(String time, String... keys) {
    return new DedupLatest(Arrays.asList(keys), time);
  }
}
