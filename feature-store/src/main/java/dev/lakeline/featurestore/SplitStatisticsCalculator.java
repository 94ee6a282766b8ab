package dev.lakeline.featurestore;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.lakeline.core.spark.SqlColumns;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;

/** Per-split statistics of a training dataset, in one aggregation. */
final class SplitStatisticsCalculator {
  private SplitStatisticsCalculator() {}

  /**
   * The statistics of every split in {@code splits}, those without rows too (0 rows, no event times, features with no
   * values), and of any other split the data holds.
   */
  static Map<String, SplitStatistics> compute(
      Dataset<Row> data, String splitColumn, List<String> splits, String eventTime, List<String> features) {
    Map<String, SplitStatistics> out = compute(data, splitColumn, eventTime, features);
    for (String split : splits) {
      if (!out.containsKey(split)) {
        Map<String, SplitStatistics.FeatureStatistics> none = new LinkedHashMap<>();
        for (String f : features) {
          if (data.schema().apply(f).dataType() instanceof NumericType) {
            none.put(f, new SplitStatistics.FeatureStatistics(0, 0, null, null, null));
          }
        }
        out.put(split, new SplitStatistics(0, null, null, none));
      }
    }
    return out;
  }

  static Map<String, SplitStatistics> compute(Dataset<Row> data, String splitColumn, String eventTime, List<String> features) {
    List<String> numeric = new ArrayList<>();
    for (String f : features) {
      if (data.schema().apply(f).dataType() instanceof NumericType) {
        numeric.add(f);
      }
    }
    List<Column> aggs = new ArrayList<>();
    aggs.add(min(SqlColumns.col(eventTime)));
    aggs.add(max(SqlColumns.col(eventTime)));
    for (String f : numeric) {
      Column c = SqlColumns.col(f);
      aggs.add(count(c));
      aggs.add(avg(c).cast("double")); // avg of a DECIMAL is a DECIMAL
      aggs.add(min(c).cast("double"));
      aggs.add(max(c).cast("double"));
    }
    Map<String, SplitStatistics> out = new TreeMap<>();
    for (Row r : data.groupBy(col(splitColumn)).agg(count(lit(1)), aggs.toArray(Column[]::new)).collectAsList()) {
      long rows = r.getLong(1);
      Map<String, SplitStatistics.FeatureStatistics> fs = new LinkedHashMap<>();
      int i = 4;
      for (String f : numeric) {
        long n = r.getLong(i);
        fs.put(f, new SplitStatistics.FeatureStatistics(n, rows - n, dbl(r, i + 1), dbl(r, i + 2), dbl(r, i + 3)));
        i += 4;
      }
      out.put(r.getString(0), new SplitStatistics(rows, time(r.get(2)), time(r.get(3)), fs));
    }
    return out;
  }

  private static Double dbl(Row r, int i) {
    return r.isNullAt(i) ? null : r.getDouble(i);
  }

  private static String time(Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof Timestamp ts ? ts.toInstant().toString() : value.toString();
  }
}
