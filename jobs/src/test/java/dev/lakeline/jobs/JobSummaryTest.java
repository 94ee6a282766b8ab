package dev.lakeline.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.core.runs.JobRun.RunOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary a job prints at its end; no Spark. */
class JobSummaryTest {
  /** The demo's summary (README): a name longer than the default column must not push its numbers to the right. */
  @Test
  void theTablesNumbersStayInTheirColumnsWhateverTheLengthOfAName() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JobSummary summary = new JobSummary(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    summary.table(new RunOutput("feature group loans v1", "/lh/feature_groups/loans/v1", 1, 10_000, false));
    summary.table(new RunOutput("training dataset loan_default v1 td1", "/lh/training_datasets/loan_default/v1/td1", 0, 8_678, false));
    summary.table(new RunOutput("predictions loan_default", "/lh/predictions/loan_default", 0, 712, false));
    summary.print("demo summary");

    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    String heading = lines.get(1);
    int versionEnd = heading.indexOf("version") + "version".length();
    int rowsEnd = heading.indexOf("rows") + "rows".length();
    String all = String.join("\n", lines);
    for (String line : lines.subList(2, 5)) {
      assertEquals(rowsEnd, line.stripTrailing().length(), "the rows end under 'rows':\n" + all);
      assertTrue(Character.isDigit(line.charAt(versionEnd - 1)), "the version ends under 'version':\n" + all);
      assertEquals(' ', line.charAt(versionEnd), "the version ends under 'version':\n" + all);
    }
  }
}
