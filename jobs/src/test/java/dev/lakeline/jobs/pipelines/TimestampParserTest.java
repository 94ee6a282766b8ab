package dev.lakeline.jobs.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default ISO 8601 timestamps (docs/feature-pipelines.md, "source", timestamp_formats). */
class TimestampParserTest {
  private final TimestampParser iso = new TimestampParser(List.of());

  @Test
  void isoTakesExactlyOneSeparatorBetweenDateAndTime() {
    Instant ten = Instant.parse("2024-06-01T10:00:00Z");
    assertEquals(ten, iso.call("2024-06-01T10:00:00"));
    assertEquals(ten, iso.call("2024-06-01 10:00:00"));
    assertEquals(ten, iso.call("2024-06-01t10:00"));
    assertEquals(ten, iso.call("2024-06-01 12:00:00+02:00"));
    assertEquals(ten, iso.call(" 2024-06-01T10:00:00Z "));
    assertEquals(Instant.parse("2024-06-01T10:00:00.123456Z"), iso.call("2024-06-01 10:00:00.123456"));
    assertEquals(Instant.parse("2024-06-01T00:00:00Z"), iso.call("2024-06-01"), "a date alone is midnight");

    assertNull(iso.call("2024-06-0110:00:00"), "no separator");
    assertNull(iso.call("2024-06-01T 10:00:00"), "two separators");
    assertNull(iso.call("2024-06-01 T10:00:00"), "two separators");
    assertNull(iso.call("2024-06-01  10:00:00"), "two spaces");
    assertNull(iso.call("2024-06-01T"), "a separator without a time");
    assertNull(iso.call("2024-06-01 25:00:00"));
  }
}
