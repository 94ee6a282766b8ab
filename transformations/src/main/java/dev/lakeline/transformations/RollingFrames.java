package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;

/**
 * The engine of {@link RollingAggregates}: one shuffle by entity, a sort by time within each partition, and one
 * forward pass per entity that keeps the entity's recent events in primitive arrays. For every event, each window's
 * frame (t - w, t] is the slice of the arrays between a start pointer, which only moves forward, and the last event
 * with time t; its aggregates are computed by one tight loop over that slice, in time order (the order Spark's own
 * window frame uses, so sums and means are the same to the last bit). Spark's RANGE frames recompute every
 * aggregate through its generic aggregation code whenever the frame slides; this does the same arithmetic in
 * plain Java on doubles and longs.
 *
 * <p>Semantics are those of {@link RollingAggregates}: rows at the same time see each other; null values count
 * only in {@code events}; a row with a null entity or time gets null aggregates and is in nobody's window.
 */
final class RollingFrames implements Serializable {
  static final String TIME = "_lakeline_rolling_micros";

  private final int[] entity;
  private final int time;
  private final int value;
  private final int inputWidth;
  private final long[] windows;
  private final Aggregate[] aggregates;
  private final boolean integral;
  private final DataType valueType;

  private RollingFrames(
      int[] entity, int time, int value, int inputWidth, long[] windows, Aggregate[] aggregates, DataType valueType) {
    this.entity = entity;
    this.time = time;
    this.value = value;
    this.inputWidth = inputWidth;
    this.windows = windows;
    this.aggregates = aggregates;
    this.valueType = valueType;
    this.integral = valueType instanceof IntegralType;
  }

  /** {@code df} plus the aggregates, laid out as {@code out} (the input's columns, then the aggregates). */
  static Dataset<Row> apply(
      Dataset<Row> df, List<String> entity, Column micros, String value, List<Long> windowMicros,
      List<Aggregate> aggregates, StructType out) {
    List<String> columns = Arrays.asList(df.columns());
    Dataset<Row> timed = df.withColumn(TIME, micros);
    int[] entityIndex = entity.stream().mapToInt(columns::indexOf).toArray();
    RollingFrames frames = new RollingFrames(
        entityIndex, columns.size(), columns.indexOf(value), columns.size(),
        windowMicros.stream().mapToLong(Long::longValue).toArray(), aggregates.toArray(new Aggregate[0]),
        df.schema().apply(value).dataType());
    Column[] keys = entity.stream().map(Columns::col).toArray(Column[]::new);
    // a 64-bit hash of the entity first: the sorter settles most comparisons on that long prefix, not on strings
    Column[] order = new Column[keys.length + 2];
    order[0] = org.apache.spark.sql.functions.xxhash64(keys);
    System.arraycopy(keys, 0, order, 1, keys.length);
    order[keys.length + 1] = col(TIME);
    MapPartitionsFunction<Row, Row> pass = rows -> frames.new Pass(rows);
    return timed.repartition(keys).sortWithinPartitions(order).mapPartitions(pass, Encoders.row(out));
  }

  /** One partition's rows, sorted by entity and time, in; the same rows with their aggregates, out. */
  private final class Pass implements Iterator<Row> {
    private final Iterator<Row> in;
    private Row pending;
    private final List<Row> group = new ArrayList<>();
    private int emitted;
    // the current entity's events so far, in time order
    private Object[] key;
    private long[] times = new long[64];
    private double[] doubles = new double[64];
    private long[] longs = new long[64];
    private Object[] objects = new Object[64];
    private boolean[] present = new boolean[64];
    private int size;
    private final int[] start = new int[windows.length];
    private Object[][] results;

    Pass(Iterator<Row> in) {
      this.in = in;
      this.pending = in.hasNext() ? in.next() : null;
    }

    @Override
    public boolean hasNext() {
      return emitted < group.size() || pending != null;
    }

    @Override
    public Row next() {
      if (emitted >= group.size()) {
        if (pending == null) {
          throw new NoSuchElementException();
        }
        readGroup();
      }
      Row r = group.get(emitted);
      Object[] values = new Object[inputWidth + aggregates.length * windows.length];
      for (int i = 0; i < inputWidth; i++) {
        values[i] = r.get(i);
      }
      int at = inputWidth;
      for (Object[] window : results) {
        for (Object v : window) {
          values[at++] = v;
        }
      }
      emitted++;
      return RowFactory.create(values);
    }

