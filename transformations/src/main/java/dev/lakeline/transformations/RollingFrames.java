package dev.lakeline.transformations;

import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import dev.lakeline.core.internal.HashRuns;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
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
import org.apache.spark.unsafe.array.ByteArrayMethods;

/**
 * The engine of {@link RollingAggregates}: one shuffle by entity, each partition's rows grouped by a 64-bit hash of
 * the entity ({@link HashRuns}: rows bucketed by the hash's top bits and each bucket sorted on its own, which reads
 * memory in order where Spark's sort by the hash would read every record at random), and one forward pass. The pass
 * takes the rows of one entity (a run of equal hashes, split by the key itself should two entities share a hash),
 * orders them by time, and keeps their times and values in primitive arrays. Each window
 * is a {@code Frame} over those arrays whose start only moves forward, aggregated with two stacks so that every
 * event enters and leaves each window once: the cost per event does not grow with the number of events a window
 * holds (a 30-day window over a busy merchant costs what a 1-hour one does). Rows stay in Spark's internal format
 * throughout, and the aggregates go out through one reused row of primitives: no conversion to or from {@link Row}.
 *
 * <p>Semantics are those of {@link RollingAggregates}: rows at the same time see each other; null values count only
 * in {@code events}; a row with a null entity or time gets null aggregates and is in nobody's window (rows with a
 * null entity are passed through one by one, never gathered into a list, however many there are). Counts, min,
 * max and integral sums equal Spark's window frames exactly; double sums, means and standard deviations add the
 * same numbers in another order, so they can differ from Spark's in the last bits. Memory: a partition's rows are
 * held in execution memory while they are grouped, as Spark's sort holds them (a partition larger than the task's
 * share goes through Spark's external sorter instead, which spills); an entity with hundreds of millions of events
 * needs a correspondingly large executor (Spark's window operator also buffers a partition key's rows).
 */
final class RollingFrames implements Serializable {
  static final String TIME = "_lakeline_rolling_micros";
  static final String HASH = "_lakeline_rolling_hash";

  /** How the value is held for MIN and MAX: as a long, a double, or a Spark {@link Decimal}. */
  private enum Kind { LONG, DOUBLE, DECIMAL }

  private final int[] entity;
  private final DataType[] entityTypes;
  private final int time;
  private final int hash;
  private final int value;
  private final DataType valueType;
  private final Kind kind;
  private final long[] windows;
  private final Aggregate[] aggregates;
  private final StructType input;
  private final boolean smallDecimals; // decimals whose unscaled value fits a long

  private RollingFrames(StructType input, List<String> entityColumns, String valueColumn, long[] windows,
      Aggregate[] aggregates) {
    List<String> names = Arrays.asList(input.fieldNames());
    this.entity = entityColumns.stream().mapToInt(names::indexOf).toArray();
    this.entityTypes = Arrays.stream(entity).mapToObj(i -> input.fields()[i].dataType()).toArray(DataType[]::new);
    this.time = names.indexOf(TIME);
    this.hash = names.indexOf(HASH);
    this.value = names.indexOf(valueColumn);
    this.valueType = input.fields()[value].dataType();
    this.kind = valueType instanceof DecimalType ? Kind.DECIMAL
        : valueType instanceof FloatType || valueType instanceof DoubleType ? Kind.DOUBLE : Kind.LONG;
    this.windows = windows;
    this.aggregates = aggregates;
    this.input = input;
    this.smallDecimals = valueType instanceof DecimalType d && d.precision() <= Decimal.MAX_LONG_DIGITS();
    if (time != input.length() - 2 || hash != input.length() - 1) {
      throw new IllegalStateException("rolling pass: the helper columns must come last in " + input.simpleString());
    }
  }

