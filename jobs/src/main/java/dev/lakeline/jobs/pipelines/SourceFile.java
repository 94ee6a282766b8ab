package dev.lakeline.jobs.pipelines;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakeline.core.Durations;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.Names;
import dev.lakeline.jobs.pipelines.SourceSpec.BadRows;
import dev.lakeline.jobs.pipelines.SourceSpec.Format;
import dev.lakeline.jobs.pipelines.SourceSpec.Rows;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/** The {@code source} section of a pipeline file, read strictly (see {@link FeaturePipelineFile}). */
final class SourceFile {
  private static final List<String> FIELDS = List.of(
      "name", "path", "format", "schema", "timestamp_formats", "bad_rows", "date_column", "rows", "lookback", "options");
  /** Reader options Lakeline sets itself to find bad rows. */
  private static final Set<String> RESERVED_OPTIONS = Set.of("mode", "columnnameofcorruptrecord", "inferschema", "enforceschema", "columnpruning");

  private SourceFile() {}

  static SourceSpec parse(YamlFields s) {
    s.onlyKnown(FIELDS);
    String name = s.string("name");
    String path = s.string("path");
    if ((name == null) == (path == null)) {
      throw s.error("name", "give either 'name' (a raw source under <lakehouse>/raw/) or 'path' (a path or URI), not %s.",
          name == null ? "neither" : "both");
    }
    if (name != null) {
      try {
        Names.check("raw source", name);
      } catch (LakelineException.ConfigError e) {
        throw s.error("name", "%s", e.getMessage());
      }
    }
    Format format = s.choice("format", Map.of("parquet", Format.PARQUET, "csv", Format.CSV, "json", Format.JSON, "delta", Format.DELTA), null);
    if (format == null) {
      throw s.error("format", "is required: parquet, csv, json or delta.");
    }
    StructType schema = schema(s);
    if (format.text() && schema == null) {
      throw s.error("schema", "is required for %s sources: map each column to its Spark SQL type (id: string, ts: timestamp, amount: double).",
          format.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (format.text()) {
      for (var f : schema.fields()) {
        if (!TextColumns.supported(f.dataType())) {
          throw s.error("schema." + f.name(), "%s cannot be read from text; use string, a number type, boolean, date or timestamp.",
              f.dataType().simpleString());
        }
      }
    }
    List<String> formats = s.strings("timestamp_formats");
    if (formats.isEmpty() && s.has("timestamp_formats")) {
      throw s.error("timestamp_formats", "is an empty list. List the patterns to try, or leave the field out for ISO 8601.");
    }
    if (!formats.isEmpty() && !format.text()) {
      throw s.error("timestamp_formats", "applies to csv and json sources only: %s sources carry typed timestamps.",
          format.name().toLowerCase(java.util.Locale.ROOT));
    }
    for (int i = 0; i < formats.size(); i++) {
      try {
        TimestampParser.formatter(formats.get(i));
      } catch (IllegalArgumentException e) {
        throw s.error("timestamp_formats[" + (i + 1) + "]", "'%s' is not a datetime pattern: %s. Use Spark's/Java's "
            + "patterns, e.g. yyyy-MM-dd HH:mm:ss, yyyy-MM-dd'T'HH:mm:ssXXX, dd/MM/yyyy HH:mm.", formats.get(i), e.getMessage());
      }
    }
    BadRows badRows = s.choice("bad_rows", Map.of("reject", BadRows.REJECT, "report", BadRows.REPORT), BadRows.REJECT);
    String dateColumn = s.string("date_column");
    Rows rows = s.choice("rows", Map.of("up_to_date", Rows.UP_TO_DATE, "on_date", Rows.ON_DATE, "all", Rows.ALL),
        dateColumn == null ? Rows.ALL : Rows.UP_TO_DATE);
    if (dateColumn == null && rows != Rows.ALL) {
      throw s.error("rows", "'%s' needs a date_column: the date or timestamp column that places each row on a date.",
          rows.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (dateColumn != null && rows == Rows.ALL) {
      throw s.error("rows", "'all' reads every row whatever its date: remove date_column, or choose up_to_date or on_date.");
    }
    if (schema != null && dateColumn != null && !java.util.Arrays.asList(schema.fieldNames()).contains(dateColumn)) {
      throw s.error("date_column", "'%s' is not in the declared schema %s.", dateColumn, java.util.Arrays.asList(schema.fieldNames()));
    }
    Duration lookback = null;
    if (s.has("lookback")) {
      if (rows != Rows.ON_DATE) {
        throw s.error("lookback", "applies to rows: on_date only (up_to_date already reads the whole history).");
      }
      lookback = Durations.parse(s.where("lookback"), s.string("lookback"));
      if (lookback.isZero()) {
        throw s.error("lookback", "'%s' is zero: a lookback is the history before the date that the steps also see, so it "
            + "must be positive (7d, 12h). Leave it out to read the date's rows only.", s.string("lookback"));
      }
    }
    Map<String, String> options = s.stringMap("options");
    if (!options.isEmpty() && !format.text()) {
      throw s.error("options", "applies to csv and json sources only.");
    }
    for (String key : options.keySet()) {
      if (RESERVED_OPTIONS.contains(key.toLowerCase(java.util.Locale.ROOT))) {
        throw s.error("options." + key, "is set by Lakeline to find bad rows; use bad_rows: reject | report instead.");
      }
    }
    return new SourceSpec(name, path, format, schema, formats, badRows, dateColumn, rows, lookback, options);
  }

  private static StructType schema(YamlFields s) {
    JsonNode node = s.raw("schema");
    if (node == null) {
      return null;
    }
    if (!node.isObject() || node.isEmpty()) {
      throw s.error("schema", "must map each column to its Spark SQL type (id: string, ts: timestamp, amount: double).");
    }
    StructType schema = new StructType();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      DataType type;
      try {
        type = DataType.fromDDL(e.getValue().asText());
      } catch (Exception bad) { // Spark's ParseException: checked in Java's eyes, not declared
        throw s.error("schema." + e.getKey(), "'%s' is not a Spark SQL type. Use string, int, bigint, double, decimal(10,2), "
            + "boolean, date, timestamp...", e.getValue().asText());
      }
      schema = schema.add(e.getKey(), type, true);
    }
    return schema;
  }
}
