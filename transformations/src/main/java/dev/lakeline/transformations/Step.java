package dev.lakeline.transformations;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * A named transformation with a contract that can be checked without data: the columns it reads, and the schema it
 * produces from a given input schema (or a {@link dev.lakeline.core.LakelineException.ConfigError} naming the step
 * and the column that breaks its contract). {@link #apply} checks the same contract before it builds the plan.
 *
 * <p>{@link #name()} and {@link #parameters()} are the step as a pipeline file spells it: {@code
 * Steps.build(step.name(), step.parameters())} gives an equal step.
 */
public interface Step extends Transformation {
  /** The step's name in a pipeline file, for example {@code rolling_aggregates}. */
  String name();

  /** The step's parameters as a pipeline file spells them (strings, numbers, booleans, lists and maps). */
  Map<String, Object> parameters();

  /** The input columns the step reads. */
  List<String> inputColumns();

  /** Checks {@code input} against the step's contract and returns the schema the step produces from it. */
  StructType outputSchema(StructType input);
}
