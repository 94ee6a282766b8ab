package dev.lakeline.validation.internal.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.Range;
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
}
