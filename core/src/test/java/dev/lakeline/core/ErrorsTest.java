package dev.lakeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  @Test
  void exitCodesHaveTheirDocumentedNumbers() {
    assertEquals(0, ExitCode.OK.code());
    assertEquals(1, ExitCode.INTERNAL_FAILURE.code());
    assertEquals(2, ExitCode.USAGE_OR_CONFIG.code());
    assertEquals(3, ExitCode.DATA_REJECTED.code());
    assertEquals(4, ExitCode.NOT_FOUND.code());
    assertEquals(5, ExitCode.CONFLICT.code());
  }

  @Test
  void exitCodesAreDistinct() {
    List<Integer> codes = Arrays.stream(ExitCode.values()).map(ExitCode::code).toList();

    assertEquals(codes.size(), codes.stream().distinct().count(), codes.toString());
  }

  @Test
  void configIsAUsageOrConfigError() {
    LakelineException e = Errors.config("bad %s in %d", "key", 3);

    assertInstanceOf(LakelineException.ConfigError.class, e);
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    assertEquals("bad key in 3", e.getMessage());
    assertNull(e.getCause());
  }

  @Test
  void rejectedIsDataRejected() {
    LakelineException e = Errors.rejected("%d rows failed", 12);

    assertInstanceOf(LakelineException.DataRejected.class, e);
    assertEquals(ExitCode.DATA_REJECTED, e.exitCode());
    assertEquals("12 rows failed", e.getMessage());
  }

  @Test
  void notFoundIsNotFound() {
    LakelineException e = Errors.notFound("no model %s", "m");

    assertInstanceOf(LakelineException.NotFound.class, e);
    assertEquals(ExitCode.NOT_FOUND, e.exitCode());
    assertEquals("no model m", e.getMessage());
  }

  @Test
  void conflictIsAConflict() {
    LakelineException e = Errors.conflict("%s exists", "v1");

    assertInstanceOf(LakelineException.Conflict.class, e);
    assertEquals(ExitCode.CONFLICT, e.exitCode());
    assertEquals("v1 exists", e.getMessage());
  }

  @Test
  void causesAreKept() {
    RuntimeException cause = new IllegalStateException("root cause");

    assertSame(cause, Errors.config(cause, "x").getCause());
    assertSame(cause, Errors.conflict(cause, "x").getCause());
    assertEquals(ExitCode.CONFLICT, Errors.conflict(cause, "x").exitCode());
  }

  @Test
  void messagesAreFormattedIndependentlyOfTheDefaultLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      assertEquals("share 0.25", Errors.config("share %.2f", 0.25).getMessage());
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void missingColumnNamesTheStepTheColumnAndWhatIsThere() {
    LakelineException e = Errors.missingColumn("The PIT join", "event_time", List.of("id", "ts"));

    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    assertTrue(e.getMessage().contains("The PIT join needs column 'event_time'"), e.getMessage());
    assertTrue(e.getMessage().contains("[id, ts]"), e.getMessage());
    assertFalse(e.getMessage().contains("Did you mean"), e.getMessage());
    LakelineException misspelt = Errors.missingColumn("The PIT join", "evnt_ts", List.of("id", "event_ts"));
    assertTrue(misspelt.getMessage().contains("Did you mean 'event_ts'?"), misspelt.getMessage());
  }
}
