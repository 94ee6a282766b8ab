package dev.lakeline.training;

import dev.lakeline.core.Errors;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a new version must reach to take an alias ({@link ModelRegistry#promoteIfBetter(String, String, int,
 * PromotionPolicy, java.util.function.Function)}): its {@code metric} must reach {@code minimum} and beat the alias's
 * version, and each gate's metric from its card must reach the gate's bound. Gates are floors, not comparisons: a
 * version that ranks better (a higher AUC) but catches too few positives at its threshold (a recall below the gate's)
 * does not take the alias.
 *
 * <p>For an error metric ({@code logLoss}, {@code rmse}, …) the minimum and a gate's bound are ceilings instead.
 *
 * @param metric the metric compared with the alias's version ({@code areaUnderROC})
 * @param minimum the lowest value of {@code metric} that may take the alias (the highest, for an error metric)
 * @param gates other metrics of the card and their bounds, in the order they are checked ({@code recall} → 0.5)
 */
public record PromotionPolicy(String metric, double minimum, Map<String, Double> gates) {
  public PromotionPolicy {
    if (metric == null || metric.isBlank()) {
      throw Errors.config("A promotion policy needs the metric it compares (for example areaUnderROC).");
    }
    Map<String, Double> copy = new LinkedHashMap<>();
    if (gates != null) {
      gates.forEach((name, bound) -> {
        if (name == null || name.isBlank() || bound == null || bound.isNaN()) {
          throw Errors.config("A promotion gate needs a metric and a bound, got %s → %s.", name, bound);
        }
        copy.put(name, bound);
      });
    }
    gates = Collections.unmodifiableMap(copy);
  }

  /** {@code metric} must reach {@code minimum} and beat the alias's version; no gates. */
  public static PromotionPolicy of(String metric, double minimum) {
    return new PromotionPolicy(metric, minimum, Map.of());
  }

  /**
   * This policy and a gate: the card's {@code gateMetric} must reach {@code bound} (at least it, or at most it for an
   * error metric). A version whose card lacks the metric (a precision when it predicts no positives) does not pass.
   */
  public PromotionPolicy withGate(String gateMetric, double bound) {
    Map<String, Double> more = new LinkedHashMap<>(gates);
    more.put(gateMetric, bound);
    return new PromotionPolicy(metric, minimum, more);
  }
}
