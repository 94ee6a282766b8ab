package dev.lakeline.transformations;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;

/**
 * The rolling pass's output rows, written straight into one reused {@link UnsafeRow} in the step's layout: the input
 * row's columns without the pass's two helper columns (which come last in the input), then one slot per window and
 * aggregate. The input's columns are copied as bytes (their fixed-width slots, with the offsets of variable-length
 * values moved by the difference in header size, and the variable-length region in one block), so the cost per row
 * does not depend on the columns' types; the aggregates are set once per group of events that share them and
 * written into each of their rows. Going through a generic row and Spark's projection instead (a {@code JoinedRow}
 * of the input and a {@code SpecificInternalRow} of aggregates) cost about a third of the pass.
 *
 * <p>The row returned by {@link #emit} is valid until the next call: Spark's scan of the pass's RDD copies each row
 * before it asks for the next.
 */
final class RollingOutput implements Serializable {
  private enum Slot { LONG, DOUBLE, FLOAT, INT, SHORT, BYTE, DECIMAL, BIG_DECIMAL }

  private final StructType input;
  private final int kept;
  private final int inBitsetBytes;
  private final int inFixedBytes;
  private final boolean[] variableLength;
  private final int fields;
  private final int bitsetBytes;
  private final int fixedBytes;
  private final Slot[] slots;
  private final int bigDecimals;
  private final long[] bits;
  private final boolean[] isNull;
  private final Decimal[] decimals;
  private transient byte[] buffer;
  private transient UnsafeRow row;
  private transient UnsafeProjection toUnsafe;

  /** {@code input}: the pass's input, its last two columns the helpers; {@code results}: the aggregates' types. */
  RollingOutput(StructType input, DataType[] results) {
    this.input = input;
    this.kept = input.length() - 2;
    this.inBitsetBytes = UnsafeRow.calculateBitSetWidthInBytes(input.length());
    this.inFixedBytes = inBitsetBytes + 8 * input.length();
    DataType[] types = new DataType[kept];
    for (int j = 0; j < kept; j++) {
      types[j] = input.fields()[j].dataType();
    }
    this.variableLength = variableLength(types);
    this.fields = kept + results.length;
    this.bitsetBytes = UnsafeRow.calculateBitSetWidthInBytes(fields);
    this.fixedBytes = bitsetBytes + 8 * fields;
    this.slots = new Slot[results.length];
    int big = 0;
    for (int i = 0; i < results.length; i++) {
      slots[i] = slot(results[i]);
      big += slots[i] == Slot.BIG_DECIMAL ? 1 : 0;
    }
    this.bigDecimals = big;
    this.bits = new long[results.length];
    this.isNull = new boolean[results.length];
    this.decimals = new Decimal[results.length];
  }

  /** Which of {@code types} Spark's row format holds as variable-length values (an offset and size in the slot). */
  static boolean[] variableLength(DataType[] types) {
    boolean[] variable = new boolean[types.length];
    for (int i = 0; i < types.length; i++) {
      variable[i] = !UnsafeRow.isFixedLength(types[i]);
    }
    return variable;
  }

  private static Slot slot(DataType t) {
    if (t instanceof LongType) {
      return Slot.LONG;
    } else if (t instanceof DoubleType) {
      return Slot.DOUBLE;
    } else if (t instanceof FloatType) {
      return Slot.FLOAT;
    } else if (t instanceof IntegerType) {
      return Slot.INT;
    } else if (t instanceof ShortType) {
      return Slot.SHORT;
    } else if (t instanceof ByteType) {
      return Slot.BYTE;
    } else if (t instanceof DecimalType d) {
      return d.precision() <= Decimal.MAX_LONG_DIGITS() ? Slot.DECIMAL : Slot.BIG_DECIMAL;
    }
    throw new IllegalArgumentException("rolling pass: no output slot for " + t);
  }

  void setNullAt(int i) {
    isNull[i] = true;
  }

  void setLong(int i, long v) {
    isNull[i] = false;
    bits[i] = v;
  }

  void setDouble(int i, double v) {
    isNull[i] = false;
    bits[i] = Double.doubleToRawLongBits(v);
  }

  void setFloat(int i, float v) {
    isNull[i] = false;
    bits[i] = Float.floatToRawIntBits(v);
  }

  void setInt(int i, int v) {
    setLong(i, v);
  }

  void setShort(int i, short v) {
    setLong(i, v);
  }

