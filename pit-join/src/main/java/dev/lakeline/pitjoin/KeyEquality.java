package dev.lakeline.pitjoin;

import java.util.Objects;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Whether two rows in a {@link MergeRows} layout have the same key (nulls equal to nulls), read without boxing for
 * the common key types. Rows of different keys can share a key hash, so every step that groups by hash checks it.
 * Made once per task: the field positions and type cases are worked out here, not per comparison.
 */
final class KeyEquality {
  private static final int INT = 0;
  private static final int LONG = 1;
  private static final int STRING = 2;
  private static final int OTHER = 3;

  private final int[] fields;
  private final int[] kinds;
  private final DataType[] types;

  KeyEquality(MergeRows layout) {
    types = layout.keyTypes();
    fields = new int[types.length];
    kinds = new int[types.length];
    for (int i = 0; i < types.length; i++) {
      fields[i] = layout.key(i);
      DataType t = types[i];
      kinds[i] = t instanceof IntegerType || t instanceof DateType ? INT
          : t instanceof LongType || t instanceof TimestampType || t instanceof TimestampNTZType ? LONG
          : t instanceof StringType ? STRING
          : OTHER;
    }
  }

  boolean same(InternalRow a, InternalRow b) {
    for (int i = 0; i < fields.length; i++) {
      int f = fields[i];
      boolean an = a.isNullAt(f);
      if (an != b.isNullAt(f)) {
        return false;
      }
      if (an) {
        continue;
      }
      boolean same = switch (kinds[i]) {
        case INT -> a.getInt(f) == b.getInt(f);
        case LONG -> a.getLong(f) == b.getLong(f);
        case STRING -> a.getUTF8String(f).equals(b.getUTF8String(f));
        default -> Objects.deepEquals(a.get(f, types[i]), b.get(f, types[i]));
      };
      if (!same) {
        return false;
      }
    }
    return true;
  }
}
