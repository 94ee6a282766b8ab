package dev.lakeline.validation.internal.deequ;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.FrequenciesAndNumRows;
import com.amazon.deequ.analyzers.InMemoryStateProvider;
import com.amazon.deequ.analyzers.NumMatchesAndCount;
import com.amazon.deequ.analyzers.Size;
import com.amazon.deequ.analyzers.StandardDeviationState;
import com.amazon.deequ.analyzers.runners.EmptyStateException;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.checks.CheckWithLastConstraintFilterable;
import com.amazon.deequ.constraints.Constraint;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.metrics.Metric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Option;
import scala.collection.JavaConverters;
import scala.util.Try;

/**
 * The only class that runs Deequ's verification. Every measure becomes one {@link Check} (its description is the
 * expectation's id, its level the expectation's severity) and all of them run in ONE {@code VerificationSuite}
 * run: scan-shareable analyzers share one aggregation over the data, each distinct uniqueness grouping adds
 * Deequ's count and group-by passes. States are kept in an {@link InMemoryStateProvider}, which gives exact
 * counts ({@code NumMatchesAndCount}) rather than Deequ's ratios.
 *
 * <p>Assertions are {@link Assertions#OBSERVE}: Deequ measures, Lakeline decides (Great Expectations'
 * semantics need the counts, vacuous truth on empty input and the sample standard deviation, which Deequ's
 * assertions cannot express).
 */
public final class DeequRunner {
  private DeequRunner() {}

  /** One measure to run, under an id (the check's description) and a level. */
  public record Item(String id, boolean error, Measure measure) {}

  /**
   * What the run measured.
   *
   * @param rows the view's row count from the shared scan, or null when that scan failed
   * @param measurements one per item, in order
   */
  public record Result(Long rows, List<Measurement> measurements) {}

