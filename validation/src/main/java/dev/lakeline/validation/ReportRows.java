package dev.lakeline.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The row layout of the validation reports table: summary columns to filter and chart on, the per-expectation
 * results as a nested array (to query one expectation's history), and the full GE result JSON (read back by
 * {@link ValidationReports}).
 */
final class ReportRows {
  static final StructType EXPECTATION =
      new StructType()
          .add("label", DataTypes.StringType)
          .add("type", DataTypes.StringType)
          .add("severity", DataTypes.StringType)
          .add("row_level", DataTypes.BooleanType)
          .add("success", DataTypes.BooleanType)
          .add("element_count", DataTypes.LongType)
          .add("missing_count", DataTypes.LongType)
          .add("unexpected_count", DataTypes.LongType)
          .add("unexpected_percent", DataTypes.DoubleType)
          .add("observed_value", DataTypes.StringType)
          .add("partial_unexpected_list", DataTypes.StringType)
          .add("exception_message", DataTypes.StringType)
          .add("kwargs", DataTypes.StringType);

  /**
   * The version of the reports table the report's row was written for: the version its commit produces unless
   * another report commits at the same moment (then Delta commits it next, and the two share a number).
   */
  static final String COMMIT_VERSION = "commit_version";

  static final StructType SCHEMA =
      new StructType()
          .add("report_id", DataTypes.StringType, false)
          .add("feature_group", DataTypes.StringType, false)
          .add("feature_group_version", DataTypes.IntegerType, false)
          .add("run_id", DataTypes.StringType)
          .add("batch_id", DataTypes.StringType)
          .add("logical_date", DataTypes.StringType)
          .add("policy", DataTypes.StringType, false)
          .add("decision", DataTypes.StringType, false)
          .add("delta_version", DataTypes.LongType)
          .add("suite", DataTypes.StringType)
          .add("success", DataTypes.BooleanType, false)
          .add("evaluated", DataTypes.IntegerType, false)
          .add("successful", DataTypes.IntegerType, false)
          .add("unsuccessful", DataTypes.IntegerType, false)
          .add("success_percent", DataTypes.DoubleType, false)
          .add("rows", DataTypes.LongType, false)
          .add("failed_expectations", DataTypes.createArrayType(DataTypes.StringType))
          .add("results", DataTypes.createArrayType(EXPECTATION))
          .add("result_json", DataTypes.StringType, false)
          .add(COMMIT_VERSION, DataTypes.LongType);

  private ReportRows() {}

  static Row toRow(ValidationReport r, long commitVersion) {
    ValidationResult v = r.result();
    ValidationResult.Statistics s = v.statistics();
    List<String> failed = v.results().stream().filter(e -> !e.success()).map(ExpectationResult::label).toList();
    List<Row> results = new ArrayList<>();
    for (ExpectationResult e : v.results()) {
      results.add(RowFactory.create(
          e.label(), e.expectation().type(), e.expectation().severity().name().toLowerCase(Locale.ROOT), e.rowLevel(),
          e.success(), e.elementCount(), e.missingCount(), e.unexpectedCount(), e.unexpectedPercent(),
          e.observedValue() == null ? null : json(e.observedValue()),
          json(e.partialUnexpectedList()), e.exceptionMessage(), json(e.expectation().kwargs())));
    }
    return RowFactory.create(
        r.reportId(), r.featureGroup(), r.featureGroupVersion(), r.runId(), r.batchId(), r.logicalDate(),
        r.policy().name(), r.decision().name(), r.deltaVersion(), v.suite(), v.success(), s.evaluatedExpectations(),
        s.successfulExpectations(), s.unsuccessfulExpectations(), s.successPercent(), v.rowCount(), failed, results,
        v.toJson(), commitVersion);
  }

  static ValidationReport fromRow(Row row) {
    return new ValidationReport(
        row.getAs("report_id"),
        row.getAs("feature_group"),
        row.<Integer>getAs("feature_group_version"),
        row.getAs("run_id"),
        row.getAs("batch_id"),
        IngestionPolicy.valueOf(row.getAs("policy")),
        Decision.valueOf(row.getAs("decision")),
        row.getAs("delta_version"),
        row.getAs("logical_date"),
        ValidationResult.fromJson(row.getAs("result_json")));
  }

  private static String json(Object value) {
    try {
      return ResultJson.JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value + " as JSON", e);
    }
  }
}