  /** {@code df} plus the aggregates, laid out as {@code out} (the input's columns, then the aggregates). */
  static Dataset<Row> apply(
      Dataset<Row> df, List<String> entity, Column micros, String value, List<Long> windowMicros,
      List<Aggregate> aggregates, StructType out) {
    return apply(df, entity, micros, value, windowMicros, aggregates, out,
        org.apache.spark.sql.functions.xxhash64(keys(df.schema(), entity)));
  }

  /** As above with the given entity hash (a test gives every entity the same one to exercise collisions). */
  static Dataset<Row> apply(
      Dataset<Row> df, List<String> entity, Column micros, String value, List<Long> windowMicros,
      List<Aggregate> aggregates, StructType out, Column entityHash) {
    return apply(df, entity, micros, value, windowMicros, aggregates, out, entityHash, HashRuns.Limits.DEFAULT);
  }

  /** As above with the memory limits of the grouping by hash (a test makes it fall back to Spark's sorter). */
  static Dataset<Row> apply(
      Dataset<Row> df, List<String> entity, Column micros, String value, List<Long> windowMicros,
      List<Aggregate> aggregates, StructType out, Column entityHash, HashRuns.Limits limits) {
    // planned without adaptive execution: with it, asking for the RDD would run the shuffle at once (not when the
    // result is used), and it would coalesce the partitions this pass relies on for parallelism
    SparkSession engine = df.sparkSession().cloneSession();
    engine.conf().set("spark.sql.adaptive.enabled", "false");
    Dataset<Row> planned = shuffled(df, entity, micros, entityHash);
    Dataset<Row> shuffled = new Dataset<>(engine, planned.queryExecution().analyzed(), Encoders.row(planned.schema()));
    StructType input = shuffled.schema();
    RollingFrames frames = new RollingFrames(input, entity, value,
        windowMicros.stream().mapToLong(Long::longValue).toArray(), aggregates.toArray(new Aggregate[0]));
    int fields = input.length();
    int hash = frames.hash;
    FlatMapFunction<Iterator<InternalRow>, InternalRow> pass =
        rows -> frames.new Pass(new HashRuns(rows, fields, hash, limits));
    RDD<InternalRow> rows = shuffled.queryExecution().toRdd().toJavaRDD().mapPartitions(pass).rdd();
    // the pass writes rows in the layout of `out`: the input's columns (the helper columns, last in `input`, left
    // out), then the aggregates window by window
    int kept = input.length() - 2;
    if (!Arrays.equals(Arrays.copyOf(out.fieldNames(), kept), Arrays.copyOf(input.fieldNames(), kept))
        || out.length() != kept + windowMicros.size() * aggregates.size()) {
      throw new IllegalStateException("rolling pass: unexpected output layout " + out.simpleString());
    }
    return df.sparkSession().internalCreateDataFrame(rows, out, false);
  }

  /**
   * The pass's input: the rows with their time in microseconds and their entity hash, partitioned by entity. The
   * pass groups each partition's rows by hash itself ({@link HashRuns}) instead of asking Spark to sort them.
   */
  static Dataset<Row> shuffled(Dataset<Row> df, List<String> entity, Column micros, Column entityHash) {
    // the helper columns are computed after the shuffle, which so moves 16 bytes less per row
    return df.repartition(keys(df.schema(), entity))
        .withColumn(TIME, micros)
        .withColumn(HASH, entityHash);
  }

  /**
   * The entity's key columns as Spark's GROUP BY and window partitions compare them: a floating-point key with -0.0
   * made 0.0 and every NaN one NaN, so that keys equal in value share a partition and a hash (the rows keep their own
   * values).
   */
  static Column[] keys(StructType schema, List<String> entity) {
    return entity.stream().map(name -> {
      Column c = Columns.col(name);
      DataType type = schema.apply(name).dataType();
      if (!(type instanceof FloatType) && !(type instanceof DoubleType)) {
        return c;
      }
      return when(isnan(c), lit(Double.NaN).cast(type)).when(c.equalTo(0), lit(0.0).cast(type)).otherwise(c);
    }).toArray(Column[]::new);
  }

