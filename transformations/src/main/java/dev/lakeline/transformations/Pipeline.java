package dev.lakeline.transformations;

import dev.lakeline.core.Errors;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Spelling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Steps applied in order. {@link #validate} checks the whole pipeline against an input schema without data: every
 * column a step reads must be in the input or produced by an earlier step. {@link #apply} validates, then applies.
 */
public record Pipeline(List<Step> steps) implements Transformation {
  public Pipeline {
    steps = List.copyOf(steps);
  }

  public static Pipeline of(Step... steps) {
    return new Pipeline(Arrays.asList(steps));
  }

  /** {@link #of(Step...)} with a list (what PySpark's gateway passes). */
  public static Pipeline of(List<Step> steps) {
    return new Pipeline(steps);
  }

  /** This pipeline followed by {@code step}. */
  public Pipeline then(Step step) {
    List<Step> more = new ArrayList<>(steps);
    more.add(step);
    return new Pipeline(more);
  }

  /** The schema the pipeline produces from {@code input}, or a ConfigError naming the first step that cannot run. */
  public StructType validate(StructType input) {
    if (input == null) {
      throw Errors.config("Pipeline.validate needs the input's schema (df.schema()), got null.");
    }
    StructType schema = input;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      List<String> available = Arrays.asList(schema.fieldNames());
      for (String column : step.inputColumns()) {
        if (!available.contains(column)) {
          String close = Spelling.closest(column, available);
          throw Errors.config(
              "Pipeline step %d '%s' reads column '%s', which is not in the input schema and is produced by no "
                  + "earlier step.%s Columns available to this step: %s.",
              i + 1, step.name(), column, close == null ? "" : " Did you mean '" + close + "'?", available);
        }
      }
      try {
        StructType before = schema;
        schema = step.outputSchema(before);
        Schemas.distinctNames(step, before, schema);
      } catch (LakelineException.ConfigError e) {
        throw Errors.config(e, "Pipeline step %d '%s': %s", i + 1, step.name(), e.getMessage());
      }
    }
    return schema;
  }

  @Override
  public Dataset<Row> apply(Dataset<Row> input) {
    if (input == null) {
      throw Errors.config("Pipeline.apply needs the input DataFrame (df._jdf from PySpark), got null.");
    }
    validate(input.schema());
    Dataset<Row> df = input;
    for (Step step : steps) {
      df = step.apply(df);
    }
    return df;
  }
}
