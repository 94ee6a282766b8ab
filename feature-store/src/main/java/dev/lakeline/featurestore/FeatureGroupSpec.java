package dev.lakeline.featurestore;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Names;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.IngestionPolicy;
import java.util.List;

/**
 * The definition of a feature group. Immutable; a different definition is a new version.
 *
 * @param name the group's name (letters, digits, '_', '-')
 * @param version its version, from 1
 * @param primaryKey the key columns; never null, unique together with the event time
 * @param eventTime the event-time column, or null for a group without time (joined on key alone)
 * @param partitionColumns Delta partition columns (may be empty)
 * @param description free text for people
 * @param suite the expectation suite every batch must pass (empty for none)
 */
public record FeatureGroupSpec(
    String name,
    int version,
    List<String> primaryKey,
    String eventTime,
    List<String> partitionColumns,
    String description,
    ExpectationSuite suite) {

  public FeatureGroupSpec {
    Names.check("feature group", name);
    if (version < 1) {
      throw Errors.config("Feature group '%s': versions start at 1, got %d.", name, version);
    }
    primaryKey = List.copyOf(primaryKey == null ? List.of() : primaryKey);
    if (primaryKey.isEmpty()) {
      throw Errors.config("Feature group '%s' needs a primary key: name the column(s) that identify an entity.", name);
    }
    partitionColumns = List.copyOf(partitionColumns == null ? List.of() : partitionColumns);
    description = description == null ? "" : description;
    suite = suite == null ? ExpectationSuite.empty(name) : suite;
  }

  public static FeatureGroupSpec of(String name, List<String> primaryKey, String eventTime) {
    return new FeatureGroupSpec(name, 1, primaryKey, eventTime, List.of(), "", null);
  }

  public FeatureGroupSpec withVersion(int value) {
    return new FeatureGroupSpec(name, value, primaryKey, eventTime, partitionColumns, description, suite);
  }

  public FeatureGroupSpec withDescription(String value) {
    return new FeatureGroupSpec(name, version, primaryKey, eventTime, partitionColumns, value, suite);
  }

  public FeatureGroupSpec withSuite(ExpectationSuite value) {
    return new FeatureGroupSpec(name, version, primaryKey, eventTime, partitionColumns, description, value);
  }

  public FeatureGroupSpec withPartitionColumns(List<String> value) {
    return new FeatureGroupSpec(name, version, primaryKey, eventTime, value, description, suite);
  }

  /** A copy whose suite decides with {@code value}: STRICT, ALWAYS or QUARANTINE. */
  public FeatureGroupSpec withPolicy(IngestionPolicy value) {
    return withSuite(suite.withPolicy(value));
  }

  /** The ingestion policy: the suite's ({@code policy:} in the suite file; STRICT by default). */
  public IngestionPolicy policy() {
    return suite.policy();
  }

  /** "name v1", for messages. */
  public String label() {
    return name + " v" + version;
  }
}
