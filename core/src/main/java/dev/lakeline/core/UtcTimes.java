package dev.lakeline.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Times as users write them in options and files, read the one way every Lakeline time is read: in UTC, never in the
 * JVM's zone or the Spark session's. {@code 2024-06-30} is its midnight UTC; {@code 2024-06-30 12:00:00[.123]} (or
 * with a {@code T}) is that wall-clock time in UTC; an ISO-8601 time with an offset ({@code …Z}, {@code …+02:00}) is
 * the instant it names. Parsed by {@code java.time}, never through {@code java.sql.Timestamp}, which reads the fields
 * in the JVM's zone and moves a time in its daylight-saving gap an hour on.
 */
public final class UtcTimes {
  private UtcTimes() {}

  /**
   * The instant {@code text} names.
   *
   * @throws DateTimeParseException when it is none of the forms above (callers say which option or field it was)
   */
  public static Instant parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.length() == 10) {
      return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
    if (hasOffset(t)) {
      return OffsetDateTime.parse(t.replace(' ', 'T')).toInstant();
    }
    return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
  }

  /**
   * Whether {@code text} is written as an instant ({@code …Z}, {@code …+02:00}) rather than a UTC date or wall-clock
   * time: the form {@link #parse} reads as the instant it names. Says nothing of whether it parses.
   */
  public static boolean hasOffset(String text) {
    String t = text == null ? "" : text.trim();
    return t.length() != 10 && (t.endsWith("Z") || t.endsWith("z") || t.matches(".*[+-]\\d\\d:\\d\\d$"));
  }
}