  /** Whether two floating-point keys are one key: equal in value (-0.0 is 0.0), or both NaN. */
  private static boolean sameFloating(Object a, Object b) {
    double x = ((Number) a).doubleValue();
    double y = ((Number) b).doubleValue();
    return x == y || (Double.isNaN(x) && Double.isNaN(y));
  }

  /**
   * One partition's rows, rows of one entity hash adjacent, in; each row joined with its aggregates, out (the input's columns,
   * the two helper columns, then one column per window and aggregate). The aggregates row is one mutable row of
   * primitives, refilled for every output row: Spark copies each row the pass returns before asking for the next.
   */
  private final class Pass implements Iterator<InternalRow> {
    private final Iterator<InternalRow> in;
    private InternalRow pending;
    private final RollingOutput results;
    // each aggregate's place among a window's slots, -1 when not asked for
    private final int countAt = place(Aggregate.COUNT);
    private final int eventsAt = place(Aggregate.EVENTS);
    private final int sumAt = place(Aggregate.SUM);
    private final int meanAt = place(Aggregate.MEAN);
    private final int minAt = place(Aggregate.MIN);
    private final int maxAt = place(Aggregate.MAX);
    private final int stddevAt = place(Aggregate.STDDEV);
    // where the input rows' fixed-width slots start, and which key columns hold variable-length values
    private final int keySlot = UnsafeRow.calculateBitSetWidthInBytes(input.length());
    private final boolean[] variableKey = RollingOutput.variableLength(entityTypes);
    private final boolean[] floatingKey = floating(entityTypes);
    // the entities of the current hash still to emit (more than one only when hashes collide)
    private final List<List<InternalRow>> entities = new ArrayList<>();
    private int nextEntity;
    // rows of the current entity that are in no window (null key or time), emitted first with null aggregates
    private final List<InternalRow> unwindowed = new ArrayList<>();
    private int nextUnwindowed;
    // the current entity's events in time order; [at, tieEnd) share a time and the aggregates in `results`
    private final List<InternalRow> events = new ArrayList<>();
    private int at;
    private int tieEnd;
    private long[] times = new long[64];
    private double[] doubles = new double[64];
    private long[] longs = new long[64];
    private Decimal[] decimals = new Decimal[64];
    private boolean[] present = new boolean[64];
    // the values' order as longs (min and max compare these): see append
    private long[] ranks = new long[64];
    private final Frame[] frames = new Frame[windows.length];

    private int place(Aggregate a) {
      return Arrays.asList(aggregates).indexOf(a);
    }

    Pass(Iterator<InternalRow> in) {
      this.in = in;
      this.pending = in.hasNext() ? in.next() : null;
      DataType[] types = new DataType[windows.length * aggregates.length];
      for (int i = 0; i < types.length; i++) {
        types[i] = aggregates[i % aggregates.length].resultType(valueType);
      }
      this.results = new RollingOutput(input, types);
      for (int w = 0; w < windows.length; w++) {
        frames[w] = new Frame();
      }
    }

    @Override
    public boolean hasNext() {
      return nextUnwindowed < unwindowed.size() || at < events.size() || nextEntity < entities.size() || pending != null;
    }

    @Override
    public InternalRow next() {
      while (true) {
        if (nextUnwindowed < unwindowed.size()) {
          return results.emitNulls(unwindowed.get(nextUnwindowed++));
        }
        if (at < tieEnd) {
          return results.emit(events.get(at++));
        }
        if (at < events.size()) {
          computeTies();
        } else if (nextEntity < entities.size()) {
          load(entities.get(nextEntity++));
        } else if (pending != null && hasNullKey(pending)) {
          // in nobody's window: passed through one by one, never gathered (a column that is mostly null is one huge "entity")
          InternalRow row = pending;
          pending = in.hasNext() ? in.next() : null;
          return results.emitNulls(row);
        } else if (pending != null) {
          readRun();
        } else {
          throw new NoSuchElementException();
        }
      }
    }

