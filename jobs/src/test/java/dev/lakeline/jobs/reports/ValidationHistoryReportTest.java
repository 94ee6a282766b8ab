package dev.lakeline.jobs.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.validation.Decision;
import dev.lakeline.validation.Expectation;
import dev.lakeline.validation.ExpectationResult;
import dev.lakeline.validation.IngestionPolicy;
import dev.lakeline.validation.Severity;
import dev.lakeline.validation.ValidationReport;
import dev.lakeline.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The validation history page, from reports made here (no Spark: the page is drawn from the reports alone). */
class ValidationHistoryReportTest {
  private static final Expectation MEAN =
      Expectation.of("expect_column_mean_to_be_between", Map.of("column", "amount", "min_value", 0, "max_value", 50));
  private static final Expectation NOT_NULL = Expectation.of("expect_column_values_to_not_be_null", Map.of("column", "id"));
  private static final Expectation IN_SET = Expectation.of("expect_column_values_to_be_in_set",
      Map.of("column", "channel", "value_set", List.of("web", "store"), "mostly", 0.9)).withSeverity(Severity.WARNING);

  private static ExpectationResult mean(double observed) {
    return new ExpectationResult(MEAN, "mean(amount)", observed >= 0 && observed <= 50, 10, null, null, null, observed, null,
        "observed " + observed + "; expected >= 0 and <= 50");
  }

  private static ExpectationResult notNull(long nulls) {
    return new ExpectationResult(NOT_NULL, "not_null(id)", nulls == 0, 10, null, nulls, null, null, null, nulls + " of 10 rows are null");
  }

  private static ExpectationResult inSet(long unexpected) {
    return new ExpectationResult(IN_SET, "in_set(channel)", unexpected <= 1, 10, 0L, unexpected, null, null, null,
        unexpected + " of 10 values are unexpected <script>");
  }

  private static ValidationReport report(int n, Decision decision, ExpectationResult... results) {
    return new ValidationReport("r" + n, "tx", 1, "run" + n, "insert:tx:2024-06-0" + n, IngestionPolicy.STRICT, decision,
        decision == Decision.REJECTED ? null : (long) n, "2024-06-0" + n, new ValidationResult("tx_suite", 10, List.of(results)));
  }

  /** Oldest first, as the page shows them; the page is given them newest first. */
  private static List<ValidationReport> history() {
    return List.of(
        report(1, Decision.INGESTED, notNull(0), mean(12.5)),
        report(2, Decision.REJECTED, notNull(0), mean(61.0), inSet(0)),
        report(3, Decision.INGESTED, notNull(0), mean(20.0), inSet(3)),
        report(4, Decision.INGESTED, notNull(0), mean(30.0), inSet(1)));
  }

  private static String page(List<ValidationReport> oldestFirst) {
    List<ValidationReport> newestFirst = new ArrayList<>(oldestFirst);
    java.util.Collections.reverse(newestFirst);
    return ValidationHistoryReport.html("tx", newestFirst);
  }

  /** The cells of one expectation's row in the grid, oldest batch first: pass, fail, warn or none. */
  private static List<String> gridRow(String html, String label) {
    Matcher row = Pattern.compile("<tr><th>" + Pattern.quote(label) + "(?: <small>\\(warning\\)</small>)?</th>(.*?)</tr>").matcher(html);
    assertTrue(row.find(), "a grid row for " + label);
    List<String> cells = new ArrayList<>();
    Matcher cell = Pattern.compile("<td class=\"(\\w+)\"").matcher(row.group(1));
    while (cell.find()) {
      cells.add(cell.group(1));
    }
    return cells;
  }

  @Test
  void theGridShowsEveryExpectationAgainstEveryBatchOldestFirst() {
    String html = page(history());
    assertEquals(List.of("pass", "pass", "pass", "pass"), gridRow(html, "not_null(id)"));
    assertEquals(List.of("pass", "fail", "pass", "pass"), gridRow(html, "mean(amount)"));
    // not in the first batch's suite; failed as a warning (not an error) in the third
    assertEquals(List.of("none", "pass", "warn", "pass"), gridRow(html, "in_set(channel)"));
    assertTrue(html.contains("<td class=\"fail\" title=\"observed 61.0; expected &gt;= 0 and &lt;= 50\">"), "a cell says what was observed");
    assertTrue(html.contains("3 INGESTED · 1 REJECTED"), "the decisions are counted");
    assertFalse(html.contains("<script>"), "text from the data is escaped");
    assertTrue(html.contains("&lt;script&gt;"));
  }

