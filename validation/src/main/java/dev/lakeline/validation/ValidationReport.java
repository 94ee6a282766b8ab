package dev.lakeline.validation;

import dev.lakeline.core.Errors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The persisted evidence of one gate run: which batch of which feature group was validated, by which run,
 * under which policy, what was decided, the Delta version the commit produced (null when nothing was
 * committed) and the full validation result.
 *
 * @param reportId unique id; {@link #idFor} derives a stable one from the batch, so a retried run reuses it
 * @param featureGroup the feature group (or other target table) name
 * @param featureGroupVersion its version
 * @param runId the job run
 * @param batchId the batch ({@code job:group:date})
 * @param policy the policy that decided
 * @param decision INGESTED, REJECTED or QUARANTINED
 * @param deltaVersion the Delta version of the commit the gate allowed, or null (rejected, or not committed yet)
 * @param logicalDate the run's logical date (Airflow's), or null
 * @param result the suite's result on the batch
 */
public record ValidationReport(
    String reportId,
    String featureGroup,
    int featureGroupVersion,
    String runId,
    String batchId,
    IngestionPolicy policy,
    Decision decision,
    Long deltaVersion,
    String logicalDate,
    ValidationResult result) {

  public ValidationReport {
    require("reportId", reportId);
    require("featureGroup", featureGroup);
    if (policy == null || decision == null || result == null) {
      throw Errors.config("A validation report needs a policy, a decision and a validation result (report %s).", reportId);
    }
    if (decision == Decision.REJECTED && deltaVersion != null) {
      throw Errors.config(
          "Report %s: a REJECTED batch committed nothing, so it has no Delta version (got %d).", reportId, deltaVersion);
    }
  }

  /** A stable report id for (group, version, batch, run): a retried run of the same batch gets the same id. */
  public static String idFor(String featureGroup, int featureGroupVersion, String batchId, String runId) {
    String key = featureGroup + "\u0000" + featureGroupVersion + "\u0000" + batchId + "\u0000" + runId;
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The report of a gate decision, before the commit (no Delta version yet); the id comes from {@link #idFor}. */
  public static ValidationReport of(
      GateResult gate, String featureGroup, int featureGroupVersion, String runId, String batchId, String logicalDate) {
    return new ValidationReport(
        idFor(featureGroup, featureGroupVersion, batchId, runId), featureGroup, featureGroupVersion, runId, batchId,
        gate.policy(), gate.decision(), null, logicalDate, gate.validation());
  }

  public ValidationReport withDeltaVersion(Long value) {
    return new ValidationReport(
        reportId, featureGroup, featureGroupVersion, runId, batchId, policy, decision, value, logicalDate, result);
  }

  /** Rows in the validated batch. */
  public long rows() {
    return result.rowCount();
  }

  /**
   * A readable summary: what was validated, the decision, the statistics, one line per failed expectation and, for a
   * QUARANTINED batch, the expectations whose rows were held back (also those that passed thanks to {@code mostly}).
   */
  public String summary() {
    ValidationResult.Statistics s = result.statistics();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Validation report %s: %s v%d, batch %s%s%s%n",
        reportId, featureGroup, featureGroupVersion, batchId, runId == null ? "" : ", run " + runId,
        logicalDate == null ? "" : ", date " + logicalDate));
    b.append(String.format(Locale.ROOT, "  decision %s under %s; Delta version %s%n",
        decision, policy, deltaVersion == null ? "none" : deltaVersion));
    b.append(String.format(Locale.ROOT, "  suite '%s': %d of %d expectations passed (%s) on %d rows%n",
        result.suite(), s.successfulExpectations(), s.evaluatedExpectations(), Summaries.percent(s.successPercent()), rows()));
    if (!result.success()) {
      b.append("  failed:").append(System.lineSeparator());
      for (ExpectationResult r : result.results()) {
        if (!r.success()) {
          b.append("    - ").append(Summaries.line(r)).append(System.lineSeparator());
        }
      }
    }
    if (decision == Decision.QUARANTINED) {
      // a row is held back for breaking an error-severity row expectation, also one that passed thanks to mostly
      List<String> held = new ArrayList<>();
      for (ExpectationResult r : result.results()) {
        if (!r.rowLevel() || r.expectation().severity() != Severity.ERROR) {
          continue;
        }
        if (r.raisedException()) {
          held.add(r.label() + " (every row: it could not be evaluated)");
        } else if (r.unexpectedCount() != null && r.unexpectedCount() > 0) {
          long n = r.unexpectedCount();
          held.add(r.label() + " (" + n + (n == 1 ? " row" : " rows") + (r.success() ? ", within its mostly" : "") + ")");
        }
      }
      if (!held.isEmpty()) {
        b.append("  held back in quarantine: the rows that broke ").append(String.join("; ", held)).append(System.lineSeparator());
      }
    }
    return b.toString();
  }

  private static void require(String name, String value) {
    if (value == null || value.isBlank()) {
      throw Errors.config("A validation report needs a %s.", name);
    }
  }
}
