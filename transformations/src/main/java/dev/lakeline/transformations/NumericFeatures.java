package dev.lakeline.transformations;

import java.util.Arrays;

/** Numeric features. Each needs numeric input columns; null in, null out. */
public final class NumericFeatures {
  private NumericFeatures() {}

  /**
   * Step {@code bucketize}: {@code output} = the bucket index (int) of the value among strictly increasing {@code
   * boundaries} b0 < b1 < ... < b(n-1): 0 below b0, i for b(i-1) <= x < b(i), n from b(n-1) up. A value equal to a
   * boundary goes to the bucket that starts there. NaN becomes null.
   */
  public static Step bucketize(String column, String output, Double... boundaries) {
    return new Bucketize(column, Arrays.asList(boundaries), output);
  }

  /**
   * Step {@code clip}: {@code output} = the value (as a double) limited to [min, max]; either bound may be null (no
   * limit on that side). NaN stays NaN.
   */
  public static Step clip(String column, Double min, Double max, String output) {
    return new Clip(column, min, max, output);
  }

  /**
   * Step {@code log1p}: {@code output} = ln(1 + x) (double). Negative values follow {@code negative}: {@code signed}
   * (the default) gives -ln(1 + |x|), a symmetric log defined everywhere; {@code null} gives null.
   */
  public static Step log1p(String column, String negative, String output) {
    return new Log1p(column, negative, output);
  }

  /**
   * Step {@code ratio}: {@code output} = numerator / denominator as a double; null when either is null or the
   * denominator is 0.
   */
  public static Step ratio(String numerator, String denominator, String output) {
    return new Ratio(numerator, denominator, output);
  }

  /**
   * Step {@code haversine}: {@code output} = great-circle distance in km (Earth radius 6371 km) between two points
   * given in decimal degrees. Null when any coordinate is null or out of range (latitude outside [-90, 90],
   * longitude outside [-180, 180]).
   */
  public static Step haversineKm(String fromLat, String fromLon, String toLat, String toLon, String output) {
    return new Haversine(fromLat, fromLon, toLat, toLon, output);
  }

  /** Step {@code positive_flag}: {@code output} = 1 (int) when the value is above 0, else 0; null and NaN give null. */
  public static Step positiveFlag(String column, String output) {
    return new PositiveFlag(column, output);
  }
}