    /** Reads the rows with the next hash and splits them by entity key (one entity unless hashes collide). */
    private void readRun() {
      entities.clear();
      nextEntity = 0;
      List<InternalRow> run = new ArrayList<>();
      long h = pending.getLong(hash);
      InternalRow keyed = null; // the run's first row with a key
      boolean oneKey = true;
      List<InternalRow> nullKeys = new ArrayList<>(); // only when a key's hash equals that of null keys
      while (pending != null && pending.getLong(hash) == h) {
        if (hasNullKey(pending)) {
          nullKeys.add(pending);
        } else {
          keyed = keyed == null ? pending : keyed;
          oneKey = oneKey && sameKey(pending, keyed);
          run.add(pending);
        }
        pending = in.hasNext() ? in.next() : null;
      }
      if (!nullKeys.isEmpty()) {
        entities.add(nullKeys);
      }
      if (oneKey) {
        entities.add(run);
        return;
      }
      boolean[] done = new boolean[run.size()];
      for (int first = 0; first < run.size(); first++) {
        if (!done[first]) {
          List<InternalRow> rows = new ArrayList<>();
          for (int i = first; i < run.size(); i++) {
            if (!done[i] && sameKey(run.get(i), run.get(first))) {
              done[i] = true;
              rows.add(run.get(i));
            }
          }
          entities.add(rows);
        }
      }
    }

    private boolean hasNullKey(InternalRow r) {
      for (int e : entity) {
        if (r.isNullAt(e)) {
          return true;
        }
      }
      return false;
    }

    private Object[] keyOf(InternalRow r) {
      Object[] k = new Object[entity.length];
      for (int i = 0; i < entity.length; i++) {
        k[i] = r.isNullAt(entity[i]) ? null : r.get(entity[i], entityTypes[i]);
      }
      return k;
    }

    /** Whether two rows without null keys have the same entity key. */
    private boolean sameKey(InternalRow a, InternalRow b) {
      if (a instanceof UnsafeRow ua && b instanceof UnsafeRow ub) {
        return sameKeyBytes(ua, ub);
      }
      for (int i = 0; i < entity.length; i++) {
        Object x = a.get(entity[i], entityTypes[i]);
        Object y = b.get(entity[i], entityTypes[i]);
        if (floatingKey[i] ? !sameFloating(x, y) : !Objects.deepEquals(x, y)) {
          return false;
        }
      }
      return true;
    }

    /**
     * The same on Spark's row format, by bytes: a fixed-width key's 8-byte slot, or a variable-length key's bytes
     * (Spark's row writer writes equal values as equal bytes, padding zeroed). No value objects are made.
     */
    private boolean sameKeyBytes(UnsafeRow a, UnsafeRow b) {
      for (int i = 0; i < entity.length; i++) {
        if (floatingKey[i]) {
          if (!sameFloating(a.get(entity[i], entityTypes[i]), b.get(entity[i], entityTypes[i]))) {
            return false; // -0.0 is 0.0, and NaNs with different bits are one key, as in Spark's GROUP BY
          }
          continue;
        }
        long slotA = Platform.getLong(a.getBaseObject(), a.getBaseOffset() + keySlot + 8L * entity[i]);
        long slotB = Platform.getLong(b.getBaseObject(), b.getBaseOffset() + keySlot + 8L * entity[i]);
        if (!variableKey[i]) {
          if (slotA != slotB) {
            return false;
          }
        } else {
          int size = (int) slotA;
          if (size != (int) slotB || !ByteArrayMethods.arrayEquals(
              a.getBaseObject(), a.getBaseOffset() + (slotA >>> 32),
              b.getBaseObject(), b.getBaseOffset() + (slotB >>> 32), size)) {
            return false;
          }
        }
      }
      return true;
    }

