package dev.lakeline.jobs.pipelines;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.api.java.UDF1;

/**
 * Parses timestamp text with a list of patterns tried in order, into an instant: a value with an offset or a zone
 * ({@code XXX}, {@code Z}, {@code VV}) is converted to UTC; a value without one is read as UTC, whatever the Spark
 * session's time zone. Null when no pattern matches the whole text (the caller reports the row as bad).
 *
 * <p>Written as a function rather than with Spark's {@code to_timestamp}, which interprets zone-less values in the
 * session time zone and, under the default parser policy, fails the whole job on a value that only the pre-3.0
 * parser would have accepted. Patterns are read strictly (no 30 February, no 25:00).
 */
final class TimestampParser implements UDF1<String, Instant> {
  private static final long serialVersionUID = 1L;

  /** ISO 8601: a date, then exactly one separator ('T' or ' ') and a time with optional fraction and offset. */
  static final List<DateTimeFormatter> ISO = List.of(iso('T'), iso(' '), strict(DateTimeFormatter.ISO_LOCAL_DATE));

  private static DateTimeFormatter iso(char separator) {
    return strict(new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .append(DateTimeFormatter.ISO_LOCAL_DATE)
        .appendLiteral(separator)
        .append(DateTimeFormatter.ISO_LOCAL_TIME)
        .optionalStart().appendOffsetId().optionalEnd()
        .toFormatter(Locale.ROOT));
  }

  private static DateTimeFormatter strict(DateTimeFormatter f) {
    return f.withLocale(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
  }

  private final List<String> patterns;
  private transient List<DateTimeFormatter> formatters;

  /** {@code patterns} empty means ISO 8601. */
  TimestampParser(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /**
   * The formatter of a Spark/Java datetime pattern, resolved strictly; {@code y} (year of era) is read as {@code u}
   * (proleptic year), as Spark does, so that strict resolution needs no era.
   */
  static DateTimeFormatter formatter(String pattern) {
    StringBuilder b = new StringBuilder();
    boolean quoted = false;
    for (char c : pattern.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      }
      b.append(!quoted && c == 'y' && pattern.indexOf('G') < 0 ? 'u' : c);
    }
    return new DateTimeFormatterBuilder()
        .parseCaseInsensitive()
        .appendPattern(b.toString())
        .toFormatter(Locale.ROOT)
        .withResolverStyle(ResolverStyle.STRICT);
  }

  private List<DateTimeFormatter> formatters() {
    if (formatters == null) {
      List<DateTimeFormatter> fs = new ArrayList<>();
      if (patterns.isEmpty()) {
        fs.addAll(ISO);
      }
      patterns.forEach(p -> fs.add(formatter(p)));
      formatters = fs;
    }
    return formatters;
  }

  @Override
  public Instant call(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    for (DateTimeFormatter f : formatters()) {
      try {
        return instant(f.parse(t));
      } catch (DateTimeException e) {
        // try the next pattern
      }
    }
    return null;
  }

  private static Instant instant(TemporalAccessor parsed) {
    if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
      return Instant.from(parsed);
    }
    LocalDate date = parsed.query(TemporalQueries.localDate());
    if (date == null) {
      throw new DateTimeException("no date in the value");
    }
    LocalTime time = parsed.query(TemporalQueries.localTime());
    return (time == null ? date.atStartOfDay() : date.atTime(time)).toInstant(ZoneOffset.UTC);
  }

  /** The patterns as shown in messages. */
  String describe() {
    return patterns.isEmpty() ? "ISO 8601 (2024-06-01T10:15:30, 2024-06-01 10:15:30.5+02:00, 2024-06-01)" : patterns.toString();
  }
}