    /** Reads the rows of the next (entity, time), adds them to the entity's events and computes their frames. */
    private void readGroup() {
      group.clear();
      emitted = 0;
      Row first = pending;
      group.add(first);
      pending = in.hasNext() ? in.next() : null;
      Object[] k = keyOf(first);
      boolean valid = !first.isNullAt(time) && Arrays.stream(k).allMatch(Objects::nonNull);
      if (!valid) {
        results = nulls(); // alone: a row with no entity or time is in nobody's window and has no aggregates
        return;
      }
      long t = first.getLong(time);
      while (pending != null && !pending.isNullAt(time) && pending.getLong(time) == t && Arrays.equals(keyOf(pending), k)) {
        group.add(pending);
        pending = in.hasNext() ? in.next() : null;
      }
      if (!Arrays.equals(k, key)) {
        key = k;
        size = 0;
        Arrays.fill(start, 0);
      }
      for (Row r : group) {
        append(t, r);
      }
      results = new Object[windows.length][];
      for (int w = 0; w < windows.length; w++) {
        long from = t - windows[w]; // events at or before this are out
        int s = start[w];
        while (s < size && times[s] <= from) {
          s++;
        }
        start[w] = s;
        results[w] = aggregate(s, size);
      }
      compact();
    }

    private Object[] keyOf(Row r) {
      Object[] k = new Object[entity.length];
      for (int i = 0; i < entity.length; i++) {
        k[i] = r.get(entity[i]);
      }
      return k;
    }

    private Object[][] nulls() {
      return new Object[windows.length][aggregates.length];
    }

    private void append(long t, Row r) {
      if (size == times.length) {
        int n = size * 2;
        times = Arrays.copyOf(times, n);
        doubles = Arrays.copyOf(doubles, n);
        longs = Arrays.copyOf(longs, n);
        objects = Arrays.copyOf(objects, n);
        present = Arrays.copyOf(present, n);
      }
      times[size] = t;
      boolean has = !r.isNullAt(value);
      present[size] = has;
      objects[size] = has ? r.get(value) : null;
      if (has) {
        Object v = r.get(value);
        doubles[size] = ((Number) v).doubleValue();
        longs[size] = integral ? ((Number) v).longValue() : 0L;
      }
      size++;
    }

    /** Drops the events that every window has left behind, so the arrays hold one window's worth of events. */
    private void compact() {
      int drop = Arrays.stream(start).min().orElse(0);
      if (drop < 1024 || drop < size / 2) {
        return;
      }
      int keep = size - drop;
      System.arraycopy(times, drop, times, 0, keep);
      System.arraycopy(doubles, drop, doubles, 0, keep);
      System.arraycopy(longs, drop, longs, 0, keep);
      System.arraycopy(objects, drop, objects, 0, keep);
      System.arraycopy(present, drop, present, 0, keep);
      Arrays.fill(objects, keep, size, null);
      size = keep;
      for (int w = 0; w < start.length; w++) {
        start[w] -= drop;
      }
    }

    /** The aggregates of events [from, to), in time order, as Spark computes them. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object[] aggregate(int from, int to) {
      long count = 0;
      double sum = 0;
      long longSum = 0;
      Comparable min = null;
      Comparable max = null;
      double n = 0;
      double avg = 0;
      double m2 = 0;
      for (int i = from; i < to; i++) {
        if (!present[i]) {
          continue;
        }
        count++;
        double x = doubles[i];
        sum += x;
        longSum += longs[i];
        Comparable o = (Comparable) objects[i];
        if (min == null || o.compareTo(min) < 0) {
          min = o;
        }
        if (max == null || o.compareTo(max) > 0) {
          max = o;
        }
        // Spark's CentralMomentAgg update
        double newN = n + 1;
        double delta = x - avg;
        double deltaN = delta / newN;
        avg += deltaN;
        m2 += delta * (delta - deltaN);
        n = newN;
      }
      Object[] out = new Object[aggregates.length];
      for (int a = 0; a < aggregates.length; a++) {
        out[a] = switch (aggregates[a]) {
          case COUNT -> count;
          case EVENTS -> (long) (to - from);
          case SUM -> count == 0 ? null : integral ? (Object) longSum : (Object) sum;
          case MEAN -> count == 0 ? null : sum / count;
          case MIN -> min;
          case MAX -> max;
          case STDDEV -> count < 2 ? null : Math.sqrt(m2 / (n - 1));
        };
      }
      return out;
    }
  }

  /** The value's Java type must match the output column's for MIN and MAX (Spark keeps the value's type). */
  static boolean supports(DataType type) {
    return type instanceof ByteType || type instanceof ShortType || type instanceof IntegerType || type instanceof LongType
        || type instanceof org.apache.spark.sql.types.FloatType || type instanceof org.apache.spark.sql.types.DoubleType
        || type instanceof org.apache.spark.sql.types.DecimalType;
  }
}
