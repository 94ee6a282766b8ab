package dev.lakeline.validation;

/** GE's {@code min_value}/{@code max_value}/{@code strict_min}/{@code strict_max} on a measured number. */
final class Bounds {
  private Bounds() {}

  static boolean within(Expectation e, double value) {
    Object lo = e.kwargs().get("min_value");
    Object hi = e.kwargs().get("max_value");
    boolean strictMin = Boolean.TRUE.equals(e.kwargs().get("strict_min"));
    boolean strictMax = Boolean.TRUE.equals(e.kwargs().get("strict_max"));
    if (lo instanceof Number n && (strictMin ? value <= n.doubleValue() : value < n.doubleValue())) {
      return false;
    }
    return !(hi instanceof Number n && (strictMax ? value >= n.doubleValue() : value > n.doubleValue()));
  }

  /** "; expected >= 0 and < 10", or "" without bounds. */
  static String describe(Expectation e) {
    Object lo = e.kwargs().get("min_value");
    Object hi = e.kwargs().get("max_value");
    if (lo == null && hi == null) {
      return " (no bounds: recorded only)";
    }
    StringBuilder b = new StringBuilder("; expected ");
    if (lo != null) {
      b.append(Boolean.TRUE.equals(e.kwargs().get("strict_min")) ? "> " : ">= ").append(lo);
    }
    if (hi != null) {
      b.append(lo != null ? " and " : "").append(Boolean.TRUE.equals(e.kwargs().get("strict_max")) ? "< " : "<= ").append(hi);
    }
    return b.toString();
  }
}
