package dev.lakeline.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lengths of time as configuration files write them: a whole number and a unit, {@code s}, {@code m}, {@code h},
 * {@code d} or {@code w} ({@code 30d}, {@code 4h}), or an ISO-8601 duration ({@code PT90M}). Used for rolling
 * windows, source lookbacks and the maximum age (TTL) of point-in-time joins.
 */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})([smhdw])");

  private Durations() {}

  /**
   * The duration {@code text} writes.
   *
   * @param where what the text configures, for the message ({@code "steps[2]"}, {@code "join 1 ('credit')"})
   * @throws LakelineException.ConfigError for anything else, a negative length included
   */
  public static Duration parse(String where, String text) {
    String t = text == null ? "" : text.trim();
    Matcher m = FORMAT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      };
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t);
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // the message below says what is accepted
      }
    }
    throw Errors.config(
        "%s: '%s' is not a length. Write a whole number and a unit: s, m, h, d or w (for example 30d).%s",
        where, text, t.startsWith("-") || t.startsWith("P-") || t.startsWith("PT-") ? " It cannot be negative." : "");
  }

  /** The shortest spelling {@link #parse} reads back: 30d, 4h, 90m, 45s. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (d.getNano() != 0) {
      return d.toString();
    }
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3_600 == 0) {
      return s / 3_600 + "h";
    }
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
