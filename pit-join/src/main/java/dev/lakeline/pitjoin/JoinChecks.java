package dev.lakeline.pitjoin;

import dev.lakeline.core.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.RowOrdering;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Checks a spec against the spine and the sources before anything runs; each problem is a config error that names
 * the column or join and says how to fix it.
 */
final class JoinChecks {
  private JoinChecks() {}

  /** The spine's time type, after checking that the column exists and is a TIMESTAMP or DATE. */
  static DataType spineTime(Dataset<Row> spine, String spineTime) {
    StructField f = field(spine.schema(), "the spine", spineTime);
    if (!isTime(f.dataType())) {
      throw Errors.config(
          "The spine's time column '%s' is %s; the point-in-time join needs TIMESTAMP or DATE. Cast it (e.g. to_timestamp).",
          spineTime, f.dataType().simpleString());
    }
    return f.dataType();
  }

  /** Every join checked against the spine and its source, in the spec's order. */
  static List<PreparedJoin> prepare(Dataset<Row> spine, PitJoinSpec spec, Map<String, Dataset<Row>> sources) {
    DataType timeType = spineTime(spine, spec.spineTime());
    Map<String, String> spineColumns = new HashMap<>();
    for (String c : spine.columns()) {
      spineColumns.put(c.toLowerCase(Locale.ROOT), c);
    }
    List<PreparedJoin> out = new ArrayList<>();
    for (FeatureJoin j : spec.joins()) {
      Dataset<Row> data = sources.get(j.source());
      if (data == null) {
        throw Errors.config(
            "No data given for the feature source '%s' of the join (given: %s).", j.source(), sources.keySet());
      }
      out.add(prepareOne(out.size(), spine, spec.spineTime(), timeType, j, data, spineColumns));
    }
    return out;
  }

  private static PreparedJoin prepareOne(
      int index, Dataset<Row> spine, String spineTime, DataType timeType, FeatureJoin j, Dataset<Row> data,
      Map<String, String> spineColumns) {
    String where = "feature source '" + j.source() + "'";
    StructType schema = data.schema();
    List<DataType> keyTypes = new ArrayList<>();
    for (int i = 0; i < j.spineKeys().size(); i++) {
      DataType s = field(spine.schema(), "the spine", j.spineKeys().get(i)).dataType();
      DataType f = field(schema, where, j.featureKeys().get(i)).dataType();
      if (!s.sameType(f)) {
        throw Errors.config(
            "Join of '%s': the spine's key '%s' is %s but the source's key '%s' is %s. Cast one side so that both have the same type.",
            j.source(), j.spineKeys().get(i), s.simpleString(), j.featureKeys().get(i), f.simpleString());
      }
      keyTypes.add(s);
    }
    DataType ft = field(schema, where, j.featureTime()).dataType();
    if (!ft.sameType(timeType)) {
      throw Errors.config(
          "Join of '%s': the source's time '%s' is %s but the spine's time '%s' is %s. Both must be TIMESTAMP or both DATE: "
              + "cast one side (a DATE as a TIMESTAMP is its midnight UTC).",
          j.source(), j.featureTime(), ft.simpleString(), spineTime, timeType.simpleString());
    }
    DataType tieBreakType = null;
    if (j.tieBreak() != null) {
      tieBreakType = field(schema, where, j.tieBreak()).dataType();
      if (!RowOrdering.isOrderable(tieBreakType)) {
        throw Errors.config(
            "Join of '%s': the tie-break column '%s' is %s, which cannot be ordered. Use a number, string or timestamp column.",
            j.source(), j.tieBreak(), tieBreakType.simpleString());
      }
    }
    List<StructField> featureFields = new ArrayList<>();
    for (String f : j.features()) {
      featureFields.add(field(schema, where, f));
      String clash = spineColumns.get(j.outputName(f).toLowerCase(Locale.ROOT));
      if (clash != null) {
        throw Errors.config(
            "The spine already has a column '%s', which the join of '%s' would add as '%s'. Give the join a prefix (FeatureJoin.withPrefix).",
            clash, j.source(), j.outputName(f));
      }
    }
    for (Map.Entry<String, Object> d : j.defaults().entrySet()) {
      DataType type = featureFields.get(j.features().indexOf(d.getKey())).dataType();
      Literal value;
      try {
        value = (Literal) org.apache.spark.sql.functions.lit(d.getValue()).expr();
      } catch (RuntimeException e) {
        throw Errors.config(
            e, "Join of '%s': the default of '%s' (%s) is not a value Spark can hold. Give a number, string, boolean, date or timestamp.",
            j.source(), d.getKey(), d.getValue().getClass().getSimpleName());
      }
      if (!Cast.canAnsiCast(value.dataType(), type)) {
        throw Errors.config(
            "Join of '%s': the default of '%s' is %s, which cannot be cast to the feature's type %s. Give a value of that type.",
            j.source(), d.getKey(), value.dataType().simpleString(), type.simpleString());
      }
    }
    return new PreparedJoin(index, j, data, keyTypes, tieBreakType, featureFields, timeType);
  }

  private static boolean isTime(DataType t) {
    return t.equals(DataTypes.TimestampType) || t.equals(DataTypes.DateType);
  }

  private static StructField field(StructType schema, String where, String column) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(column)) {
        return f;
      }
    }
    throw Errors.missingColumn("The point-in-time join (" + where + ")", column, Arrays.asList(schema.fieldNames()));
  }
}
