package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * How a training dataset's rows are divided into the splits {@code train}, {@code validation} and {@code test}.
 * Immutable; build one with {@link #random}, {@link #byTime} or {@link #byEntity}.
 *
 * <ul>
 *   <li>{@link Kind#RANDOM}: a seeded hash of the row's identity (base key and event time) picks the split, so a row
 *       lands in the same split in every dataset built with the same seed.
 *   <li>{@link Kind#TIME}: the base event time picks the split: {@code train} before {@code validationStart - gap},
 *       {@code validation} from {@code validationStart} to before {@code testStart - gap}, {@code test} from {@code
 *       testStart}. Rows inside a gap are dropped. Without a validation start there is no validation split.
 *   <li>{@link Kind#ENTITY}: a seeded hash of the entity columns picks the split, so no entity is in two splits.
 * </ul>
 *
 * @param kind how rows are assigned
 * @param validationFraction share of rows (RANDOM) or entities (ENTITY) in validation; 0 for none
 * @param testFraction share of rows (RANDOM) or entities (ENTITY) in test
 * @param validationStart TIME: ISO-8601 instant where validation starts, or null for no validation split
 * @param testStart TIME: ISO-8601 instant where test starts
 * @param gapSeconds TIME: seconds before each boundary whose rows are dropped (0 for none)
 * @param entityColumns ENTITY: the base columns that identify an entity
 */
public record SplitSpec(
    Kind kind,
    double validationFraction,
    double testFraction,
    String validationStart,
    String testStart,
    long gapSeconds,
    List<String> entityColumns) {

  /** The split names, as written to the dataset's {@code split} column. */
  public static final String TRAIN = "train";

  public static final String VALIDATION = "validation";
  public static final String TEST = "test";

  /** How rows are assigned to splits. */
  public enum Kind {
    RANDOM,
    TIME,
    ENTITY
  }

  public SplitSpec {
    if (kind == null) {
      throw Errors.config("A split needs a kind: use SplitSpec.random, SplitSpec.byTime or SplitSpec.byEntity.");
    }
    entityColumns = entityColumns == null ? List.of() : List.copyOf(entityColumns);
    switch (kind) {
      case RANDOM, ENTITY -> checkFractions(kind, validationFraction, testFraction);
      case TIME -> checkBoundaries(validationStart, testStart, gapSeconds);
    }
    if (kind == Kind.ENTITY && entityColumns.isEmpty()) {
      throw Errors.config("An entity split needs at least one entity column (for example the customer id).");
    }
  }

  /** A seeded random split by row identity with the given validation and test shares (validation may be 0). */
  public static SplitSpec random(double validationFraction, double testFraction) {
    return new SplitSpec(Kind.RANDOM, validationFraction, testFraction, null, null, 0, List.of());
  }

  /**
   * A split by base event time: train before {@code validationStart - gap}, validation in {@code [validationStart,
   * testStart - gap)}, test from {@code testStart}. {@code validationStart} may be null (no validation split);
   * {@code gap} may be null or zero (no rows dropped).
   */
  public static SplitSpec byTime(Instant validationStart, Instant testStart, Duration gap) {
    if (testStart == null) {
      throw Errors.config("A time split needs a test start: the first instant of the test split.");
    }
    long gapSeconds = gap == null ? 0 : gap.getSeconds();
    if (gap != null && gap.isNegative()) {
      throw Errors.config("The gap of a time split is negative (%s); give zero or more.", length(gap.getSeconds()));
    }
    return new SplitSpec(
        Kind.TIME, 0, 0, validationStart == null ? null : validationStart.toString(), testStart.toString(), gapSeconds, List.of());
  }

  /** A split by a seeded hash of {@code entityColumns}: every entity's rows are in one split. */
  public static SplitSpec byEntity(List<String> entityColumns, double validationFraction, double testFraction) {
    return new SplitSpec(Kind.ENTITY, validationFraction, testFraction, null, null, 0, entityColumns);
  }

  /**
   * The splits this spec makes, in train, validation, test order: validation only with a validation fraction above 0
   * (RANDOM, ENTITY) or a validation start (TIME). A dataset records each of them, also one that got no rows.
   */
  public List<String> splits() {
    boolean validation = kind == Kind.TIME ? validationStart != null : validationFraction > 0;
    return validation ? List.of(TRAIN, VALIDATION, TEST) : List.of(TRAIN, TEST);
  }

  /**
   * Why {@code split} can get no rows, for a warning: {@code a test fraction of 0.001} (RANDOM, ENTITY), or the split's
   * time range (TIME).
   */
  public String share(String split) {
    if (kind == Kind.TIME) {
      return switch (split) {
        case TEST -> "test from " + day(testStart);
        case VALIDATION -> "validation from " + day(validationStart) + " to before " + day(testStart)
            + (gapSeconds > 0 ? " less the " + gapText() + " gap" : "");
        default -> "train before " + day(validationStart == null ? testStart : validationStart)
            + (gapSeconds > 0 ? " less the " + gapText() + " gap" : "");
      };
    }
    double fraction = switch (split) {
      case TEST -> testFraction;
      case VALIDATION -> validationFraction;
      default -> 1 - validationFraction - testFraction;
    };
    String given = new java.math.BigDecimal(Double.toString(fraction)).stripTrailingZeros().toPlainString();
    return "a " + split + " fraction of " + given + " (" + percent(fraction) + " of the " + (kind == Kind.ENTITY ? "entities" : "rows") + ")";
  }

  /** The instant validation starts (TIME), or null. */
  public Instant validationStartInstant() {
    return validationStart == null ? null : Instant.parse(validationStart);
  }

  /** The instant test starts (TIME), or null for other kinds. */
  public Instant testStartInstant() {
    return testStart == null ? null : Instant.parse(testStart);
  }

  /**
   * The split in words, for people: {@code by time: train before 2024-03-01, validation from 2024-03-01, test from
   * 2024-05-01; the 7 days before each boundary dropped}.
   */
  public String describe() {
    return switch (kind) {
      case RANDOM -> "random by row: " + shares("rows");
      case ENTITY -> "by entity " + entityColumns + ": " + shares("entities") + ", no entity in two splits";
      case TIME -> {
        String first = validationStart == null ? testStart : validationStart;
        StringBuilder b = new StringBuilder("by time: train before ").append(day(first));
        if (validationStart != null) {
          b.append(", validation from ").append(day(validationStart));
        }
        b.append(", test from ").append(day(testStart));
        if (gapSeconds > 0) {
          b.append("; the ").append(gapText()).append(" before each boundary dropped");
        }
        yield b.toString();
      }
    };
  }

  private String shares(String what) {
    double train = 1 - validationFraction - testFraction;
    return percent(train) + " train"
        + (validationFraction > 0 ? ", " + percent(validationFraction) + " validation" : "")
        + ", " + percent(testFraction) + " test (of the " + what + ", seeded)";
  }

  private static String percent(double share) {
    return new java.math.BigDecimal(share * 100).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString() + " %";
  }

  /** An instant at UTC midnight as its date, any other as the instant. */
  private static String day(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() % 86_400 == 0 ? i.toString().substring(0, 10) : i.toString();
  }

  private String gapText() {
    if (gapSeconds % 86_400 == 0) {
      return gapSeconds / 86_400 + (gapSeconds == 86_400 ? " day" : " days");
    }
    return gapSeconds % 3_600 == 0 ? gapSeconds / 3_600 + " h" : gapSeconds + " s";
  }

  private static void checkFractions(Kind kind, double validation, double test) {
    if (!(test > 0 && test < 1)) {
      throw Errors.config(
          "The test fraction must be between 0 and 1 (exclusive), got %s. Give the share of %s in the test split.",
          test, kind == Kind.ENTITY ? "entities" : "rows");
    }
    if (!(validation >= 0 && validation < 1)) {
      throw Errors.config("The validation fraction must be at least 0 and below 1, got %s (0 for no validation split).", validation);
    }
    if (validation + test >= 1) {
      throw Errors.config(
          "The validation (%s) and test (%s) fractions add up to %s, leaving nothing to train on; their sum must be below 1.",
          validation, test, validation + test);
    }
  }

  private static void checkBoundaries(String validationStart, String testStart, long gapSeconds) {
    if (testStart == null) {
      throw Errors.config("A time split needs a test start: the first instant of the test split.");
    }
    if (gapSeconds < 0) {
      throw Errors.config("The gap of a time split is negative (%d s); give zero or more.", gapSeconds);
    }
    Instant test = parse("test start", testStart);
    if (validationStart == null) {
      return;
    }
    Instant validation = parse("validation start", validationStart);
    if (!validation.isBefore(test)) {
      throw Errors.config(
          "The validation start (%s) must be before the test start (%s): train < validation < test in time.",
          validationStart, testStart);
    }
    if (gapSeconds > 0 && !validation.isBefore(test.minusSeconds(gapSeconds))) {
      throw Errors.config(
          "The gap (%s) is at least as long as the validation range %s..%s (%s), so validation would be empty; shorten "
              + "the gap or move the boundaries apart.",
          length(gapSeconds), validationStart, testStart, length(java.time.Duration.between(validation, test).getSeconds()));
    }
  }

  /** A length of time as people give it: whole days as days, else hours, minutes or seconds. */
  static String length(long seconds) {
    long abs = Math.abs(seconds);
    String unit;
    long n;
    if (abs % 86_400 == 0) {
      n = seconds / 86_400;
      unit = "day";
    } else if (abs % 3_600 == 0) {
      n = seconds / 3_600;
      unit = "hour";
    } else if (abs % 60 == 0) {
      n = seconds / 60;
      unit = "minute";
    } else {
      n = seconds;
      unit = "second";
    }
    return n + " " + unit + (Math.abs(n) == 1 ? "" : "s");
  }

  private static Instant parse(String what, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw Errors.config(e, "The %s of a time split is not an ISO-8601 instant: '%s' (for example 2024-01-31T00:00:00Z).", what, value);
    }
  }
}
