package dev.lakeline.validation.internal.deequ;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.checks.CheckResult;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.constraints.ConstraintStatus;
import com.amazon.deequ.metrics.Metric;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Function1;
import scala.Option;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * The only place that speaks Deequ's Scala API. Callers describe constraints in plain Java ({@link
 * Constraint}); all of them run in one {@code VerificationSuite} pass over the (persisted) batch.
 */
public final class DeequRunner {
  private DeequRunner() {}

  /** One constraint, in Java terms. */
  public sealed interface Constraint {}

  /** Share of non-null values of {@code column} must satisfy {@code assertion}. */
  public record Completeness(String column, double atLeast) implements Constraint {}

  /** Share of rows (restricted by {@code where}, if not null) satisfying {@code predicate} must be >= atLeast. */
  public record Compliance(String name, String predicate, String where, double atLeast, List<String> columns)
      implements Constraint {}

  /** Uniqueness of the combination of {@code columns} (rows where all are null are ignored, as in GE) must be 1. */
  public record Uniqueness(List<String> columns) implements Constraint {}

  /** Row count within bounds (null bound = open). */
  public record Size(Long min, Long max) implements Constraint {}

  /** Outcome of one constraint: passed, the observed metric value (NaN if none), and Deequ's message if any. */
  public record Outcome(boolean passed, double value, String message) {}

  /** Runs all constraints in one Deequ verification; outcomes come back in the same order. */
  public static List<Outcome> run(Dataset<Row> data, List<Constraint> constraints) {
    List<Check> checks = new ArrayList<>();
    for (int i = 0; i < constraints.size(); i++) {
      checks.add(compile("c" + i, constraints.get(i)));
    }
    if (checks.isEmpty()) {
      return List.of();
    }
    VerificationResult result =
        VerificationSuite.apply().onData(data).addChecks(JavaConverters.asScalaBuffer(checks).toList()).run();
    List<Outcome> outcomes = new ArrayList<>();
    java.util.Map<Check, CheckResult> byCheck = JavaConverters.mapAsJavaMap(result.checkResults());
    for (Check check : checks) {
      ConstraintResult cr = JavaConverters.seqAsJavaList(byCheck.get(check).constraintResults()).get(0);
      boolean passed = cr.status().equals(ConstraintStatus.Success());
      double value = Double.NaN;
      if (cr.metric().isDefined()) {
        Metric<?> m = cr.metric().get();
        if (m.value().isSuccess() && m.value().get() instanceof Number n) {
          value = n.doubleValue();
        }
      }
      String message = cr.message().isDefined() ? cr.message().get() : null;
      outcomes.add(new Outcome(passed, value, message));
    }
    return outcomes;
  }

  private static Check compile(String id, Constraint c) {
    Check check = new Check(CheckLevel.Error(), id, JavaConverters.asScalaBuffer(new ArrayList<com.amazon.deequ.constraints.Constraint>()).toList());
    if (c instanceof Completeness cc) {
      return check.hasCompleteness(cc.column(), atLeast(cc.atLeast()), Option.empty(), Option.empty());
    }
    if (c instanceof Compliance cc) {
      var filterable =
          check.satisfies(
              cc.predicate(),
              cc.name(),
              atLeast(cc.atLeast()),
              Option.empty(),
              JavaConverters.asScalaBuffer(cc.columns()).toList(),
              Option.empty());
      return cc.where() == null ? filterable : filterable.where(cc.where());
    }
    if (c instanceof Uniqueness u) {
      return check.hasUniqueness(JavaConverters.asScalaBuffer(u.columns()).toList(), atLeast(1.0));
    }
    if (c instanceof Size s) {
      long lo = s.min() == null ? Long.MIN_VALUE : s.min();
      long hi = s.max() == null ? Long.MAX_VALUE : s.max();
      return check.hasSize(new Assertion(v -> v >= lo && v <= hi, "size in [" + lo + ", " + hi + "]"), Option.empty());
    }
    throw new IllegalArgumentException("Unknown constraint " + c);
  }

  private static Function1<Object, Object> atLeast(double threshold) {
    return new Assertion(v -> v >= threshold, ">= " + threshold);
  }

  /** A serializable assertion with a readable name (Deequ may ship it to executors). */
  private static final class Assertion extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final SerializablePredicate test;
    private final String name;

    Assertion(SerializablePredicate test, String name) {
      this.test = test;
      this.name = name;
    }

    @Override
    public Object apply(Object value) {
      return test.test(((Number) value).doubleValue());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private interface SerializablePredicate extends DoublePredicate, Serializable {}
}
