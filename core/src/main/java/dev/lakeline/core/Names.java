package dev.lakeline.core;

import java.util.regex.Pattern;

/**
 * Validation of every name that becomes part of a path or a table name: feature groups, feature views, models,
 * aliases and the like. Allowed: letters, digits, {@code _} and {@code -}, starting with a letter or digit, at
 * most {@value #MAX_LENGTH} characters.
 */
public final class Names {
  public static final int MAX_LENGTH = 100;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

  private Names() {}

  /**
   * Returns {@code name} when it is valid, otherwise throws a configuration error naming the kind of object.
   *
   * @param kind what is being named, for the message ("feature group", "model")
   */
  public static String check(String kind, String name) {
    if (name == null || name.isEmpty()) {
      throw Errors.config("A %s name must not be empty. Choose a name such as %s.", kind, examples(kind));
    }
    if (name.contains("..") || name.contains("/") || name.contains("\\")) {
      throw Errors.config(
          "Invalid %s name '%s': a name must not contain '/', '\\' or '..', because it becomes part of a path. "
              + "Use letters, digits, '_' and '-' only.",
          kind, name);
    }
    if (name.length() > MAX_LENGTH) {
      throw Errors.config(
          "Invalid %s name '%s...': it has %d characters; the limit is %d. Choose a shorter name.",
          kind, name.substring(0, 20), name.length(), MAX_LENGTH);
    }
    if (!VALID.matcher(name).matches()) {
      throw Errors.config(
          "Invalid %s name '%s': use letters, digits, '_' and '-' only, starting with a letter or digit.",
          kind, name);
    }
    return name;
  }

  /** Names of the kind in the demo, for the message. */
  private static String examples(String kind) {
    return switch (kind) {
      case "model" -> "'loan_default'";
      case "feature view" -> "'loan_default' or 'loan_view'";
      case "alias" -> "'champion' or 'challenger'";
      case "feature pipeline" -> "'loans' or 'card_spend'";
      default -> "'loans' or 'credit_reports'";
    };
  }
}
