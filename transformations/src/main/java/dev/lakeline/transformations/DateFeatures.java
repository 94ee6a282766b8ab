package dev.lakeline.transformations;

import java.time.LocalDate;
import java.util.Arrays;

/** Date and time features. None of them reads the wall clock. */
public final class DateFeatures {
  private DateFeatures() {}

  /**
   * Step {@code date_parts}: integer columns {@code <prefix>_<part>} from a timestamp or date column, read on the
   * wall clock of {@code timezone} (a region id; UTC by default, whatever the session's zone). Parts: {@code year},
   * {@code month} (1-12), {@code day_of_month}, {@code day_of_week} (ISO: Monday = 1 ... Sunday = 7), {@code hour}
   * (0-23), {@code minute}, {@code is_weekend} (1 on Saturday and Sunday, else 0). A date column has no hour or
   * minute. Null in, null out.
   */
  public static Step dateParts(String column, String timezone, String... parts) {
    return new DateParts(column, parts.length == 0 ? DateParts.DEFAULT : Arrays.asList(parts), timezone, column);
  }

  /**
   * Step {@code cyclical}: {@code <prefix>_sin} and {@code <prefix>_cos} = sin and cos of 2 pi x / period, so that
   * the ends of a cycle are neighbours (hour 23 next to hour 0: period 24; day of week: 7; month: 12). Needs a
   * numeric column; null in, null out.
   */
  public static Step cyclical(String column, double period) {
    return new Cyclical(column, period, column);
  }

  /**
   * Step {@code age}: {@code output} = completed years (or days, with unit {@code days}) from the date in {@code
   * column} to the date in {@code asOfColumn}, as an integer. Timestamps count by their UTC date. Someone born on 29
   * February has a birthday on 1 March in other years. Null when either date is null or the as-of date is before the
   * date (that is not an age).
   */
  public static Step age(String column, String asOfColumn, String unit, String output) {
    return new Age(column, asOfColumn, null, unit, output);
  }

  /** Step {@code age} as of a fixed date given as a parameter (never today's date). */
  public static Step ageAsOf(String column, LocalDate asOf, String unit, String output) {
    return new Age(column, null, asOf, unit, output);
  }
}
