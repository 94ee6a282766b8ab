package dev.lakeline.featurestore;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.lakeline.core.spark.SqlColumns;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

/**
 * What a training dataset looks like, for pictures: its rows per split over event time, a histogram of every numeric
 * feature per split, and the mean of every numeric (or boolean) label per split. Computed from the stored rows in
 * three small aggregations ({@link TrainingDataset#profile}); plain data, no rendering.
 *
 * @param splits the splits present, in train, validation, test order
 * @param period how event time is bucketed in {@code periods}: {@code day}, {@code week} (from Monday) or {@code month}
 * @param periods the first day of every period from the earliest row's to the latest's, none skipped
 * @param rowsPerPeriod per split, its rows in each of {@code periods} (same positions)
 * @param histograms per numeric feature (in the view's order), its histogram per split
 * @param labelMeans per numeric or boolean label, its mean per split (the positive share of a 0/1 label)
 */
public record TrainingDatasetProfile(
    List<String> splits,
    String period,
    List<LocalDate> periods,
    Map<String, List<Long>> rowsPerPeriod,
    List<Histogram> histograms,
    Map<String, Map<String, Double>> labelMeans) {

  /** The day after the last day of period {@code i} (the next period's first day). */
  public LocalDate periodEnd(int i) {
    return next(periods.get(i), period);
  }

  /**
   * One feature's histogram per split, over equal-width bins from the smallest value of any split to the largest.
   *
   * @param feature the column
   * @param min the lower edge of the first bin
   * @param max the upper edge of the last bin (equal to {@code min} when every value is the same: one bin)
   * @param counts per split, the non-null values in each bin
   * @param nulls per split, the null (and NaN) values
   */
  public record Histogram(String feature, double min, double max, Map<String, List<Long>> counts, Map<String, Long> nulls) {
    /** The width of a bin. */
    public double binWidth() {
      int bins = counts.values().stream().findFirst().map(List::size).orElse(1);
      return max > min ? (max - min) / bins : 1;
    }
  }

  static TrainingDatasetProfile of(Dataset<Row> data, TrainingDatasetManifest m, int bins) {
    if (bins < 1) {
      throw dev.lakeline.core.Errors.config("A histogram needs at least one bin, got %d.", bins);
    }
    List<String> splits = m.splitNames();

    String time = m.spine().eventTime();
    LocalDate first = null;
    LocalDate last = null;
    for (SplitStatistics s : m.statistics().values()) {
      if (s.eventTimeMin() != null) {
        LocalDate lo = day(s.eventTimeMin());
        LocalDate hi = day(s.eventTimeMax());
        first = first == null || lo.isBefore(first) ? lo : first;
        last = last == null || hi.isAfter(last) ? hi : last;
      }
    }
    String period = first == null ? "day" : ChronoUnit.DAYS.between(first, last) <= 62 ? "day"
        : ChronoUnit.DAYS.between(first, last) <= 2 * 366 ? "week" : "month";
    List<LocalDate> periods = new ArrayList<>();
    if (first != null) {
      for (LocalDate p = start(first, period); !p.isAfter(last); p = next(p, period)) {
        periods.add(p);
      }
    }
    Map<String, List<Long>> rowsPerPeriod = new LinkedHashMap<>();
    splits.forEach(s -> rowsPerPeriod.put(s, new ArrayList<>(Collections.nCopies(periods.size(), 0L))));
    Column bucket = period.equals("day") ? utcDate(data, time) : trunc(utcDate(data, time), period);
    for (Row r : data.where(SqlColumns.col(time).isNotNull()).groupBy(col(FeatureView.SPLIT), bucket.as("p")).count().collectAsList()) {
      int at = periods.indexOf(r.getDate(1).toLocalDate());
      List<Long> counts = rowsPerPeriod.get(r.getString(0));
      if (at >= 0 && counts != null) {
        counts.set(at, r.getLong(2));
      }
    }
    return new TrainingDatasetProfile(splits, period, periods, rowsPerPeriod, histograms(data, m, splits, bins),
        labelMeans(data, m, splits));
  }

  private static List<Histogram> histograms(Dataset<Row> data, TrainingDatasetManifest m, List<String> splits, int bins) {
    List<String> numeric = new ArrayList<>();
    List<double[]> ranges = new ArrayList<>();
    for (String f : m.features()) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      boolean known = false;
      for (SplitStatistics s : m.statistics().values()) {
        SplitStatistics.FeatureStatistics fs = s.features().get(f);
        if (fs != null) {
          known = true;
          if (fs.min() != null) {
            lo = Math.min(lo, fs.min());
            hi = Math.max(hi, fs.max());
          }
        }
      }
      if (known) {
        numeric.add(f);
        ranges.add(lo <= hi ? new double[] {lo, hi} : new double[] {0, 0});
      }
    }
    if (numeric.isEmpty()) {
      return List.of();
    }
    // one row per (row, feature): the feature's index and its bin (-1 for null), counted per split in one job
    List<Column> cells = new ArrayList<>();
    for (int i = 0; i < numeric.size(); i++) {
      Column v = SqlColumns.col(numeric.get(i)).cast("double");
      double lo = ranges.get(i)[0];
      double hi = ranges.get(i)[1];
      Column bin = hi > lo ? least(floor(v.minus(lo).divide(hi - lo).multiply(bins)).cast("int"), lit(bins - 1)) : lit(0);
      cells.add(struct(lit(i).as("f"), when(v.isNull().or(org.apache.spark.sql.functions.isnan(v)), lit(-1)).otherwise(bin).as("b")));
    }
    Dataset<Row> counted = data
        .select(col(FeatureView.SPLIT), explode(org.apache.spark.sql.functions.array(cells.toArray(Column[]::new))).as("c"))
        .groupBy(col(FeatureView.SPLIT), col("c.f"), col("c.b"))
        .count();
    List<Map<String, List<Long>>> counts = new ArrayList<>();
    List<Map<String, Long>> nulls = new ArrayList<>();
    for (int i = 0; i < numeric.size(); i++) {
      int width = ranges.get(i)[1] > ranges.get(i)[0] ? bins : 1;
      Map<String, List<Long>> c = new LinkedHashMap<>();
      Map<String, Long> n = new LinkedHashMap<>();
      splits.forEach(s -> {
        c.put(s, new ArrayList<>(Collections.nCopies(width, 0L)));
        n.put(s, 0L);
      });
      counts.add(c);
      nulls.add(n);
    }
    for (Row r : counted.collectAsList()) {
      String split = r.getString(0);
      int f = r.getInt(1);
      int b = r.getInt(2);
      if (!counts.get(f).containsKey(split)) {
        continue;
      }
      if (b < 0) {
        nulls.get(f).put(split, r.getLong(3));
      } else {
        counts.get(f).get(split).set(b, r.getLong(3));
      }
    }
    List<Histogram> out = new ArrayList<>();
    for (int i = 0; i < numeric.size(); i++) {
      out.add(new Histogram(numeric.get(i), ranges.get(i)[0], ranges.get(i)[1], counts.get(i), nulls.get(i)));
    }
    return out;
  }

  private static Map<String, Map<String, Double>> labelMeans(Dataset<Row> data, TrainingDatasetManifest m, List<String> splits) {
    List<String> labels = new ArrayList<>();
    List<Column> aggs = new ArrayList<>();
    for (String l : m.labels()) {
      var type = data.schema().apply(l).dataType();
      if (type instanceof NumericType || type instanceof BooleanType) {
        labels.add(l);
        aggs.add(avg(SqlColumns.col(l).cast("double")));
      }
    }
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    if (labels.isEmpty()) {
      return out;
    }
    labels.forEach(l -> out.put(l, new LinkedHashMap<>()));
    Map<String, Row> bySplit = new LinkedHashMap<>();
    for (Row r : data.groupBy(col(FeatureView.SPLIT)).agg(count(lit(1)), aggs.toArray(Column[]::new)).collectAsList()) {
      bySplit.put(r.getString(0), r);
    }
    for (String s : splits) {
      Row r = bySplit.get(s);
      for (int i = 0; i < labels.size(); i++) {
        out.get(labels.get(i)).put(s, r == null || r.isNullAt(2 + i) ? null : r.getDouble(2 + i));
      }
    }
    return out;
  }

  /**
   * The event time's UTC date, as the manifest's times and the splits count it: a date as it is, a timestamp by its
   * instant. (A cast to date or {@code date_trunc} would count it in the session's zone.)
   */
  private static Column utcDate(Dataset<Row> data, String time) {
    DataType type = data.schema().apply(time).dataType();
    Column c = SqlColumns.col(time);
    if (type.equals(DataTypes.TimestampType)) {
      return date_from_unix_date(floor(unix_micros(c).divide(86_400_000_000L)).cast("int"));
    }
    return type.equals(DataTypes.DateType) ? c : c.cast("date"); // a TIMESTAMP_NTZ: its own wall-clock date
  }

  private static LocalDate day(String isoDateOrInstant) {
    return isoDateOrInstant.length() == 10
        ? LocalDate.parse(isoDateOrInstant)
        : LocalDate.ofInstant(Instant.parse(isoDateOrInstant), ZoneOffset.UTC);
  }

  private static LocalDate start(LocalDate d, String period) {
    return switch (period) {
      case "week" -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case "month" -> d.withDayOfMonth(1);
      default -> d;
    };
  }

  private static LocalDate next(LocalDate d, String period) {
    return switch (period) {
      case "week" -> d.plusWeeks(1);
      case "month" -> d.plusMonths(1);
      default -> d.plusDays(1);
    };
  }
}