  void setByte(int i, byte v) {
    setLong(i, v);
  }

  /** A decimal in the aggregate's own type (a min or max: one of the input's values). */
  void setDecimal(int i, Decimal v) {
    isNull[i] = false;
    if (slots[i] == Slot.DECIMAL) {
      bits[i] = v.toUnscaledLong();
    } else {
      decimals[i] = v;
    }
  }

  /** {@code in}'s columns with the aggregates set last. */
  UnsafeRow emit(InternalRow in) {
    return write(in, false);
  }

  /** {@code in}'s columns with null aggregates (a row in nobody's window). */
  UnsafeRow emitNulls(InternalRow in) {
    return write(in, true);
  }

  private UnsafeRow write(InternalRow r, boolean nulls) {
    UnsafeRow in = r instanceof UnsafeRow u ? u : unsafe(r);
    Object base = in.getBaseObject();
    long offset = in.getBaseOffset();
    int variable = in.getSizeInBytes() - inFixedBytes;
    int size = fixedBytes + variable + 16 * bigDecimals;
    if (buffer == null || buffer.length < size) {
      buffer = new byte[Math.max(size, buffer == null ? 256 : buffer.length * 2)];
      row = new UnsafeRow(fields);
    }
    long at = Platform.BYTE_ARRAY_OFFSET;
    for (int w = 0; w < bitsetBytes; w += 8) {
      Platform.putLong(buffer, at + w, 0L);
    }
    long moved = (long) (fixedBytes - inFixedBytes) << 32; // variable-length values start this much later
    for (int j = 0; j < kept; j++) {
      long slot = at + bitsetBytes + 8L * j;
      if (in.isNullAt(j)) {
        nullBit(j);
        Platform.putLong(buffer, slot, 0L);
      } else {
        long v = Platform.getLong(base, offset + inBitsetBytes + 8L * j);
        Platform.putLong(buffer, slot, variableLength[j] ? v + moved : v);
      }
    }
    Platform.copyMemory(base, offset + inFixedBytes, buffer, at + fixedBytes, variable);
    int cursor = fixedBytes + variable;
    for (int i = 0; i < slots.length; i++) {
      int field = kept + i;
      long slot = at + bitsetBytes + 8L * field;
      Platform.putLong(buffer, slot, 0L);
      boolean none = nulls || isNull[i];
      if (slots[i] == Slot.BIG_DECIMAL) {
        cursor = bigDecimal(i, field, slot, cursor, none);
      } else if (none) {
        nullBit(field);
      } else {
        switch (slots[i]) {
          case LONG, DOUBLE, DECIMAL -> Platform.putLong(buffer, slot, bits[i]);
          case FLOAT, INT -> Platform.putInt(buffer, slot, (int) bits[i]);
          case SHORT -> Platform.putShort(buffer, slot, (short) bits[i]);
          case BYTE -> Platform.putByte(buffer, slot, (byte) bits[i]);
          default -> throw new IllegalStateException(slots[i].name());
        }
      }
    }
    row.pointTo(buffer, size);
    return row;
  }

  /** As Spark's row writer lays out a decimal over 18 digits: 16 bytes reserved, the offset kept when null. */
  private int bigDecimal(int i, int field, long slot, int cursor, boolean none) {
    long at = Platform.BYTE_ARRAY_OFFSET + cursor;
    Platform.putLong(buffer, at, 0L);
    Platform.putLong(buffer, at + 8, 0L);
    if (none) {
      nullBit(field);
      Platform.putLong(buffer, slot, (long) cursor << 32);
    } else {
      byte[] unscaled = decimals[i].toJavaBigDecimal().unscaledValue().toByteArray();
      Platform.copyMemory(unscaled, Platform.BYTE_ARRAY_OFFSET, buffer, at, unscaled.length);
      Platform.putLong(buffer, slot, ((long) cursor << 32) | unscaled.length);
    }
    return cursor + 16;
  }

  private void nullBit(int field) {
    long word = Platform.BYTE_ARRAY_OFFSET + 8L * (field >> 6);
    Platform.putLong(buffer, word, Platform.getLong(buffer, word) | (1L << (field & 63)));
  }

  private UnsafeRow unsafe(InternalRow r) {
    if (toUnsafe == null) {
      toUnsafe = UnsafeProjection.create(input);
    }
    return toUnsafe.apply(r);
  }
}
