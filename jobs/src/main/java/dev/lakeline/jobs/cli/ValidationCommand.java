package dev.lakeline.jobs.cli;

import dev.lakeline.core.Errors;
import dev.lakeline.core.Spelling;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.reports.ReportPages;
import dev.lakeline.jobs.reports.ValidationHistoryReport;
import dev.lakeline.validation.Decision;
import dev.lakeline.validation.ValidationReport;
import dev.lakeline.validation.ValidationReports;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeline validation history <group>} and {@code lakeline validation show <report>}. */
@Command(
    name = "validation",
    mixinStandardHelpOptions = true,
    description = "Validation reports: every batch's suite result and the gate's decision.",
    subcommands = {ValidationCommand.History.class, ValidationCommand.Show.class})
final class ValidationCommand extends ParentCommand {
  @Command(name = "history", mixinStandardHelpOptions = true, description = "The validation reports of a feature group, newest first.")
  static final class History extends StoreCommand {
    @Parameters(index = "0", paramLabel = "GROUP", description = "The feature group's name.")
    String group;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many reports (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--report", paramLabel = "FILE",
        description = "Also write these reports as an HTML page with charts: rows per batch by decision, every "
            + "expectation against every batch, each measured value's trend with its bounds, and the failures.")
    Path report;

    @Override
    void run(JobContext ctx, PrintStream out) {
      if (report != null) {
        ReportPages.checkWritable(report); // before anything is read or printed
      }
      requireLimit(limit, "reports");
      List<ValidationReport> reports = ValidationReports.open(ctx.spark(), ctx.layout()).history(group, limit);
      if (reports.isEmpty()) {
        // the group's folder, not every group's definition: this runs only when the group has no reports
        LakeFiles files = LakeFiles.of(ctx.spark());
        if (!files.exists(ctx.layout().featureGroups() + "/" + group)) {
          String close = Spelling.closest(group, files.list(ctx.layout().featureGroups()));
          throw Errors.notFound("There is no feature group '%s' under %s.%s List the groups with 'lakeline fg list'.", group,
              ctx.layout().root(), close == null ? "" : " Did you mean '" + close + "'?");
        }
        out.printf("No validation reports for feature group '%s' under %s%s.%n", group, ctx.layout().root(),
            report == null ? "" : "; no report written");
        return;
      }
      out.printf("%-4s %-12s %-11s %-10s %9s %8s %9s  %-36s %s%n", "ver", "decision", "policy", "delta", "rows", "passed", "success", "batch", "report");
      for (ValidationReport r : reports) {
        var v = r.result();
        out.printf(Locale.ROOT, "v%-3d %-12s %-11s %-10s %,9d %8s %8.1f%%  %-36s %s%n",
            r.featureGroupVersion(), r.decision(), r.policy(), r.deltaVersion() == null ? "-" : "v" + r.deltaVersion(),
            r.rows(), v.successful() + "/" + v.evaluated(), 100.0 * v.successful() / Math.max(1, v.evaluated()),
            r.batchId(), r.reportId());
      }
      ValidationReport latest = reports.get(0);
      if (!latest.result().success() || latest.decision() == Decision.QUARANTINED) {
        out.println();
        out.println("latest report: " + latest.reportId());
        out.print(latest.summary());
      }
      if (report != null) {
        out.printf("%nreport: %s%n", ReportPages.write(report, ValidationHistoryReport.html(group, reports)));
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One validation report: the summary, or (--json) Great Expectations' result JSON.")
  static final class Show extends StoreCommand {
    @Parameters(index = "0", paramLabel = "REPORT", description = "The report id (see 'validation history').")
    String reportId;

    @Option(names = "--json", description = "Print the result in Great Expectations' JSON layout.")
    boolean json;

    @Override
    void run(JobContext ctx, PrintStream out) {
      ValidationReport r = ValidationReports.open(ctx.spark(), ctx.layout()).get(reportId);
      out.println(json ? r.result().toJson() : r.summary());
    }
  }
}
