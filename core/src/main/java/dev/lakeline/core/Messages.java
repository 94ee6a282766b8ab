package dev.lakeline.core;

/**
 * The one line of an exception's message that goes into a user-facing message: Spark, Delta and Hadoop messages
 * often carry a plan, a stack of contexts or SQL advice after their first line.
 */
public final class Messages {
  private Messages() {}

  /** The first line of {@code message}, stripped; empty for null. */
  public static String firstLine(String message) {
    return message == null ? "" : message.strip().lines().findFirst().orElse("").strip();
  }

  /** The first line of {@code t}'s message, or its class's simple name when it has no message. */
  public static String firstLine(Throwable t) {
    String line = firstLine(t.getMessage());
    return line.isEmpty() ? t.getClass().getSimpleName() : line;
  }

  /**
   * A YAML or JSON parser's message in one line: SnakeYAML's (through Jackson) spans several, each problem on a line
   * of its own followed by indented lines that quote the file and point at the column; only the problems are kept
   * ("while parsing a flow sequence: expected ',' or ']', but got <block mapping start>").
   */
  public static String parserProblem(String originalMessage) {
    if (originalMessage == null || originalMessage.isBlank()) {
      return "";
    }
    String problems = originalMessage.lines()
        .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
        .map(String::strip)
        .collect(java.util.stream.Collectors.joining(": "));
    return problems.isEmpty() ? firstLine(originalMessage) : problems;
  }

  /**
   * The first line of the most specific message in {@code t}'s cause chain: that of the innermost cause with a
   * message, or {@code t}'s class's simple name when none has one.
   */
  public static String innermost(Throwable t) {
    String line = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String l = firstLine(c.getMessage());
      if (!l.isEmpty()) {
        line = l;
      }
    }
    return line == null ? t.getClass().getSimpleName() : line;
  }
}
