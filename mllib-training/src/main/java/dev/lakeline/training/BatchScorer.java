package dev.lakeline.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lakeline.core.Errors;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Scores feature data with a registered model version. */
public final class BatchScorer {
  public static final String SCORE = "score";
  public static final String PREDICTION = "prediction";

  private BatchScorer() {}

  /**
   * The {@code keep} columns of {@code features}, plus {@code score} (probability of the positive class),
   * {@code prediction} (0/1), {@code model_name} and {@code model_version}.
   *
   * @throws dev.lakeline.core.LakelineException.ConfigError if {@code features} lacks an input of the model (the
   *     features its card lists)
   */
  public static Dataset<Row> score(ModelVersion model, Dataset<Row> features, List<String> keep) {
    List<String> columns = List.of(features.columns());
    if (model.card() != null && model.card().features() != null) {
      for (String c : model.card().features()) {
        if (!columns.contains(c)) {
          throw Errors.missingColumn("Scoring with " + model.label(), c, columns);
        }
      }
    }
    Dataset<Row> scored = model.load().transform(features);
    List<Column> out = new ArrayList<>();
    keep.forEach(c -> out.add(col("`" + c + "`")));
    out.add(functions.vector_to_array(col("probability"), "float64").getItem(1).as(SCORE));
    out.add(col("prediction").cast("int").as(PREDICTION));
    out.add(lit(model.name()).as("model_name"));
    out.add(lit(model.version()).as("model_version"));
    return scored.select(out.toArray(Column[]::new));
  }
}
