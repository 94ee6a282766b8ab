package dev.lakeline.featurestore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lakeline.core.Errors;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.SuiteFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a feature group definition from YAML:
 *
 * <pre>
 * name: transactions
 * version: 1
 * primary_key: [txn_id]
 * event_time: txn_ts            # optional
 * partition_columns: []         # optional
 * description: Card transactions
 * suite: ../expectations/transactions.yaml   # optional, relative to this file
 * schema:                       # column: Spark SQL type
 *   txn_id: string
 *   txn_ts: timestamp
 *   amount: double
 * </pre>
 */
public final class FeatureGroupFiles {
  private static final Set<String> FIELDS =
      Set.of("name", "version", "primary_key", "event_time", "partition_columns", "description", "suite", "schema");

  private FeatureGroupFiles() {}

  /** A definition: the spec and the table's schema. */
  public record Definition(FeatureGroupSpec spec, StructType schema) {}

  public static Definition load(Path file) {
    JsonNode root = YamlFiles.readMapping(file, "Feature group definition", "name, primary_key and schema", FIELDS);
    String name = text(file, root, "name", true);
    int version = YamlFiles.intField(file, null, root, "version", 1);
    List<String> key = list(file, root, "primary_key");
    String eventTime = text(file, root, "event_time", false);
    List<String> partitions = list(file, root, "partition_columns");
    String description = text(file, root, "description", false);
    ExpectationSuite suite = null;
    String suitePath = text(file, root, "suite", false);
    if (suitePath != null) {
      Path p = file.toAbsolutePath().getParent().resolve(suitePath).normalize();
      suite = SuiteFiles.load(p.toString());
    }
    JsonNode schemaNode = root.path("schema");
    if (!schemaNode.isObject() || schemaNode.isEmpty()) {
      throw Errors.config("%s: 'schema' must map each column to its Spark SQL type (id: string, ts: timestamp, ...).", file);
    }
    StructType schema = new StructType();
    for (Iterator<Map.Entry<String, JsonNode>> it = schemaNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      DataType type;
      try {
        type = DataType.fromDDL(e.getValue().asText());
      } catch (Exception bad) { // Spark's ParseException is checked, though undeclared
        throw Errors.config("%s: column '%s' has the unknown type '%s'. Use a Spark SQL type: string, int, bigint, double, "
            + "decimal(10,2), date, timestamp, boolean, array<string>...", file, e.getKey(), e.getValue().asText());
      }
      schema = schema.add(e.getKey(), type, true);
    }
    return new Definition(new FeatureGroupSpec(name, version, key, eventTime, partitions, description, suite), schema);
  }

  private static String text(Path file, JsonNode root, String field, boolean required) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw Errors.config("%s: '%s' is required.", file, field);
      }
      return null;
    }
    if (!n.isValueNode()) {
      throw Errors.config("%s: '%s' must be a single value.", file, field);
    }
    return n.asText();
  }

  private static List<String> list(Path file, JsonNode root, String field) {
    JsonNode n = root.path(field);
    List<String> out = new ArrayList<>();
    if (n.isMissingNode() || n.isNull()) {
      return out;
    }
    if (n.isValueNode()) {
      out.add(n.asText());
      return out;
    }
    if (!n.isArray()) {
      throw Errors.config("%s: '%s' must be a list of column names.", file, field);
    }
    n.forEach(v -> out.add(v.asText()));
    return out;
  }
}