    /** Makes {@code rows}, the rows of one entity, the current ones: the unwindowed first, then by time. */
    private void load(List<InternalRow> rows) {
      unwindowed.clear();
      nextUnwindowed = 0;
      events.clear();
      at = 0;
      tieEnd = 0;
      boolean validKey = Arrays.stream(keyOf(rows.get(0))).allMatch(Objects::nonNull);
      for (InternalRow r : rows) {
        (validKey && !r.isNullAt(time) ? events : unwindowed).add(r);
      }
      sortByTime(events);
      ensure(events.size());
      for (int i = 0; i < events.size(); i++) {
        append(i, events.get(i));
      }
      if (kind == Kind.DECIMAL && !smallDecimals) {
        rankWideDecimals(events.size());
      }
      for (Frame f : frames) {
        f.reset(events.size());
      }
    }

    /**
     * Orders one entity's events by time. Usually the times span less than 2^(63 - bits of the count)
     * microseconds, so each (time - first time, index) packs into one long and a primitive sort does it.
     */
    private void sortByTime(List<InternalRow> rows) {
      int n = rows.size();
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      boolean ordered = true;
      long previous = Long.MIN_VALUE;
      for (InternalRow r : rows) {
        long t = r.getLong(time);
        lo = Math.min(lo, t);
        hi = Math.max(hi, t);
        ordered &= previous <= t;
        previous = t;
      }
      if (ordered) {
        return;
      }
      int bits = 64 - Long.numberOfLeadingZeros(n);
      if (hi - lo >= 0 && (hi - lo) < (1L << (63 - bits))) {
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
          packed[i] = ((rows.get(i).getLong(time) - lo) << bits) | i;
        }
        Arrays.sort(packed);
        InternalRow[] sorted = new InternalRow[n];
        long mask = (1L << bits) - 1;
        for (int i = 0; i < n; i++) {
          sorted[i] = rows.get((int) (packed[i] & mask));
        }
        for (int i = 0; i < n; i++) {
          rows.set(i, sorted[i]);
        }
      } else {
        rows.sort(Comparator.comparingLong(r -> r.getLong(time)));
      }
    }

    /** The aggregates of the events at the next time, which see each other and share them. */
    private void computeTies() {
      long t = times[at];
      int end = at;
      while (end < events.size() && times[end] == t) {
        end++;
      }
      for (int w = 0; w < windows.length; w++) {
        Frame f = frames[w];
        f.pushTo(end);
        long from = t - windows[w]; // events at or before this are out
        int s = f.start;
        while (s < end && times[s] <= from) {
          s++;
        }
        f.popTo(s);
        f.write(w * aggregates.length);
      }
      tieEnd = end;
    }

    private void ensure(int n) {
      if (times.length < n) {
        int size = Math.max(n, times.length * 2);
        times = new long[size];
        doubles = new double[size];
        longs = new long[size];
        decimals = new Decimal[size];
        present = new boolean[size];
        ranks = new long[size];
      }
    }

    private void append(int i, InternalRow r) {
      times[i] = r.getLong(time);
      boolean has = !r.isNullAt(value);
      present[i] = has;
      if (!has) {
        return;
      }
      switch (kind) {
        case LONG -> {
          longs[i] = integral(r);
          doubles[i] = longs[i];
        }
        case DOUBLE -> doubles[i] = valueType instanceof FloatType ? r.getFloat(value) : r.getDouble(value);
        case DECIMAL -> {
          DecimalType d = (DecimalType) valueType;
          decimals[i] = r.getDecimal(value, d.precision(), d.scale());
          doubles[i] = decimals[i].toDouble();
        }
      }
      ranks[i] = switch (kind) {
        case LONG -> longs[i];
        case DOUBLE -> orderBits(doubles[i]);
        // one scale per column: unscaled values order as the decimals do (wider ones are ranked in load)
        case DECIMAL -> smallDecimals ? decimals[i].toUnscaledLong() : 0L;
      };
    }

