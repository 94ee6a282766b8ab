package dev.lakeline.jobs.pipelines;

import dev.lakeline.core.Errors;
import dev.lakeline.featurestore.FeatureGroupSpec;
import dev.lakeline.featurestore.FeatureViewSpec;
import dev.lakeline.training.BatchScorer;
import dev.lakeline.training.TrainingSpec;
import dev.lakeline.transformations.Pipeline;
import dev.lakeline.validation.Expectation;
import dev.lakeline.validation.ExpectationSuite;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What {@code lakeline train}, {@code infer} and {@code monitor} train, score and watch: a model file
 * ({@code model.file}, docs/model-registry.md) loaded by {@link ModelFile}. The view's base group dates every row by
 * its event time (the training window, the inference window, when a label is known) and identifies it by
 * {@link #idColumns} (a prediction's identity, and how monitoring finds its label).
 *
 * @param location the model file, for messages
 * @param viewName the feature view's name
 * @param viewVersion the feature view's version
 * @param viewFile the view's definition file, created by training when the view does not exist yet; null for none
 * @param viewDefinition the definition in {@code viewFile}, read when the model file was loaded; null for none
 * @param label the view's 0/1 label column
 * @param idColumns the columns that identify a scored row; empty for the base group's primary key
 * @param keepColumns more columns of the view's rows kept in the predictions table
 * @param numericFeatures the model's numeric inputs
 * @param categoricalFeatures the model's string inputs
 * @param onDemand steps computed after the point-in-time join, by training and inference alike
 * @param predictionsSuite the suite every batch of predictions passes; null for the default one ({@link #suite})
 */
public record ModelDefinition(
    String location,
    String viewName,
    int viewVersion,
    String viewFile,
    FeatureViewSpec viewDefinition,
    String label,
    List<String> idColumns,
    List<String> keepColumns,
    List<String> numericFeatures,
    List<String> categoricalFeatures,
    Pipeline onDemand,
    ExpectationSuite predictionsSuite) {

  public ModelDefinition {
    idColumns = List.copyOf(idColumns);
    keepColumns = List.copyOf(keepColumns);
    numericFeatures = List.copyOf(numericFeatures);
    categoricalFeatures = List.copyOf(categoricalFeatures);
  }

  /** The bundled demo model, the default of {@code model.file}. */
  public static final String BUNDLED = "classpath:lakeline-conf/models/loan_default.yaml";

  /** "loan_default v1". */
  public String viewLabel() {
    return viewName + " v" + viewVersion;
  }

  /** What to train, with the given algorithm and seed (the view's transformations are added by the caller). */
  public TrainingSpec trainingSpec(String algorithm, long seed) {
    return new TrainingSpec(algorithm, numericFeatures, categoricalFeatures, label, seed);
  }

  /** The columns of the view's base group that identify a scored row: {@link #idColumns}, else its primary key. */
  public List<String> ids(FeatureGroupSpec base) {
    return idColumns.isEmpty() ? base.primaryKey() : idColumns;
  }

  /**
   * The predictions table's columns before {@code run_date}: the ids, the kept columns, the base group's event time,
   * then the score, the prediction, the model's name and version.
   */
  public List<String> predictionColumns(FeatureGroupSpec base) {
    LinkedHashSet<String> out = new LinkedHashSet<>(ids(base));
    out.addAll(keepColumns);
    out.add(base.eventTime());
    out.addAll(List.of(BatchScorer.SCORE, BatchScorer.PREDICTION, "model_name", "model_version"));
    return List.copyOf(out);
  }

  /**
   * The suite every batch of predictions passes: the model file's, else one that wants the ids unique, every score
   * present and within [0, 1], and every prediction 0 or 1.
   */
  public ExpectationSuite suite(FeatureGroupSpec base) {
    if (predictionsSuite != null) {
      return predictionsSuite;
    }
    List<String> ids = ids(base);
    List<Expectation> e = new ArrayList<>();
    e.add(ids.size() == 1
        ? Expectation.of("expect_column_values_to_be_unique", Map.of("column", ids.get(0)))
        : Expectation.of("expect_compound_columns_to_be_unique", Map.of("column_list", ids)));
    e.add(Expectation.of("expect_column_values_to_not_be_null", Map.of("column", BatchScorer.SCORE)));
    e.add(Expectation.of("expect_column_values_to_be_between", Map.of("column", BatchScorer.SCORE, "min_value", 0, "max_value", 1)));
    e.add(Expectation.of("expect_column_values_to_be_in_set", Map.of("column", BatchScorer.PREDICTION, "value_set", List.of(0, 1))));
    return new ExpectationSuite("predictions", e);
  }

  /**
   * Checks the definition against its view's definition alone, as soon as that is at hand (a model file that names the
   * view's file: when it is loaded, also by {@code --dry-run}): the label is one of the view's labels; no id is a label
   * or a feature the view joins from another group, and no kept column is a label.
   */
  public void checkView(FeatureViewSpec view) {
    if (!view.labels().contains(label)) {
      throw Errors.config("%s: label '%s' is not a label of feature view %s, whose labels are %s. Name one of them, or "
          + "add it to the view's labels (a new view version).", location, label, viewLabel(), view.labels());
    }
    for (String id : idColumns) {
      if (contains(view.labels(), id)) {
        throw Errors.config("%s: id_columns: '%s' is a label of feature view %s, which a row does not have when it is "
            + "scored. Name the columns that identify the base group's rows (default: its primary key).", location, id, viewLabel());
      }
      for (FeatureViewSpec.Join j : view.joins()) {
        if (j.features().stream().anyMatch(f -> (j.prefix() + f).equalsIgnoreCase(id))) {
          throw Errors.config("%s: id_columns: '%s' is a feature that feature view %s joins from group %s, but ids identify "
              + "the rows of its base group %s (monitoring finds their labels by them). Name columns of the base group "
              + "(default: its primary key).", location, id, viewLabel(), j.group(), view.base());
        }
      }
    }
    for (String keep : keepColumns) {
      if (contains(view.labels(), keep)) {
        throw Errors.config("%s: keep_columns: '%s' is a label of feature view %s, which a row does not have when it is "
            + "scored (monitor joins the labels to the predictions later). Remove it from keep_columns.", location, keep, viewLabel());
      }
    }
  }

  /**
   * Checks the definition against its view and the view's base group (before anything is read or written): {@link
   * #checkView}; the base group has a DATE or TIMESTAMP event time; the ids are columns of the base group that the
   * view's rows carry (its training datasets and the batches it scores: monitoring leaves out a version's training rows
   * by them); the kept columns are columns of those rows.
   */
  public void check(FeatureViewSpec view, FeatureGroupSpec base, StructType baseSchema) {
    checkView(view);
    if (base.eventTime() == null) {
      throw Errors.config("%s: the base group %s of feature view %s has no event time, and a model's rows are dated by "
          + "it (the training and inference windows). Base the view on a group with an event time.",
          location, base.name(), viewLabel());
    }
    timeLiteral(base, baseSchema, LocalDate.EPOCH); // a DATE or TIMESTAMP event time (or an older group's TIMESTAMP_NTZ)
    List<String> rows = view.columns(base, false);
    for (String id : ids(base)) {
      if (!contains(List.of(baseSchema.fieldNames()), id)) {
        throw Errors.config("%s: id_columns: '%s' is not a column of the base group %s (its columns: %s).",
            location, id, base.name(), List.of(baseSchema.fieldNames()));
      }
      if (!contains(rows, id)) {
        throw Errors.config("%s: id_columns: '%s' is a column of the base group %s, but feature view %s's rows do not carry "
            + "it (they have %s): neither its training datasets nor the batches it scores would have it, so monitoring could "
            + "not leave out a version's training rows. Name columns among those, or add '%s' to the view's features (a "
            + "new view version).", location, id, base.name(), viewLabel(), rows, id);
      }
    }
    for (String keep : keepColumns) {
      if (!contains(rows, keep)) {
        throw Errors.config("%s: keep_columns: '%s' is not a column of feature view %s's rows, which inference scores (they "
            + "have %s). Name columns among those, or add it to the view's features (a new view version).",
            location, keep, viewLabel(), rows);
      }
    }
  }

  /**
   * The SQL literal of the start of {@code date} (UTC) that compares with the base group's event time: {@code
   * DATE'2024-06-30'}, {@code TIMESTAMP'2024-06-30 00:00:00Z'} or {@code TIMESTAMP_NTZ'2024-06-30 00:00:00'}.
   */
  public String timeLiteral(FeatureGroupSpec base, StructType baseSchema, LocalDate date) {
    String time = base.eventTime();
    DataType type = baseSchema.apply(baseSchema.fieldIndex(time)).dataType();
    if (type.equals(DataTypes.DateType)) {
      return "DATE'" + date + "'";
    }
    if (type.equals(DataTypes.TimestampType)) {
      return "TIMESTAMP'" + date + " 00:00:00Z'";
    }
    if (type.equals(DataTypes.TimestampNTZType)) {
      return "TIMESTAMP_NTZ'" + date + " 00:00:00'";
    }
    throw Errors.config("%s: the event time '%s' of feature view %s's base group is %s; a model's rows are dated by it, "
        + "so it must be a DATE or TIMESTAMP.", location, time, viewLabel(), type.simpleString());
  }

  /** Whether {@code columns} has {@code column}, compared case-insensitively as Spark resolves names. */
  private static boolean contains(List<String> columns, String column) {
    return columns.stream().anyMatch(c -> c.equalsIgnoreCase(column));
  }

  /** {@code column} as SQL: as it is when it is a plain name, else in back-quotes. */
  public static String sql(String column) {
    return column.matches("[A-Za-z_][A-Za-z0-9_]*") ? column : "`" + column.replace("`", "``") + "`";
  }
}
