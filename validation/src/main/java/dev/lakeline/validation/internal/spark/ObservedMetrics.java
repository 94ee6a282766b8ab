package dev.lakeline.validation.internal.spark;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import scala.Option;
import scala.runtime.AbstractPartialFunction;

/**
 * Catches the row of a named observation ({@code Dataset.observe}) when the query that carries it finishes, also
 * when that query runs inside a command of its own (Delta's transactional write runs under its own execution,
 * which Spark reports to query-execution listeners with its plan and observed metrics).
 */
public final class ObservedMetrics implements QueryExecutionListener {
  private final SparkSession spark;
  private final String name;
  private final CompletableFuture<Row> metrics = new CompletableFuture<>();
  private volatile int deliveries;

  private ObservedMetrics(SparkSession spark, String name) {
    this.spark = spark;
    this.name = name;
  }

  /** Starts listening for the observation {@code name}; {@link #close()} stops. */
  public static ObservedMetrics listen(SparkSession spark, String name) {
    ObservedMetrics listener = new ObservedMetrics(spark, name);
    spark.listenerManager().register(listener);
    return listener;
  }

  @Override
  public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
    Option<Row> row = qe.observedMetrics().get(name);
    if (row.isDefined()) {
      deliveries++;
      metrics.complete(row.get());
    }
  }

  @Override
  public void onFailure(String funcName, QueryExecution qe, Exception exception) {}

  /** The observed row, or null when none came within {@code seconds} (or more than one query carried it). */
  public Row await(long seconds) {
    try {
      Row row = metrics.get(seconds, TimeUnit.SECONDS);
      return deliveries == 1 ? row : null;
    } catch (TimeoutException | ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Stops listening. */
  public void close() {
    spark.listenerManager().unregister(this);
  }

  /**
   * {@code c} with every reference to a column named in {@code definitions} (a single-part name) replaced by
   * its definition: an aggregate over a view's columns becomes one over the columns the view is defined on.
   */
  public static Column inline(Column c, Map<String, Expression> definitions) {
    return new Column(c.expr().transformUp(new AbstractPartialFunction<Expression, Expression>() {
      @Override
      public boolean isDefinedAt(Expression e) {
        return e instanceof UnresolvedAttribute a && a.nameParts().size() == 1 && definitions.containsKey(a.name());
      }

      @Override
      public Expression apply(Expression e) {
        return definitions.get(((UnresolvedAttribute) e).name());
      }
    }));
  }
}