    /** A double's bits made to order as Spark orders doubles: -0.0 before 0.0, NaN (any) after everything. */
    private static long orderBits(double x) {
      long bits = Double.doubleToLongBits(x);
      return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    /** Ranks decimals too wide for a long by their order (equal values share a rank). */
    private void rankWideDecimals(int n) {
      Integer[] order = new Integer[n];
      int m = 0;
      for (int i = 0; i < n; i++) {
        if (present[i]) {
          order[m++] = i;
        }
      }
      Arrays.sort(order, 0, m, (a, b) -> decimals[a].compare(decimals[b]));
      long rank = 0;
      for (int k = 0; k < m; k++) {
        if (k > 0 && decimals[order[k]].compare(decimals[order[k - 1]]) != 0) {
          rank++;
        }
        ranks[order[k]] = rank;
      }
    }

    private long integral(InternalRow r) {
      if (valueType instanceof ByteType) {
        return r.getByte(value);
      }
      if (valueType instanceof ShortType) {
        return r.getShort(value);
      }
      if (valueType instanceof IntegerType) {
        return r.getInt(value);
      }
      return r.getLong(value);
    }

    /** Whether event {@code a}'s value orders before event {@code b}'s, in Spark's order (NaN last, -0.0 < 0.0). */
    private boolean less(int a, int b) {
      return ranks[a] < ranks[b];
    }

    /** Count, sums, Welford's mean and M2, and the events holding the min and max, of the values added. */
    private final class Moments {
      long count;
      long longSum;
      double sum;
      double mean;
      double m2;
      int min = -1;
      int max = -1;

      void clear() {
        count = 0;
        longSum = 0;
        sum = 0;
        mean = 0;
        m2 = 0;
        min = -1;
        max = -1;
      }

      void add(int i) {
        if (!present[i]) {
          return;
        }
        count++;
        double x = doubles[i];
        sum += x;
        longSum += longs[i];
        double delta = x - mean;
        mean += delta / count;
        m2 += delta * (x - mean);
        min = min < 0 || less(i, min) ? i : min;
        max = max < 0 || less(max, i) ? i : max;
      }
    }

    /**
     * One window's frame [start, end) over the current entity's events, aggregated with two stacks so that every
     * event is added once and removed once, however many events the window holds: the older part [start, split)
     * keeps, for every event, the aggregates of it and all later events up to split (filled in one backward sweep
     * when the older part runs empty); the newer part [split, end) keeps one running aggregate. A frame's
     * aggregates combine the two. Count, events, min, max and integral sums are exact; double sums, means and
     * standard deviations add the same numbers as Spark in another order, so they may differ in the last bits.
     */
    private final class Frame {
      int start;
      int split;
      int end;
      // the older part, per event i in [start, split): aggregates of events i .. split - 1
      long[] oCount = new long[0];
      long[] oLongSum = new long[0];
      double[] oSum = new double[0];
      double[] oMean = new double[0];
      double[] oM2 = new double[0];
      int[] oMin = new int[0];
      int[] oMax = new int[0];
      // the newer part [split, end)
      final Moments newer = new Moments();

      void reset(int capacity) {
        if (oCount.length < capacity) {
          int size = Math.max(capacity, oCount.length * 2);
          oCount = new long[size];
          oLongSum = new long[size];
          oSum = new double[size];
          oMean = new double[size];
          oM2 = new double[size];
          oMin = new int[size];
          oMax = new int[size];
        }
        start = 0;
        split = 0;
        end = 0;
        newer.clear();
      }

      /** Adds events [end, to) to the newer part. */
      void pushTo(int to) {
        for (int i = end; i < to; i++) {
          newer.add(i);
        }
        end = to;
      }

      /** Removes events [start, to); when the older part runs empty, the newer one becomes it. */
      void popTo(int to) {
        if (to > split) {
          flip();
        }
        start = to;
      }

      /** Sweeps the newer part backwards into per-event suffix aggregates: it becomes the older part. */
      private void flip() {
        Moments suffix = new Moments();
        for (int i = end - 1; i >= split; i--) {
          suffix.add(i);
          oCount[i] = suffix.count;
          oLongSum[i] = suffix.longSum;
          oSum[i] = suffix.sum;
          oMean[i] = suffix.mean;
          oM2[i] = suffix.m2;
          oMin[i] = suffix.min;
          oMax[i] = suffix.max;
        }
        split = end;
        newer.clear();
      }

      /** Writes the frame's aggregates to {@code results} from {@code slot} on. */
      void write(int slot) {
        long count = newer.count;
        long longSum = newer.longSum;
        double sum = newer.sum;
        double m2 = newer.m2;
        int min = newer.min;
        int max = newer.max;
        if (start < split && oCount[start] > 0) {
          long a = oCount[start];
          count = a + newer.count;
          longSum += oLongSum[start];
          sum += oSum[start];
          // Chan et al.'s combination of two (count, mean, M2)
          double delta = newer.mean - oMean[start];
          m2 = oM2[start] + newer.m2 + delta * delta * ((double) a * newer.count / count);
          min = min < 0 || less(oMin[start], min) ? oMin[start] : min;
          max = max < 0 || less(max, oMax[start]) ? oMax[start] : max;
        }
        // each aggregate asked for, at its place among the window's slots (no switch per value: this runs for
        // every window of every event)
        if (countAt >= 0) {
          results.setLong(slot + countAt, count);
        }
        if (eventsAt >= 0) {
          results.setLong(slot + eventsAt, end - start);
        }
        if (sumAt >= 0) {
          if (count == 0) {
            results.setNullAt(slot + sumAt);
          } else if (kind == Kind.LONG) {
            results.setLong(slot + sumAt, longSum);
          } else {
            results.setDouble(slot + sumAt, sum);
          }
        }
        if (meanAt >= 0) {
          setDouble(slot + meanAt, count == 0, sum / count);
        }
        if (minAt >= 0) {
          setValue(slot + minAt, min);
        }
        if (maxAt >= 0) {
          setValue(slot + maxAt, max);
        }
        if (stddevAt >= 0) {
          setDouble(slot + stddevAt, count < 2, Math.sqrt(m2 / (count - 1)));
        }
      }
    }

    private void setDouble(int i, boolean isNull, double v) {
      if (isNull) {
        results.setNullAt(i);
      } else {
        results.setDouble(i, v);
      }
    }

    /** Sets slot {@code i} to the value of event {@code e} in the value's own type (null when e is -1). */
    private void setValue(int i, int e) {
      if (e < 0) {
        results.setNullAt(i);
      } else if (kind == Kind.DECIMAL) {
        results.setDecimal(i, decimals[e]);
      } else if (valueType instanceof DoubleType) {
        results.setDouble(i, doubles[e]);
      } else if (valueType instanceof FloatType) {
        results.setFloat(i, (float) doubles[e]);
      } else if (valueType instanceof ByteType) {
        results.setByte(i, (byte) longs[e]);
      } else if (valueType instanceof ShortType) {
        results.setShort(i, (short) longs[e]);
      } else if (valueType instanceof IntegerType) {
        results.setInt(i, (int) longs[e]);
      } else {
        results.setLong(i, longs[e]);
      }
    }
  }

  private static boolean[] floating(DataType[] types) {
    boolean[] floating = new boolean[types.length];
    for (int i = 0; i < types.length; i++) {
      floating[i] = types[i] instanceof FloatType || types[i] instanceof DoubleType;
    }
    return floating;
  }

  /** The value types the pass handles (every numeric type Spark has). */
  static boolean supports(DataType type) {
    return type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType
        || type instanceof FloatType || type instanceof DoubleType || type instanceof DecimalType;
  }
}
