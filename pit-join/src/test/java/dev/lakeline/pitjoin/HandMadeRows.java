package dev.lakeline.pitjoin;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@link MergeRows} made by hand for the tests of the pass's pieces: one long key; two sources sharing one payload
 * column {@code struct<v0:int>}, source 1 strict; spine rows with one column {@code sid}.
 */
final class HandMadeRows {
  static final MergeRows LAYOUT = new MergeRows(new DataType[] {DataTypes.LongType}, new int[] {0, 0}, 1);
  static final StructType SCHEMA = new StructType()
      .add(MergeRows.HASH_COLUMN, DataTypes.LongType)
      .add(MergeRows.BUCKET_COLUMN, DataTypes.IntegerType)
      .add(MergeRows.TIME_COLUMN, DataTypes.LongType)
      .add(MergeRows.KIND_COLUMN, DataTypes.IntegerType)
      .add(MergeRows.SOURCE_COLUMN, DataTypes.IntegerType)
      .add(MergeRows.SPINE_COLUMN, new StructType().add("sid", DataTypes.LongType))
      .add(MergeRows.payloadColumnName(0), new StructType().add("v0", DataTypes.IntegerType))
      .add(MergeRows.keyColumnName(0), DataTypes.LongType);

  private HandMadeRows() {}

  /** A source row (source 1 is strict) with feature value {@code value}. */
  static InternalRow source(int source, long key, long hash, int bucket, long time, int value) {
    Object[] v = new Object[SCHEMA.size()];
    v[MergeRows.HASH] = hash;
    v[MergeRows.BUCKET] = bucket;
    v[MergeRows.TIME] = time;
    v[MergeRows.KIND] = source == 1 ? MergeRows.STRICT_KIND : MergeRows.INCLUSIVE_KIND;
    v[MergeRows.SOURCE] = source;
    v[LAYOUT.sourceColumn(source)] = new GenericInternalRow(new Object[] {value});
    v[LAYOUT.key(0)] = key;
    return UnsafeProjection.create(SCHEMA).apply(new GenericInternalRow(v)).copy();
  }

  /** A spine row of key 1 (hash {@code hash}) at {@code time}, {@code sid} 7. */
  static InternalRow spine(long hash, long time) {
    Object[] v = new Object[SCHEMA.size()];
    v[MergeRows.HASH] = hash;
    v[MergeRows.BUCKET] = 0;
    v[MergeRows.TIME] = time;
    v[MergeRows.KIND] = MergeRows.SPINE_KIND;
    v[MergeRows.SOURCE] = -1;
    v[MergeRows.SPINE] = new GenericInternalRow(new Object[] {7L});
    v[LAYOUT.key(0)] = 1L;
    return UnsafeProjection.create(SCHEMA).apply(new GenericInternalRow(v)).copy();
  }
}
