package dev.lakeline.transformations;

import static dev.lakeline.transformations.Columns.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;

import dev.lakeline.core.Errors;

/**
 * The first general-purpose features, kept with their original signatures for their callers (the jobs module);
 * each is built from the same steps as the rest of the library. New code can use the step factories ({@link
 * NumericFeatures}, {@link CategoricalFeatures}, {@link DailySnapshots}), which return {@link Step}s.
 */
public final class Features {
  private Features() {}

  /**
   * {@code output = numerator / denominator} as a double; null when either is null or the denominator is 0.
   * Needs two numeric columns. Step {@code ratio}.
   */
  public static Transformation ratio(String numerator, String denominator, String output) {
    return NumericFeatures.ratio(numerator, denominator, output);
  }

  /**
   * Step {@code positive_flag}: {@code output = 1} (int) when the numeric {@code count} is above 0, {@code 0}
   * otherwise; null and NaN give null.
   */
  public static Transformation positiveFlag(String count, String output) {
    return NumericFeatures.positiveFlag(count, output);
  }

  /**
   * Step {@code zip5}: a cleaned 5-digit US zip code from messy text: surrounding spaces removed, a ZIP+4 suffix
   * dropped, 3 or 4 digit codes (leading zeros lost in a spreadsheet) left-padded with zeros. Anything else becomes
   * null.
   */
  public static Transformation zip5(String input, String output) {
    return CategoricalFeatures.zip5(input, output);
  }

  /**
   * Daily snapshots of trailing-window aggregates per entity ({@link DailySnapshots} with a window of {@code days}
   * days, count and sum). For every entity and every UTC day on which it has events, the count and sum of {@code
   * value} over the {@code days} days ending with that day (that day included, so an event exactly {@code days}
   * days before is out). Output columns: the entity, {@code day} (date), {@code <prefix>_count_<days>d} (long),
   * {@code <prefix>_sum_<days>d} (double). Null values are not counted or summed; a sum over none is 0.
   */
  public static Transformation dailyTrailingAggregates(
      String entity, String timestamp, String value, int days, String prefix) {
    if (days < 1) {
      throw Errors.config("dailyTrailingAggregates: the window must be at least 1 day, got %d.", days);
    }
    DailySnapshots snapshots = DailySnapshots.of(entity, timestamp, value, days + "d")
        .withAggregates(Aggregate.COUNT, Aggregate.SUM)
        .withPrefix(prefix);
    String sum = TrailingWindows.column(prefix, Aggregate.SUM, days + "d");
    return snapshots.andThen(df -> df.withColumn(sum, coalesce(col(sum).cast("double"), lit(0.0))));
  }
}
