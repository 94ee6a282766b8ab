package dev.lakeline.jobs.pipelines;

import dev.lakeline.core.Errors;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lengths written as the transformation steps write windows: a whole number and a unit, s, m, h, d or w. */
final class WindowLengths {
  private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})([smhdw])");

  private WindowLengths() {}

  static Duration parse(String where, String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw Errors.config(
          "%s: '%s' is not a length. Write a whole number and a unit: s, m, h, d or w (for example 30d).%s",
          where, text, text != null && text.trim().startsWith("-") ? " It cannot be negative." : "");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }

  /** The shortest spelling: 30d, 4h, 90m, 45s. */
  static String format(Duration d) {
    long s = d.getSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
