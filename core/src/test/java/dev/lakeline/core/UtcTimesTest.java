package dev.lakeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class UtcTimesTest {
  @Test
  void datesAndWallClockTimesAreUtcAndAnOffsetIsKept() {
    assertEquals(Instant.parse("2024-06-30T00:00:00Z"), UtcTimes.parse(" 2024-06-30 "));
    assertEquals(Instant.parse("2024-06-30T12:00:00Z"), UtcTimes.parse("2024-06-30 12:00:00"));
    assertEquals(Instant.parse("2024-06-30T12:00:00.351Z"), UtcTimes.parse("2024-06-30T12:00:00.351"));
    assertEquals(Instant.parse("2024-06-30T12:00:00Z"), UtcTimes.parse("2024-06-30T12:00:00Z"));
    assertEquals(Instant.parse("2024-06-30T10:00:00Z"), UtcTimes.parse("2024-06-30 12:00:00+02:00"));
    for (String bad : new String[] {"2024-3-1", "yesterday", "", "2024-06-30 25:00:00"}) {
      assertThrows(DateTimeParseException.class, () -> UtcTimes.parse(bad), bad);
    }
  }

  @Test
  void aTimeInTheJvmZonesDaylightSavingGapIsNotMoved() {
    TimeZone before = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("America/New_York")); // 02:00–03:00 on 2024-03-10 does not exist there
      assertEquals(Instant.parse("2024-03-10T02:30:00Z"), UtcTimes.parse("2024-03-10 02:30:00"));
    } finally {
      TimeZone.setDefault(before);
    }
  }
}