  /** Runs all items in one verification run over {@code view}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static Result run(Dataset<Row> view, List<Item> items) {
    List<Check> checks = new ArrayList<>();
    for (Item item : items) {
      checks.add(check(item));
    }
    Size size = new Size(Option.empty());
    InMemoryStateProvider states = new InMemoryStateProvider();
    VerificationResult result =
        VerificationSuite.apply()
            .onData(view)
            .addRequiredAnalyzer((Analyzer) size)
            .addChecks(JavaConverters.asScalaBuffer(checks).toList())
            .saveStatesWith(states)
            .run();

    Long rows = null;
    Option<Metric<?>> sizeMetric = result.metrics().get((Analyzer) size);
    if (sizeMetric.isDefined() && sizeMetric.get().value().isSuccess()) {
      rows = ((Number) sizeMetric.get().value().get()).longValue();
    }
    Map<String, Long> groupRows = groupingRows(items, checks, states);
    List<Measurement> measurements = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      measurements.add(read(items.get(i).measure(), checks.get(i), result, states, groupRows));
    }
    return new Result(rows, measurements);
  }

  private static Check check(Item item) {
    Check base =
        new Check(
            item.error() ? CheckLevel.Error() : CheckLevel.Warning(),
            item.id(),
            JavaConverters.asScalaBuffer(new ArrayList<Constraint>()).toList());
    Measure m = item.measure();
    if (m instanceof Measure.Compliance c) {
      List<String> columns = c.applies() == null ? List.of(c.ok()) : List.of(c.ok(), c.applies());
      CheckWithLastConstraintFilterable check =
          base.satisfies(
              c.ok(), item.id(), Assertions.OBSERVE, Option.empty(), JavaConverters.asScalaBuffer(columns).toList(), Option.empty());
      return c.applies() == null ? check : check.where(c.applies());
    }
    if (m instanceof Measure.Uniqueness u) {
      CheckWithLastConstraintFilterable check =
          base.hasUniqueness(JavaConverters.asScalaBuffer(u.columns()).toList(), Assertions.OBSERVE, Option.empty(), Option.empty());
      return u.where() == null ? check : check.where(u.where());
    }
    if (m instanceof Measure.Distinctness d) {
      return base.hasDistinctness(JavaConverters.asScalaBuffer(List.of(d.column())).toList(), Assertions.OBSERVE, Option.empty());
    }
    Measure.Statistic s = (Measure.Statistic) m;
    return switch (s.stat()) {
      case MIN -> base.hasMin(s.column(), Assertions.OBSERVE, Option.empty(), Option.empty());
      case MAX -> base.hasMax(s.column(), Assertions.OBSERVE, Option.empty(), Option.empty());
      case MEAN -> base.hasMean(s.column(), Assertions.OBSERVE, Option.empty());
      case SUM -> base.hasSum(s.column(), Assertions.OBSERVE, Option.empty());
      case STDDEV_POP -> base.hasStandardDeviation(s.column(), Assertions.OBSERVE, Option.empty());
      case MEDIAN -> base.hasExactQuantile(s.column(), 0.5, Assertions.OBSERVE, Option.empty());
    };
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Measurement read(
      Measure measure, Check check, VerificationResult result, InMemoryStateProvider states, Map<String, Long> groupRows) {
    ConstraintResult constraint = result.checkResults().apply(check).constraintResults().head();
    if (constraint.metric().isEmpty()) {
      String why = constraint.message().isDefined() ? constraint.message().get() : "Deequ computed no metric";
      return Measurement.failed(why);
    }
    Try<?> value = constraint.metric().get().value();
    if (value.isFailure()) {
      Throwable t = value.failed().get();
      if (t instanceof EmptyStateException) {
        return new Measurement(null, 0L, 0L, true, null); // no input rows: all filtered away, or all null
      }
      return Measurement.failed(Failures.describe(t));
    }
    double v = ((Number) value.get()).doubleValue();
    if (Double.isNaN(v)) {
      return new Measurement(null, 0L, 0L, true, null);
    }
    Analyzer analyzer = check.requiredAnalyzers().head();
    Option<?> state = states.load(analyzer);
    if (measure instanceof Measure.Compliance) {
      if (state.isEmpty()) {
        return Measurement.failed("Deequ kept no state for " + analyzer);
      }
      NumMatchesAndCount n = (NumMatchesAndCount) state.get();
      return new Measurement(v, n.numMatches(), n.count(), false, null);
    }
    if (measure instanceof Measure.Uniqueness || measure instanceof Measure.Distinctness) {
      Long numRows = groupRows.get(groupKey(analyzer));
      if (numRows == null) {
        return Measurement.failed("Deequ kept no frequency state for " + analyzer);
      }
      return new Measurement(v, Math.round(v * numRows), numRows, false, null);
    }
    if (measure instanceof Measure.Statistic s && s.stat() == Measure.Stat.STDDEV_POP && state.isDefined()) {
      return new Measurement(v, null, Math.round(((StandardDeviationState) state.get()).n()), false, null);
    }
    return new Measurement(v, null, null, false, null);
  }

  /**
   * Rows per grouping (columns + filter). Deequ keeps the frequency state of a grouping under only one of the
   * analyzers that share it, so look it up through any of them.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Map<String, Long> groupingRows(List<Item> items, List<Check> checks, InMemoryStateProvider states) {
    Map<String, Long> rows = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Measure m = items.get(i).measure();
      if (m instanceof Measure.Uniqueness || m instanceof Measure.Distinctness) {
        Analyzer analyzer = checks.get(i).requiredAnalyzers().head();
        Option<?> state = states.load(analyzer);
        if (state.isDefined()) {
          rows.put(groupKey(analyzer), ((FrequenciesAndNumRows) state.get()).numRows());
        }
      }
    }
    return rows;
  }

  private static String groupKey(Analyzer<?, ?> analyzer) {
    if (analyzer instanceof com.amazon.deequ.analyzers.Uniqueness u) {
      return key(JavaConverters.seqAsJavaList(u.columns()), u.where());
    }
    com.amazon.deequ.analyzers.Distinctness d = (com.amazon.deequ.analyzers.Distinctness) analyzer;
    return key(JavaConverters.seqAsJavaList(d.columns()), d.where());
  }

  private static String key(List<String> columns, Option<String> where) {
    return new TreeSet<>(columns) + "|" + (where.isDefined() ? where.get() : "");
  }
}
