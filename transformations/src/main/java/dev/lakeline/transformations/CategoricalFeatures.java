package dev.lakeline.transformations;

import java.util.Map;

/** Clean-up of string categories. Each needs a string column and writes a string column. */
public final class CategoricalFeatures {
  private CategoricalFeatures() {}

  /**
   * Step {@code normalize_string}: runs of white space (Unicode, so tabs and no-break spaces too) become one space,
   * leading and trailing spaces go, letters become lower case. An empty result becomes null when {@code
   * emptyAsNull}. Null in, null out. {@code output} may be {@code column} (replaced in place).
   */
  public static Step normalize(String column, boolean emptyAsNull, String output) {
    return new NormalizeString(column, emptyAsNull, output);
  }

  /**
   * Step {@code rare_categories}: values seen fewer than {@code minCount} times, or whose share of the non-null rows
   * is below {@code minShare} (either may be null, not both), become {@code bucket}; other values stay. Null stays
   * null and is not a category. The counts are computed on the input given (an aggregate over the whole DataFrame,
   * so it costs a shuffle): the same value can be rare in one batch and frequent in another. To map the same way at
   * training and scoring time, keep the frequent values in a fixed {@code map_values} step instead.
   */
  public static Step rareToBucket(String column, Long minCount, Double minShare, String bucket, String output) {
    return new RareCategories(column, minCount, minShare, bucket, output);
  }

  /**
   * Step {@code map_values}: values found in {@code mapping} (exact, case-sensitive match) are replaced; other values
   * become {@code otherwise}, or stay as they are when {@code otherwise} is null. Null stays null.
   */
  public static Step mapValues(String column, Map<String, String> mapping, String otherwise, String output) {
    return new MapValues(column, mapping, otherwise, output);
  }

  /**
   * Step {@code zip5}: a cleaned 5-digit US zip code from messy text: surrounding spaces removed, a ZIP+4 suffix
   * dropped, 3 or 4 digit codes (leading zeros lost in a spreadsheet) left-padded with zeros. Anything else becomes
   * null.
   */
  public static Step zip5(String column, String output) {
    return new Zip5(column, output);
  }
}
