package dev.lakeline.training;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.lakeline.core.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.param.Param;
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
   *     features its card lists), or already has a column the model writes ({@code prediction}, {@code probability},
   *     ...: a batch scored before), or {@code keep} names a column the scoring adds ({@code score}, {@code
   *     model_name}, ...); a column named twice in {@code keep} is kept once
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
    PipelineModel pipeline = model.load();
    List<String> clashes = written(pipeline).stream().filter(columns::contains).toList();
    if (!clashes.isEmpty()) {
      throw Errors.config(
          "Scoring with %s: the batch already has the column(s) %s, which the model writes. Drop or rename them first "
              + "(to score a scored batch again, score the features it was scored from).",
          model.label(), clashes);
    }
    List<String> added = List.of(SCORE, PREDICTION, "model_name", "model_version");
    List<String> named = keep.stream().filter(added::contains).distinct().toList();
    if (!named.isEmpty()) {
      throw Errors.config(
          "Scoring with %s: the column(s) %s to keep have the names of columns the scoring adds %s. Rename them in the "
              + "batch first, or leave them out of the columns to keep.", model.label(), named, added);
    }
    Dataset<Row> scored = pipeline.transform(features);
    List<Column> out = new ArrayList<>();
    keep.stream().distinct().forEach(c -> out.add(col("`" + c + "`")));
    out.add(functions.vector_to_array(col("probability"), "float64").getItem(1).as(SCORE));
    out.add(col("prediction").cast("int").as(PREDICTION));
    out.add(lit(model.name()).as("model_name"));
    out.add(lit(model.version()).as("model_version"));
    return scored.select(out.toArray(Column[]::new));
  }

  /** The columns the pipeline's stages add: their output, prediction, probability and raw prediction columns. */
  private static Set<String> written(PipelineModel pipeline) {
    Set<String> out = new LinkedHashSet<>();
    for (Transformer stage : pipeline.stages()) {
      for (Param<?> p : stage.params()) {
        if (!stage.isDefined(p)) {
          continue;
        }
        Object value = stage.getOrDefault(p);
        switch (p.name()) {
          case "outputCol", "predictionCol", "probabilityCol", "rawPredictionCol" -> out.add((String) value);
          case "outputCols" -> out.addAll(Arrays.asList((String[]) value));
          default -> { }
        }
      }
    }
    out.remove("");
    return out;
  }
}
