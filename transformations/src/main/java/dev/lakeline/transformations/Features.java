package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/** General-purpose feature transformations. Each documents the columns it needs, adds, and its null handling. */
public final class Features {
  private Features() {}

  /**
   * {@code output = numerator / denominator} as a double; null when either is null or the denominator is 0.
   * Needs two numeric columns.
   */
  public static Transformation ratio(String numerator, String denominator, String output) {
    return df -> {
      Columns.requireNumeric(df, "ratio", numerator);
      Columns.requireNumeric(df, "ratio", denominator);
      Column d = col(denominator).cast(DataTypes.DoubleType);
      return df.withColumn(
          output, when(d.isNull().or(d.equalTo(0.0)), lit(null)).otherwise(col(numerator).cast("double").divide(d)));
    };
  }

  /** {@code output = 1} when the numeric {@code count} is above 0, {@code 0} when it is 0; null stays null. */
  public static Transformation positiveFlag(String count, String output) {
    return df -> {
      Columns.requireNumeric(df, "positive_flag", count);
      return df.withColumn(output, when(col(count).isNull(), lit(null)).otherwise(when(col(count).gt(0), 1).otherwise(0)));
    };
  }

  /**
   * A cleaned 5-digit US zip code from messy text: surrounding spaces removed, a ZIP+4 suffix dropped, 3 or 4
   * digit codes (leading zeros lost in a spreadsheet) left-padded with zeros. Anything else becomes null.
   */
  public static Transformation zip5(String input, String output) {
    return df -> {
      Columns.requireType(df, "zip5", input, DataTypes.StringType);
      Column digits = regexp_extract(trim(col(input)), "^([0-9]{3,5})(-[0-9]{4})?$", 1);
      return df.withColumn(output, when(digits.equalTo(""), lit(null)).otherwise(lpad(digits, 5, "0")));
    };
  }

  /**
   * Daily snapshots of trailing-window aggregates per entity. For every entity and every day on which it has
   * events, the count and sum of {@code value} over the {@code days} days ending with that day (that day
   * included, so an event exactly {@code days} days before is out). Output columns: the entity, {@code day}
   * (date), {@code <prefix>_count_<days>d}, {@code <prefix>_sum_<days>d}. Null values are not counted or summed.
   */
  public static Transformation dailyTrailingAggregates(
      String entity, String timestamp, String value, int days, String prefix) {
    if (days < 1) {
      throw dev.lakeline.core.Errors.config(
          "dailyTrailingAggregates: the window must be at least 1 day, got %d.", days);
    }
    return df -> {
      Columns.require(df, "daily_trailing_aggregates", entity);
      Columns.requireType(
          df, "daily_trailing_aggregates", timestamp, DataTypes.TimestampType, DataTypes.DateType);
      Columns.requireNumeric(df, "daily_trailing_aggregates", value);
      var daily =
          df.withColumn("day", to_date(col(timestamp)))
              .groupBy(col(entity), col("day"))
              .agg(count(col(value)).as("_n"), sum(col(value).cast("double")).as("_s"));
      Column dayNumber = dayNumber();
      WindowSpec w =
          Window.partitionBy(col(entity)).orderBy(dayNumber).rangeBetween(-(days - 1L), 0L);
      return daily
          .withColumn(prefix + "_count_" + days + "d", sum(col("_n")).over(w))
          .withColumn(prefix + "_sum_" + days + "d", coalesce(sum(col("_s")).over(w), lit(0.0)))
          .drop("_n", "_s");
    };
  }

  private static Column dayNumber() {
    return org.apache.spark.sql.functions.datediff(col("day"), lit("1970-01-01").cast("date"));
  }
}
