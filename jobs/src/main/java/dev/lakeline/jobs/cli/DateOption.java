package dev.lakeline.jobs.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --date} values: ISO dates (YYYY-MM-DD), as Airflow's {@code {{ ds }}} renders them, or an ISO date
 * followed by {@code -Nd}, the day N days before it — for schedulers that can pass only the day they trigger on and no
 * arithmetic (Databricks' {@code {{job.trigger.time.iso_date}}-1d} is the day before a daily trigger).
 */
public final class DateOption implements ITypeConverter<LocalDate> {
  /** The demo's default logical date; jobs never read the wall clock. */
  public static final String DEMO_DEFAULT = "2024-06-30";

  private static final Pattern DAYS_BEFORE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})-(\\d{1,4})d");

  @Override
  public LocalDate convert(String value) {
    String v = value.trim();
    try {
      Matcher m = DAYS_BEFORE.matcher(v);
      if (m.matches()) {
        return LocalDate.parse(m.group(1)).minusDays(Integer.parseInt(m.group(2)));
      }
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not a date: use YYYY-MM-DD, for example 2024-06-30 (Airflow: {{ ds }}), "
          + "or YYYY-MM-DD-Nd for N days before it (Databricks: {{job.trigger.time.iso_date}}-1d)");
    }
  }
}
