package dev.lakeline.pitjoin;

import java.io.Serializable;
import org.apache.spark.sql.types.DataType;

/**
 * The layout of the rows that {@link SortMergeJoin} shuffles and sorts: spine rows and source rows in one frame.
 *
 * <pre>
 * 0 hash    xxhash64 of the key (partitions with the bucket; sorts first, so most comparisons end on a long)
 * 1 bucket  0, or the time range of a hot key; a spine row without key or time: a bucket of its own partition
 * 2 time    microseconds since the epoch
 * 3 kind    0 source row of an inclusive join, 1 spine row, 2 source row of a strict join (the sort's last field)
 * 4 source  the source's slot in this pass, -1 for a spine row
 * 5 spine   the spine row's columns as one struct (null on source rows)
 * 6+p       payload p: a source's tie-break field (if any) and feature values as one struct (null on other rows);
 *           sources whose structs have the same type share one payload column (see {@code payloadOf})
 * 6+P+i     key column i
 * </pre>
 *
 * @param payloadOf per source, its payload column (0 … payloads - 1)
 * @param payloads how many payload columns there are
 */
record MergeRows(DataType[] keyTypes, int[] payloadOf, int payloads) implements Serializable {
  /** A layout in which every one of {@code sources} sources has its own payload column. */
  MergeRows(DataType[] keyTypes, int sources) {
    this(keyTypes, java.util.stream.IntStream.range(0, sources).toArray(), sources);
  }

  static final int HASH = 0;
  static final int BUCKET = 1;
  static final int TIME = 2;
  static final int KIND = 3;
  static final int SOURCE = 4;
  static final int SPINE = 5;
  static final int INCLUSIVE_KIND = 0;
  static final int SPINE_KIND = 1;
  static final int STRICT_KIND = 2;

  static final String HASH_COLUMN = "__pit_hash";
  static final String BUCKET_COLUMN = "__pit_bucket";
  static final String TIME_COLUMN = "__pit_time";
  static final String KIND_COLUMN = "__pit_kind";
  static final String SOURCE_COLUMN = "__pit_source";
  static final String SPINE_COLUMN = "__pit_spine";

  static String payloadColumnName(int p) {
    return "__pit_src" + p;
  }

  static String keyColumnName(int i) {
    return "__pit_key" + i;
  }

  int sourceColumn(int s) {
    return SPINE + 1 + payloadOf[s];
  }

  int key(int i) {
    return SPINE + 1 + payloads + i;
  }
}
