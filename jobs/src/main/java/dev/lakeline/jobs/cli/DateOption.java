package dev.lakeline.jobs.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --date} values: ISO dates (YYYY-MM-DD), as Airflow's {@code {{ ds }}} renders them. */
public final class DateOption implements ITypeConverter<LocalDate> {
  /** The demo's default logical date; jobs never read the wall clock. */
  public static final String DEMO_DEFAULT = "2024-06-30";

  @Override
  public LocalDate convert(String value) {
    try {
      return LocalDate.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a date: use YYYY-MM-DD, for example 2024-06-30 (Airflow: {{ ds }})");
    }
  }
}
