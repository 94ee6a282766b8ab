package dev.lakeline.core;

import java.util.Collection;
import java.util.Locale;

/**
 * The one place where Lakeline's user-facing exceptions are created. Every message states the problem, the
 * cause where known, and what to do about it.
 */
public final class Errors {
  private Errors() {}

  public static LakelineException.ConfigError config(String format, Object... args) {
    return new LakelineException.ConfigError(String.format(Locale.ROOT, format, args), null);
  }

  public static LakelineException.ConfigError config(Throwable cause, String format, Object... args) {
    return new LakelineException.ConfigError(String.format(Locale.ROOT, format, args), cause);
  }

  public static LakelineException.DataRejected rejected(String format, Object... args) {
    return new LakelineException.DataRejected(String.format(Locale.ROOT, format, args), null);
  }

  public static LakelineException.NotFound notFound(String format, Object... args) {
    return new LakelineException.NotFound(String.format(Locale.ROOT, format, args), null);
  }

  public static LakelineException.Conflict conflict(String format, Object... args) {
    return new LakelineException.Conflict(String.format(Locale.ROOT, format, args), null);
  }

  public static LakelineException.Conflict conflict(Throwable cause, String format, Object... args) {
    return new LakelineException.Conflict(String.format(Locale.ROOT, format, args), cause);
  }

  /** A required column is missing from a DataFrame that Lakeline was handed. */
  public static LakelineException.ConfigError missingColumn(
      String where, String column, Collection<String> available) {
    String close = Spelling.closest(column, available);
    return config(
        "%s needs column '%s', but the input has only %s.%s Add or rename the column before this step.",
        where, column, available, close == null ? "" : " Did you mean '" + close + "'?");
  }
}
