package dev.lakeline.validation.internal.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Aggregate;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.Range;
import org.apache.spark.sql.catalyst.plans.logical.RepartitionOperation;
import org.apache.spark.sql.catalyst.plans.logical.Window;
import org.apache.spark.sql.execution.CachedData;
import org.apache.spark.sql.execution.columnar.InMemoryRelation;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;

/** Questions about a DataFrame's query plan, answered from Catalyst's optimized plan. */
public final class Plans {
  private Plans() {}

  /**
   * Whether reading {@code data} again gives the same rows at the cost of a columnar scan: a deterministic plan
   * of projections and filters over Parquet/ORC/Delta files (listed when the DataFrame was made; a Delta read
   * is pinned to its snapshot), in-memory rows or a range. Anything else (a CSV or JSON parse, a join, an
   * aggregation, a window, a non-deterministic expression) is worth caching.
   */
  public static boolean cheapToReread(Dataset<Row> data) {
    LogicalPlan plan = data.queryExecution().optimizedPlan();
    return plan.deterministic() && scansOnly(plan);
  }

  private static boolean scansOnly(LogicalPlan plan) {
    if (plan instanceof Project p) {
      return scansOnly(p.child());
    }
    if (plan instanceof Filter f) {
      return scansOnly(f.child());
    }
    if (plan instanceof LocalRelation || plan instanceof Range || plan instanceof OneRowRelation) {
      return true;
    }
    if (plan instanceof LogicalRelation r && r.relation() instanceof HadoopFsRelation fs) {
      String format = fs.fileFormat().getClass().getSimpleName();
      return format.contains("Parquet") || format.contains("Orc");
    }
    return false;
  }

  /**
   * The cached (persisted) {@code data}'s size in Spark's cache and its partitions, as {@code {bytes, partitions}},
   * once a job has built the cache; null when {@code data} is not cached or its cache is not built yet.
   */
  public static long[] cachedSize(Dataset<Row> data) {
    // asked of the cache manager: the DataFrame's own plan may have been planned before it was persisted
    scala.Option<CachedData> entry = data.sparkSession().sharedState().cacheManager().lookupCachedData(data);
    if (entry.isEmpty() || !entry.get().cachedRepresentation().cacheBuilder().isCachedColumnBuffersLoaded()) {
      return null;
    }
    InMemoryRelation cached = entry.get().cachedRepresentation();
    long bytes = cached.cacheBuilder().sizeInBytesStats().value();
    return bytes <= 0 ? null : new long[] {bytes, cached.cacheBuilder().cachedColumnBuffers().getNumPartitions()};
  }

  /**
   * Why the one column {@code selected} selects from {@code batch} is no per-row expression: "an aggregate", "a window
   * function" or "not deterministic"; null when each row's value depends on that row alone, the same every time it is
   * computed.
   */
  public static String notPerRow(Dataset<Row> batch, Dataset<Row> selected) {
    LogicalPlan plan = selected.queryExecution().analyzed();
    if (plan instanceof Aggregate) {
      return "an aggregate";
    }
    // the nodes the select added on top of the batch's own plan: a window function brings a Window among them
    LogicalPlan own = batch.queryExecution().analyzed();
    for (LogicalPlan node = plan; !node.equals(own) && node.children().size() == 1; node = node.children().head()) {
      if (node instanceof Window) {
        return "a window function";
      }
    }
    if (plan instanceof Project p && !((Expression) p.projectList().head()).deterministic()) {
      return "not deterministic";
    }
    return null;
  }

  /** Whether {@code data} ends in the caller's own repartitioning ({@code repartition}, {@code coalesce}), below projections. */
  public static boolean partitionedByCaller(Dataset<Row> data) {
    LogicalPlan plan = data.queryExecution().analyzed();
    while (plan instanceof Project p) {
      plan = p.child();
    }
    return plan instanceof RepartitionOperation;
  }
}
