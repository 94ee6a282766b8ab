package dev.lakeline.validation.internal.deequ;

/** Short, readable descriptions of the exceptions Deequ wraps into failed metrics. */
final class Failures {
  private static final int MAX = 600;

  private Failures() {}

  /** The innermost useful message of {@code t}'s cause chain, first line only, at most 600 characters. */
  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    String first = message.strip().lines().findFirst().orElse(message);
    String text = root == t ? first : root.getClass().getSimpleName() + ": " + first;
    return text.length() <= MAX ? text : text.substring(0, MAX) + "…";
  }
}
