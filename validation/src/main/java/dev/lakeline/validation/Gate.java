package dev.lakeline.validation;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_union;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;

import dev.lakeline.core.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The commit gate's decision: runs the suite on the staged batch ({@link Staging}: cached, or a columnar read that
 * gives the same rows again) and splits it by policy.
 *
 * <ul>
 *   <li>{@link IngestionPolicy#STRICT}: any failed error-severity expectation → {@link Decision#REJECTED}.
 *   <li>{@link IngestionPolicy#ALWAYS}: {@link Decision#INGESTED} with every row; failures are only recorded.
 *   <li>{@link IngestionPolicy#QUARANTINE}: rows that break an error-severity column-map or row expectation are
 *       quarantined (also when the expectation passed thanks to {@code mostly}: the row still broke it), the
 *       rest are accepted → {@link Decision#QUARANTINED}, or {@link Decision#INGESTED} when no row broke any.
 *       Table, aggregate and schema expectations judge the whole batch and cannot be fixed by removing rows:
 *       if one of error severity fails, the batch is {@link Decision#REJECTED}.
 * </ul>
 *
 * Warnings never reject or quarantine. A <em>contract</em> (a primary key's expectations, {@link
 * Expectation#primaryKey}) is checked in the same run, but it is no part of what the policy weighs: if one of its
 * expectations fails, the batch is {@link Decision#REJECTED} whatever the policy (a null or duplicate key cannot be
 * committed, nor fixed by holding rows back). A rejected batch comes back whole in {@link GateResult#quarantined()},
 * so that the caller can keep it; accepted + quarantined always equals the batch (checked).
 */
public final class Gate {
  private Gate() {}

  /** Decides with the suite's own policy. */
  public static GateResult evaluate(Dataset<Row> stagedBatch, ExpectationSuite suite) {
    return evaluate(stagedBatch, suite, suite.policy());
  }

  public static GateResult evaluate(Dataset<Row> stagedBatch, ExpectationSuite suite, IngestionPolicy policy) {
    return evaluate(stagedBatch, List.of(), suite, policy);
  }

  /**
   * Decides on {@code contract} and {@code suite} in one run: a failed contract expectation rejects the batch
   * whatever the policy; the policy decides on the suite. The report lists the contract's expectations first.
   */
  public static GateResult evaluate(
      Dataset<Row> stagedBatch, List<Expectation> contract, ExpectationSuite suite, IngestionPolicy policy) {
    requireNoReservedColumn(stagedBatch);
    return decide(Validation.run(stagedBatch, withContract(contract, suite), true), policy, contract.size());
  }

  /** The suite with the contract's expectations before its own. */
  static ExpectationSuite withContract(List<Expectation> contract, ExpectationSuite suite) {
    if (contract.isEmpty()) {
      return suite;
    }
    List<Expectation> all = new ArrayList<>(contract);
    all.addAll(suite.expectations());
    return suite.withExpectations(all);
  }

  /**
   * The decision on a validation outcome (however its scan ran): the first {@code contract} results are the
   * contract's, which reject the batch when one fails; the policy decides on the others.
   */
  static GateResult decide(Validation.Outcome outcome, IngestionPolicy policy, int contract) {
    ValidationResult result = outcome.result();
    long rows = result.rowCount();
    List<String> broken =
        result.results().subList(0, contract).stream().filter(ExpectationResult::failedAsError).map(ExpectationResult::label).toList();
    if (!broken.isEmpty()) {
      return rejected(outcome, policy, "the key contract failed (" + String.join("; ", broken) + "): a key must be present and "
          + "unique whatever the policy");
    }
    List<ExpectationResult> errors = result.errors();
    List<ExpectationResult> batchErrors = errors.stream().filter(r -> !r.rowLevel()).toList();
    return switch (policy) {
      case ALWAYS -> ingested(outcome, policy, "ALWAYS: all " + rows + " rows accepted" + failuresNote(result));
      case STRICT -> errors.isEmpty()
          ? ingested(outcome, policy, "STRICT: all " + rows + " rows accepted" + failuresNote(result))
          : rejected(outcome, policy, errors.size() + " error-severity expectation(s) failed");
      case QUARANTINE -> batchErrors.isEmpty()
          ? quarantine(outcome, policy)
          : rejected(outcome, policy, batchErrors.size() + " table/aggregate expectation(s) of error severity failed; "
              + "they judge the whole batch, so quarantining rows cannot fix them");
    };
  }

  static void requireNoReservedColumn(Dataset<Row> batch) {
    if (Arrays.asList(batch.columns()).contains(GateResult.FAILED_EXPECTATIONS)) {
      throw Errors.config(
          "The batch has a column named '%s', which the gate adds to quarantined rows. Rename or drop it.",
          GateResult.FAILED_EXPECTATIONS);
    }
  }

  private static GateResult ingested(Validation.Outcome outcome, IngestionPolicy policy, String message) {
    Dataset<Row> batch = outcome.plan().batch();
    long rows = outcome.result().rowCount();
    return new GateResult(
        Decision.INGESTED, policy, outcome.result(), batch, noRows(batch), rows, 0, message, null, outcome.fingerprint());
  }

  private static GateResult rejected(Validation.Outcome outcome, IngestionPolicy policy, String why) {
    ValidationResult result = outcome.result();
    Dataset<Row> batch = outcome.plan().batch();
    List<String> batchLabels =
        result.errors().stream().filter(r -> !r.rowLevel()).map(ExpectationResult::label).toList();
    Column own = col(Validator.FAILED_EXPECTATIONS_COLUMN);
    Column all = batchLabels.isEmpty() ? own : array_union(own, array(batchLabels.stream().map(l -> lit(l)).toArray(Column[]::new)));
    Dataset<Row> quarantined =
        RowLevel.label(outcome.plan(), result, Validator.FAILED_EXPECTATIONS_COLUMN)
            .withColumn(Validator.FAILED_EXPECTATIONS_COLUMN, all)
            .withColumnRenamed(Validator.FAILED_EXPECTATIONS_COLUMN, GateResult.FAILED_EXPECTATIONS);
    // the caller writes none of it (not even to quarantine): the batch stays where it came from, to rerun once fixed
    String message = policy + ": batch of " + result.rowCount() + " rows REJECTED (" + why + "); nothing may be committed, "
        + "and none of its rows is kept in quarantine: fix the data (or the suite) and rerun the batch.\n" + result.failureSummary();
    return new GateResult(
        Decision.REJECTED, policy, result, batch.limit(0), quarantined, 0, result.rowCount(), message, null, null);
  }

  private static GateResult quarantine(Validation.Outcome outcome, IngestionPolicy policy) {
    ValidationResult result = outcome.result();
    boolean anyRowBroken = result.results().stream()
        .anyMatch(r -> r.rowLevel() && r.expectation().severity() == Severity.ERROR
            && (r.raisedException() || r.unexpectedCount() != null && r.unexpectedCount() > 0));
    if (!anyRowBroken) {
      return ingested(outcome, policy, "QUARANTINE: all " + result.rowCount() + " rows accepted" + failuresNote(result));
    }
    Dataset<Row> labeled =
        RowLevel.label(outcome.plan(), result, Validator.FAILED_EXPECTATIONS_COLUMN).persist(StorageLevel.MEMORY_AND_DISK());
    SplitCounts counts;
    try {
      counts = SplitCounts.of(labeled, result);
    } catch (RuntimeException e) {
      labeled.unpersist();
      throw e;
    }
    Column failed = col(Validator.FAILED_EXPECTATIONS_COLUMN);
    Dataset<Row> accepted = labeled.filter(size(failed).equalTo(0)).drop(Validator.FAILED_EXPECTATIONS_COLUMN);
    Dataset<Row> quarantined =
        labeled.filter(size(failed).gt(0)).withColumnRenamed(Validator.FAILED_EXPECTATIONS_COLUMN, GateResult.FAILED_EXPECTATIONS);
    Decision decision = counts.quarantined() > 0 ? Decision.QUARANTINED : Decision.INGESTED;
    String message = "QUARANTINE: " + counts.accepted() + " of " + result.rowCount() + " rows accepted, "
        + counts.quarantined() + " quarantined" + failuresNote(result);
    return new GateResult(
        decision, policy, result, accepted, quarantined, counts.accepted(), counts.quarantined(), message, labeled, null);
  }

  private static Dataset<Row> noRows(Dataset<Row> batch) {
    return batch.limit(0).withColumn(GateResult.FAILED_EXPECTATIONS, array().cast("array<string>"));
  }

  private static String failuresNote(ValidationResult result) {
    return result.success() ? "; every expectation passed" : "; failed:\n" + result.failureSummary();
  }
}
