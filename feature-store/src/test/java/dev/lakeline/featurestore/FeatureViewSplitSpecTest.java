package dev.lakeline.featurestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.LakelineException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Split configuration: the factories and every config error (no Spark). */
class FeatureViewSplitSpecTest {
  private static final Instant JAN_15 = Instant.parse("2024-01-15T00:00:00Z");
  private static final Instant JAN_22 = Instant.parse("2024-01-22T00:00:00Z");

  private static void assertConfigError(Executable e, String... mentions) {
    LakelineException.ConfigError err = assertThrows(LakelineException.ConfigError.class, e);
    for (String m : mentions) {
      assertTrue(err.getMessage().contains(m), "message should mention '" + m + "': " + err.getMessage());
    }
  }

  @Test
  void everySplitDescribesItselfInWords() {
    assertEquals("random by row: 70 % train, 10 % validation, 20 % test (of the rows, seeded)",
        SplitSpec.random(0.1, 0.2).describe());
    assertEquals("random by row: 66.67 % train, 33.33 % test (of the rows, seeded)", SplitSpec.random(0, 1.0 / 3).describe());
    assertEquals("by entity [customer_id]: 75 % train, 25 % test (of the entities, seeded), no entity in two splits",
        SplitSpec.byEntity(List.of("customer_id"), 0, 0.25).describe());
    assertEquals("by time: train before 2024-01-15, validation from 2024-01-15, test from 2024-01-22; the 2 days before "
        + "each boundary dropped", SplitSpec.byTime(JAN_15, JAN_22, Duration.ofDays(2)).describe());
    assertEquals("by time: train before 2024-01-22T06:00:00Z, test from 2024-01-22T06:00:00Z; the 6 h before each boundary "
        + "dropped", SplitSpec.byTime(null, JAN_22.plusSeconds(6 * 3600), Duration.ofHours(6)).describe());
    assertEquals("by time: train before 2024-01-22, test from 2024-01-22", SplitSpec.byTime(null, JAN_22, null).describe());
  }

  /** Every split a spec makes is recorded, an empty one too; what gave it its rows is said in a warning. */
  @Test
  void aSpecNamesTheSplitsItMakesAndWhatGivesEachItsRows() {
    assertEquals(List.of("train", "test"), SplitSpec.random(0, 0.2).splits());
    assertEquals(List.of("train", "validation", "test"), SplitSpec.byEntity(List.of("customer"), 0.001, 0.2).splits());
    assertEquals(List.of("train", "test"), SplitSpec.byTime(null, JAN_22, null).splits());
    assertEquals(List.of("train", "validation", "test"), SplitSpec.byTime(JAN_15, JAN_22, Duration.ofDays(2)).splits());

    assertEquals("a test fraction of 0.00001 (0.001 % of the rows)", SplitSpec.random(0, 0.00001).share("test"));
    assertEquals("a validation fraction of 0.001 (0.1 % of the entities)",
        SplitSpec.byEntity(List.of("customer"), 0.001, 0.2).share("validation"));
    assertEquals("test from 2024-01-22", SplitSpec.byTime(JAN_15, JAN_22, null).share("test"));
    assertEquals("validation from 2024-01-15 to before 2024-01-22 less the 2 days gap",
        SplitSpec.byTime(JAN_15, JAN_22, Duration.ofDays(2)).share("validation"));
  }

  @Test
  void factoriesBuildTheirKind() {
    SplitSpec random = SplitSpec.random(0.1, 0.2);
    assertEquals(SplitSpec.Kind.RANDOM, random.kind());
    assertEquals(0.1, random.validationFraction());
    assertEquals(0.2, random.testFraction());

    SplitSpec time = SplitSpec.byTime(JAN_15, JAN_22, Duration.ofDays(2));
    assertEquals(SplitSpec.Kind.TIME, time.kind());
    assertEquals(JAN_15, time.validationStartInstant());
    assertEquals(JAN_22, time.testStartInstant());
    assertEquals(2 * 86_400L, time.gapSeconds());
    assertNull(SplitSpec.byTime(null, JAN_22, null).validationStartInstant());

    SplitSpec entity = SplitSpec.byEntity(List.of("customer"), 0, 0.25);
    assertEquals(List.of("customer"), entity.entityColumns());

    // the old options constructor is a random train/test split
    assertEquals(SplitSpec.random(0, 0.3), new TrainingDatasetOptions("x > 1", 0.3, 5L).split());
  }

  @Test
  void badFractionsAreConfigErrors() {
    assertConfigError(() -> SplitSpec.random(0.1, 0), "test fraction", "0");
    assertConfigError(() -> SplitSpec.random(0.1, 1.0), "test fraction");
    assertConfigError(() -> SplitSpec.random(-0.1, 0.2), "validation fraction", "-0.1");
    assertConfigError(() -> SplitSpec.random(0.5, 0.5), "add up to 1.0", "below 1");
    assertConfigError(() -> SplitSpec.byEntity(List.of("c"), 0.2, Double.NaN), "test fraction");
    assertConfigError(() -> SplitSpec.byEntity(List.of(), 0.2, 0.2), "entity column");
    assertConfigError(() -> new TrainingDatasetOptions("", 1.5, 1L), "test fraction", "1.5");
    assertConfigError(() -> new TrainingDatasetOptions("", null, 1L), "split");
  }

  @Test
  void badBoundariesAreConfigErrors() {
    assertConfigError(() -> SplitSpec.byTime(JAN_15, null, null), "test start");
    assertConfigError(() -> SplitSpec.byTime(JAN_22, JAN_15, null), "validation start", "before the test start");
    assertConfigError(() -> SplitSpec.byTime(JAN_15, JAN_15, null), "before the test start");
    // lengths as the options give them (--gap-days), not in seconds or ISO durations
    assertConfigError(() -> SplitSpec.byTime(JAN_15, JAN_22, Duration.ofDays(-1)), "negative (-1 day)");
    assertConfigError(() -> SplitSpec.byTime(JAN_15, JAN_22, Duration.ofDays(9)),
        "The gap (9 days) is at least as long as the validation range", "(7 days)", "validation would be empty");
    assertConfigError(() -> SplitSpec.byTime(JAN_15, JAN_22, Duration.ofHours(170)), "The gap (170 hours)");
    assertConfigError(
        () -> new SplitSpec(SplitSpec.Kind.TIME, 0, 0, null, "2024-13-01", 0, null), "ISO-8601", "'2024-13-01'");
    assertConfigError(() -> new SplitSpec(null, 0, 0.2, null, null, 0, null), "kind");
  }
}