  @Test
  void measuredValuesGetATrendChartAndAlwaysCleanSharesDoNot() {
    String html = page(history());
    List<String> charts = HtmlCharts.of(html);
    assertTrue(charts.contains("mean(amount) over batches"), charts.toString());
    assertTrue(charts.contains("in_set(channel) over batches"), "a share of unexpected rows that moved: " + charts);
    assertFalse(charts.contains("not_null(id) over batches"), "never a null: nothing to draw");
    assertTrue(charts.contains("rows per batch by decision"));
    assertEquals(3, charts.size(), charts.toString());
    String one = page(history().subList(0, 1));
    assertEquals(List.of("rows per batch by decision"), HtmlCharts.of(one), "one batch: no trend yet");
    assertTrue(one.contains("appear from the second batch on"), "and the page says why");
  }

  /**
   * A batch where the mean failed with no value (no non-null values, a NaN) is not a point of the trend: the page
   * must not draw the line on through it as if the batches around it were all there was.
   */
  @Test
  void aBatchThatFailedWithNoValueIsMarkedInTheTrendNotLeftOut() {
    ExpectationResult noMean = new ExpectationResult(MEAN, "mean(amount)", false, 10, null, null, null, Double.NaN, null,
        "observed NaN: column 'amount' holds NaN values");
    String html = page(List.of(
        report(1, Decision.INGESTED, notNull(0), mean(12.5)),
        report(2, Decision.REJECTED, notNull(0), noMean),
        report(3, Decision.INGESTED, notNull(0), mean(20.0))));
    assertTrue(HtmlCharts.of(html).contains("mean(amount) over batches"));
    assertTrue(html.contains("failed with no value to draw") && html.contains("mean(amount) in batch #2."), html);
    String clean = page(history());
    assertFalse(clean.contains("no value to draw"), "nothing to mark when every failure has a value");
  }

  /** A QUARANTINED batch held rows back even when every expectation passed (within mostly): it is listed, saying why. */
  @Test
  void aQuarantinedBatchIsListedWithWhatHeldRowsBackEvenWhenEveryExpectationPassed() {
    ExpectationResult withinMostly = new ExpectationResult(IN_SET.withSeverity(Severity.ERROR), "in_set(channel)", true, 10, 0L, 1L,
        null, null, null, "1 of 10 values are unexpected; mostly=0.9 allows 10.00%");
    String html = page(List.of(
        report(1, Decision.INGESTED, notNull(0), mean(12.5)),
        report(2, Decision.QUARANTINED, notNull(0), mean(20.0), withinMostly)));
    assertTrue(html.contains("<summary>#2 2024-06-02 — QUARANTINED, 0 failed</summary>"), html);
    assertTrue(html.contains("held back in quarantine: the rows that broke in_set(channel) (1 row, within its mostly)"), html);
    assertFalse(html.contains("<summary>#1 "), "a batch that passed everything and was ingested whole is not listed");
  }

  @Test
  void failuresAreListedNewestFirstTheNewestOpen() {
    String html = page(history());
    int third = html.indexOf("<summary>#3 2024-06-03 — INGESTED, 1 failed</summary>");
    int second = html.indexOf("<summary>#2 2024-06-02 — REJECTED, 1 failed</summary>");
    assertTrue(third > 0 && second > third, "newest first");
    assertTrue(html.substring(0, third).endsWith("<details open>"), "the newest failure is open");
    assertFalse(html.contains("<summary>#1 "), "a batch that passed everything is not listed");
  }

  @Test
  void aLongSuiteDrawsAtMostTheCapAndSaysHowManyMore() {
    List<ValidationReport> batches = new ArrayList<>();
    int expectations = ValidationHistoryReport.MAX_TRENDS + 5;
    for (int b = 1; b <= 2; b++) {
      List<ExpectationResult> results = new ArrayList<>();
      for (int e = 0; e < expectations; e++) {
        Expectation x = Expectation.of("expect_column_max_to_be_between", Map.of("column", "c" + e, "max_value", 100));
        results.add(new ExpectationResult(x, "max(c" + e + ")", true, 10, null, null, null, b * 10.0 + e, null, "observed"));
      }
      batches.add(report(b, Decision.INGESTED, results.toArray(ExpectationResult[]::new)));
    }
    String html = page(batches);
    assertEquals(ValidationHistoryReport.MAX_TRENDS + 1, HtmlCharts.of(html).size(), "the cap, and the rows per batch");
    assertTrue(html.contains("5 more are in the grid"), "says what was left out");
    assertEquals(List.of("pass", "pass"), gridRow(html, "max(c44)"), "the grid keeps every expectation");
  }
}
