package dev.lakeline.validation.internal.deequ;

import java.util.List;

/**
 * What Deequ must measure for one expectation, in plain Java. Column names are the plain identifiers of the
 * Deequ view ({@code _c0}, {@code _o3}, …), never user column names, so Deequ's parser never sees a space, a dot
 * or a backtick.
 */
public sealed interface Measure {

  /**
   * The share of rows whose boolean column {@code ok} is true, among the rows whose boolean column {@code
   * applies} is true (all rows when {@code applies} is null). Both columns are never null. Deequ {@code
   * satisfies(ok).where(applies)}; exact counts from its {@code NumMatchesAndCount} state.
   */
  record Compliance(String ok, String applies) implements Measure {}

  /** Deequ {@code Uniqueness} over {@code columns}, restricted by the SQL filter {@code where} (may be null). */
  record Uniqueness(List<String> columns, String where) implements Measure {
    public Uniqueness {
      columns = List.copyOf(columns);
    }
  }

  /** Deequ {@code Distinctness}: distinct non-null values over non-null rows. */
  record Distinctness(String column) implements Measure {}

  /** A numeric statistic of one column over its non-null values. */
  record Statistic(Stat stat, String column) implements Measure {}

  /** The statistics Lakeline asks Deequ for. */
  enum Stat {
    MIN,
    MAX,
    MEAN,
    SUM,
    /** Deequ's population standard deviation; {@link Measurement#count()} is its n. */
    STDDEV_POP,
    /** The exact median ({@code percentile(c, 0.5)}, which averages the two middle values). */
    MEDIAN
  }
}
