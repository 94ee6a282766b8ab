package dev.lakeline.validation.internal.deequ;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.FrequenciesAndNumRows;
import com.amazon.deequ.analyzers.InMemoryStateProvider;
import com.amazon.deequ.analyzers.NumMatchesAndCount;
import com.amazon.deequ.analyzers.ScanShareableAnalyzer;
import com.amazon.deequ.analyzers.Size;
import com.amazon.deequ.analyzers.StandardDeviationState;
import com.amazon.deequ.analyzers.runners.AnalyzerContext;
import com.amazon.deequ.analyzers.runners.EmptyStateException;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.checks.CheckResult;
import com.amazon.deequ.checks.CheckStatus;
import com.amazon.deequ.checks.CheckWithLastConstraintFilterable;
import com.amazon.deequ.constraints.Constraint;
import com.amazon.deequ.constraints.ConstraintResult;
import com.amazon.deequ.metrics.Metric;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.UnreadableFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
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
    return result(items, checks, size, result, states);
  }

  /** Whether Deequ computes {@code measure} in its shared scan (no grouping pass), so that it can ride on another job. */
  public static boolean scanShareable(Measure measure) {
    return measure instanceof Measure.Compliance
        || measure instanceof Measure.Statistic s && s.stat() != Measure.Stat.MEDIAN;
  }

  /**
   * Sets up a run whose scan rides on another job's pass over the data (the Delta write): the returned
   * {@link Observed} names the aggregate columns of every analyzer the items' checks need (Deequ's own
   * {@code aggregationFunctions}, plus the row count); observe them on the view during that job, then hand the
   * observed row to {@link Observed#finish}, which lets Deequ turn it into states and metrics and run the checks
   * on them. Same analyzers, same states, same checks as {@link #run}; only the scan is shared with the write.
   * Every item must be {@link #scanShareable}.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static Observed observe(List<Item> items) {
    List<Check> checks = new ArrayList<>();
    for (Item item : items) {
      if (!scanShareable(item.measure())) {
        throw new IllegalArgumentException("Not computed in Deequ's shared scan: " + item.measure());
      }
      checks.add(check(item));
    }
    Size size = new Size(Option.empty());
    java.util.LinkedHashSet<Analyzer> analyzers = new java.util.LinkedHashSet<>();
    analyzers.add(size);
    for (Check check : checks) {
      analyzers.addAll(JavaConverters.setAsJavaSet(check.requiredAnalyzers()));
    }
    List<ScanShareableAnalyzer> shared = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    for (Analyzer a : analyzers) {
      ScanShareableAnalyzer s = (ScanShareableAnalyzer) a;
      shared.add(s);
      offsets.add(columns.size());
      columns.addAll(JavaConverters.seqAsJavaList(s.aggregationFunctions()));
    }
    return new Observed(items, checks, size, shared, offsets, columns);
  }

  /** A run set up by {@link #observe}: the aggregate columns to observe, and how to finish. */
  public static final class Observed {
    private final List<Item> items;
    private final List<Check> checks;
    private final Size size;
    private final List<ScanShareableAnalyzer> analyzers;
    private final List<Integer> offsets;
    private final List<Column> columns;

    private Observed(
        List<Item> items, List<Check> checks, Size size, List<ScanShareableAnalyzer> analyzers, List<Integer> offsets,
        List<Column> columns) {
      this.items = items;
      this.checks = checks;
      this.size = size;
      this.analyzers = analyzers;
      this.offsets = offsets;
      this.columns = columns;
    }

    /** The aggregate columns, in the order {@link #finish} expects them in the observed row. */
    public List<Column> columns() {
      return columns;
    }

    /**
     * Deequ's verdicts from the observed aggregates: each analyzer reads its state from the row and computes its
     * metric from it (an analyzer with no state, as over no rows, gets Deequ's empty-state failure, as in its
     * own scan), and every check is evaluated on those metrics.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Result finish(Row observed) {
      InMemoryStateProvider states = new InMemoryStateProvider();
      Map<Analyzer, Metric<?>> metrics = new java.util.LinkedHashMap<>();
      for (int i = 0; i < analyzers.size(); i++) {
        ScanShareableAnalyzer analyzer = analyzers.get(i);
        Metric<?> metric;
        try {
          Option<?> state = analyzer.fromAggregationResult(observed, offsets.get(i));
          if (state.isDefined()) {
            states.persist((Analyzer) analyzer, (com.amazon.deequ.analyzers.State) state.get());
          }
          metric = (Metric<?>) analyzer.computeMetricFrom(state);
        } catch (RuntimeException e) {
          metric = (Metric<?>) analyzer.toFailureMetric(e);
        }
        metrics.put(analyzer, metric);
      }
      scala.collection.immutable.Map<Analyzer<?, Metric<?>>, Metric<?>> metricMap = toScala((Map) metrics);
      AnalyzerContext context = new AnalyzerContext(metricMap);
      Map<Check, CheckResult> checkResults = new java.util.LinkedHashMap<>();
      scala.Enumeration.Value status = CheckStatus.Success();
      for (Check check : checks) {
        CheckResult r = check.evaluate(context);
        checkResults.put(check, r);
        if (r.status() == CheckStatus.Error() || r.status() == CheckStatus.Warning() && status == CheckStatus.Success()) {
          status = r.status();
        }
      }
      VerificationResult result = new VerificationResult(status, toScala(checkResults), metricMap);
      return result(items, checks, size, result, states);
    }
  }

  private static <K, V> scala.collection.immutable.Map<K, V> toScala(Map<K, V> map) {
    scala.collection.mutable.Builder<scala.Tuple2<K, V>, scala.collection.immutable.Map<K, V>> b =
        scala.collection.immutable.Map$.MODULE$.<K, V>newBuilder();
    map.forEach((k, v) -> b.$plus$eq(new scala.Tuple2<>(k, v)));
    return b.result();
  }

  /** Whether every analyzer's preconditions hold on {@code schema} (Deequ's own run reports a failure otherwise). */
  public static boolean preconditionsHold(Observed observed, org.apache.spark.sql.types.StructType schema) {
    for (ScanShareableAnalyzer<?, ?> a : observed.analyzers) {
      for (scala.Function1<org.apache.spark.sql.types.StructType, scala.runtime.BoxedUnit> p :
          JavaConverters.seqAsJavaList(a.preconditions())) {
        try {
          p.apply(schema);
        } catch (RuntimeException e) {
          return false;
        }
      }
    }
    return true;
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Result result(
      List<Item> items, List<Check> checks, Size size, VerificationResult result, InMemoryStateProvider states) {
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
      LakelineException.DataRejected unreadable = UnreadableFiles.rejection(t);
      if (unreadable != null) {
        throw unreadable; // the scan itself failed on an input file: not a verdict on any expectation
      }
      if (t instanceof EmptyStateException) {
        return new Measurement(null, 0L, 0L, true, null); // no input rows: all filtered away, or all null
      }
      return Measurement.failed(Failures.describe(t));
    }
    double v = ((Number) value.get()).doubleValue();
    if (Double.isNaN(v) && measure instanceof Measure.Statistic) {
      // a statistic over no value is an empty state (above); NaN is what the data holds (a NaN makes a mean NaN)
      return new Measurement(v, null, null, false, null);
    }
    if (Double.isNaN(v)) {
      return new Measurement(null, 0L, 0L, true, null); // a ratio over no rows: all filtered away
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
