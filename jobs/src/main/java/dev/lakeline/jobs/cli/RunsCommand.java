package dev.lakeline.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lakeline.core.Errors;
import dev.lakeline.core.runs.JobRun;
import dev.lakeline.core.runs.JobRuns;
import dev.lakeline.core.runs.RunFilter;
import dev.lakeline.core.runs.RunStatus;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.jobs.reports.ReportPages;
import dev.lakeline.jobs.reports.RunsReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeline runs list} and {@code lakeline runs show <run>}: the job-runs log. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "The job-runs log: every run of demo, generate, features, train, infer, monitor and maintain, how it ended and what it wrote.",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class})
final class RunsCommand extends ParentCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Job runs, newest first.",
      footer = {"", "Examples:", "  lakeline runs list --command infer --date 2024-06-30", "  lakeline runs list --status failed --limit 5"})
  static final class ListRuns extends StoreCommand {
    @Option(names = "--command", paramLabel = "NAME", description = "Only runs of this job (features, train, infer, monitor, maintain, demo, generate).")
    String command;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = DateOption.class,
        description = "Only runs for this logical date (and backfills whose range holds it).")
    LocalDate date;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only runs that ended so: succeeded, rejected, failed or stopped.")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the runs as JSON, every field.")
    boolean json;

    @Option(names = "--report", paramLabel = "FILE",
        description = "Also write these runs as an HTML page: each run's wall time by stage, and the runs with their status, errors and tables.")
    Path report;

    @Override
    void run(JobContext ctx, PrintStream out) {
      if (report != null) {
        ReportPages.checkWritable(report); // before anything is read or printed
      }
      requireLimit(limit, "runs");
      if (command != null) {
        // the jobs that record runs: the lakeline commands that are jobs
        List<String> jobs = spec.root().subcommands().values().stream()
            .filter(c -> c.getCommand() instanceof JobCommand).map(c -> c.getCommandName()).sorted().toList();
        if (!jobs.contains(command)) {
          throw Errors.config("Unknown --command '%s': the jobs that record runs are %s.", command, String.join(", ", jobs));
        }
      }
      RunFilter filter = RunFilter.any().withCommand(command).withLogicalDate(date == null ? null : date.toString())
          .withStatus(status == null ? null : RunStatus.parse(status));
      JobRuns runs = JobRuns.open(ctx.spark(), ctx.layout());
      List<JobRun> found = runs.list(filter, limit);
      if (report != null) {
        String scope = (command == null ? "all jobs" : command) + (date == null ? "" : ", date " + date)
            + (status == null ? "" : ", " + status) + ", newest " + limit;
        Path written = ReportPages.write(report, RunsReport.html(found, scope, runs.path()));
        if (!json) {
          out.printf("report: %s%n", written);
        }
      }
      if (json) {
        out.println(json(found));
        return;
      }
      if (found.isEmpty()) {
        out.printf("No job runs%s in %s.%n", command == null && date == null && status == null ? "" : " that match", runs.path());
        return;
      }
      TextTable t = new TextTable("recorded at", "command", "date", "status", ">seconds", "tables written", "run");
      for (JobRun r : found) {
        long written = r.outputs().stream().filter(o -> !o.unchanged()).count();
        t.row(r.recordedAt(), r.command(), r.logicalDate() == null ? "-" : r.logicalDate(),
            r.status().label() + (r.exitCode() == 0 ? "" : " (" + r.exitCode() + ")"), String.format(Locale.ROOT, "%.1f", r.seconds()),
            written + " of " + r.outputs().size(), r.runId());
      }
      t.print(out);
      out.println("'lakeline runs show RUN' for one run: its arguments, environment, tables with their Delta versions, stages and error.");
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One run (every attempt recorded under its run id): "
      + "arguments, environment, the tables with their Delta versions, facts, stages, and the error if it failed.")
  static final class Show extends StoreCommand {
    @Parameters(index = "0", paramLabel = "RUN", description = "The run id (see 'runs list'), or a record id.")
    String id;

    @Option(names = "--json", description = "Print the records as JSON, every field.")
    boolean json;

    @Override
    void run(JobContext ctx, PrintStream out) {
      List<JobRun> found = JobRuns.open(ctx.spark(), ctx.layout()).find(id);
      if (json) {
        out.println(json(found));
        return;
      }
      for (int i = 0; i < found.size(); i++) {
        if (i > 0) {
          out.println();
        }
        print(out, found.get(i));
      }
    }

    private static void print(PrintStream out, JobRun r) {
      out.printf("run %s · %s%s · %s (exit %d) · %.1f s · recorded at %s%n", r.runId(), r.command(),
          r.logicalDate() == null ? "" : " " + r.logicalDate(), r.status().label(), r.exitCode(), r.seconds(), r.recordedAt());
      out.println("record:      " + r.recordId());
      out.println("arguments:   " + (r.arguments().isEmpty() ? "(none)" : String.join(" ", r.arguments())));
      if (r.error() != null) {
        out.println("error:       " + r.error());
      }
      out.println("environment: " + String.join(" · ", r.environment().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
      if (!r.outputs().isEmpty()) {
        out.println();
        TextTable t = new TextTable("table", ">version", ">rows", "", "path");
        for (JobRun.RunOutput o : r.outputs()) {
          t.row(o.name(), o.version(), String.format(Locale.ROOT, "%,d", o.rows()), o.unchanged() ? "unchanged" : "written", o.path());
        }
        t.print(out);
      }
      if (!r.facts().isEmpty()) {
        out.println();
        for (Map.Entry<String, String> f : r.facts().entrySet()) {
          out.printf("%-22s %s%n", f.getKey() + ":", f.getValue());
        }
      }
      if (!r.stages().isEmpty()) {
        out.println();
        TextTable t = new TextTable("stage", ">wall time");
        r.stages().forEach(s -> t.row(s.name(), String.format(Locale.ROOT, "%.1fs", s.seconds())));
        t.print(out);
      }
    }
  }

  private static String json(List<JobRun> runs) {
    try {
      return JSON.writeValueAsString(runs);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the runs as JSON", e);
    }
  }
}
