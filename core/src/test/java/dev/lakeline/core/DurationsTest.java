package dev.lakeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsANumberAndAUnitOrAnIsoDuration() {
    assertEquals(Duration.ofSeconds(45), Durations.parse("x", "45s"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("x", "90m"));
    assertEquals(Duration.ofHours(4), Durations.parse("x", " 4h "));
    assertEquals(Duration.ofDays(30), Durations.parse("x", "30d"));
    assertEquals(Duration.ofDays(14), Durations.parse("x", "2w"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("x", "PT90M"));
    assertEquals(Duration.ZERO, Durations.parse("x", "0d"));
  }

  @Test
  void formatsTheShortestSpellingThatReadsBack() {
    for (String s : new String[] {"30d", "4h", "90m", "45s"}) {
      assertEquals(s, Durations.format(Durations.parse("x", s)));
    }
    assertEquals("1d", Durations.format(Duration.ofHours(24)));
    Duration odd = Duration.ofMillis(1500);
    assertEquals(odd, Durations.parse("x", Durations.format(odd)));
  }

  @Test
  void rejectsWhatIsNotALengthNamingWhereItWas() {
    for (String bad : new String[] {"30", "d", "30 days", "1.5h", "", "P", "PTxM"}) {
      LakelineException.ConfigError e =
          assertThrows(LakelineException.ConfigError.class, () -> Durations.parse("join 1 ('credit')", bad));
      assertTrue(e.getMessage().startsWith("join 1 ('credit'): '" + bad + "' is not a length"), e.getMessage());
    }
    assertThrows(LakelineException.ConfigError.class, () -> Durations.parse("x", null));
  }

  @Test
  void negativeLengthsAreRejectedSayingSo() {
    for (String bad : new String[] {"-30d", "PT-4H", "P-1D"}) {
      LakelineException.ConfigError e = assertThrows(LakelineException.ConfigError.class, () -> Durations.parse("max_age", bad));
      assertTrue(e.getMessage().endsWith("It cannot be negative."), e.getMessage());
    }
  }
}
