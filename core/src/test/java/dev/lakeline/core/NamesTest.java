package dev.lakeline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  private static String rejected(String name) {
    LakelineException.ConfigError e =
        assertThrows(LakelineException.ConfigError.class, () -> Names.check("feature group", name));
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    assertTrue(e.getMessage().contains("feature group"), e.getMessage());
    return e.getMessage();
  }

  @ParameterizedTest
  @ValueSource(strings = {"loans", "credit_reports", "loan-defaults", "A1", "7day", "x", "a_-_b"})
  void lettersDigitsUnderscoresAndHyphensAreAccepted(String name) {
    assertEquals(name, Names.check("feature group", name));
  }

  @Test
  void exactlyTheMaximumLengthIsAccepted() {
    String name = "n".repeat(Names.MAX_LENGTH);

    assertEquals(name, Names.check("model", name));
  }

  @ParameterizedTest
  @NullAndEmptySource
  void emptyAndNullAreRejected(String name) {
    String message = rejected(name);

    assertTrue(message.contains("must not be empty"), message);
  }

  @Test
  void anEmptyNameIsAnsweredWithNamesOfItsKind() {
    String model = assertThrows(LakelineException.ConfigError.class, () -> Names.check("model", "")).getMessage();
    assertTrue(model.endsWith("Choose a name such as 'loan_default'."), model);
    String alias = assertThrows(LakelineException.ConfigError.class, () -> Names.check("alias", " ".trim())).getMessage();
    assertTrue(alias.contains("'champion'"), alias);
    String group = assertThrows(LakelineException.ConfigError.class, () -> Names.check("feature group", "")).getMessage();
    assertTrue(group.contains("'loans' or 'credit_reports'"), group);
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "a/b", "a\\b", "../etc", "a..b", "/abs"})
  void pathSeparatorsAndParentReferencesAreRejected(String name) {
    String message = rejected(name);

    assertTrue(message.contains("must not contain '/', '\\' or '..'"), message);
    assertTrue(message.contains("letters, digits, '_' and '-'"), message);
  }

  @Test
  void namesOverTheLimitAreRejectedWithTheirLength() {
    String message = rejected("n".repeat(Names.MAX_LENGTH + 1));

    assertTrue(message.contains("101 characters"), message);
    assertTrue(message.contains("limit is 100"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"has space", " loans", "loans ", "_private", "-flag", "a.b", "tab\there", "naïve", "a;b"})
  void otherCharactersAndLeadingSeparatorsAreRejected(String name) {
    String message = rejected(name);

    assertTrue(message.contains("'" + name + "'"), message);
    assertTrue(message.contains("use letters, digits, '_' and '-' only, starting with a letter or digit"), message);
  }
}
