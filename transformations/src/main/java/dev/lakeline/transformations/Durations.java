package dev.lakeline.transformations;

import dev.lakeline.core.Errors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Window lengths written as a whole number and a unit: {@code 30s}, {@code 15m}, {@code 1h}, {@code 7d}, {@code 2w}. */
final class Durations {
  static final long MICROS_PER_SECOND = 1_000_000L;
  static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
  private static final Pattern FORMAT = Pattern.compile("([0-9]+)([smhdw])");
  /** Ten thousand years: longer windows are typos, and this keeps every bound far from overflowing. */
  private static final long MAX_SECONDS = 10_000L * 366 * 86_400;

  private Durations() {}

  /** The length of {@code spec} in microseconds; anything but a positive whole number of a known unit is an error. */
  static long micros(String step, String spec) {
    Matcher m = spec == null ? null : FORMAT.matcher(spec);
    if (m == null || !m.matches()) {
      throw Errors.config(
          "Transformation '%s': window '%s' is not a duration. Write a positive whole number and a unit: s, m, h, "
              + "d or w (for example 30s, 15m, 1h, 1d, 7d).%s",
          step, spec, spec != null && spec.trim().startsWith("-") ? " A window cannot be negative." : "");
    }
    long unit = switch (m.group(2)) {
      case "s" -> 1L;
      case "m" -> 60L;
      case "h" -> 3_600L;
      case "d" -> 86_400L;
      default -> 7 * 86_400L;
    };
    long amount;
    try {
      amount = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      amount = Long.MAX_VALUE;
    }
    if (amount == 0) {
      throw Errors.config("Transformation '%s': window '%s' is zero; a window must be positive.", step, spec);
    }
    if (amount > MAX_SECONDS / unit) {
      throw Errors.config("Transformation '%s': window '%s' is longer than 10,000 years.", step, spec);
    }
    return amount * unit * MICROS_PER_SECOND;
  }
}
