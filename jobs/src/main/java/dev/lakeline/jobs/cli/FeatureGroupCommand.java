package dev.lakeline.jobs.cli;

import dev.lakeline.core.Errors;
import dev.lakeline.core.delta.WriteMode;
import dev.lakeline.featurestore.CommitInfo;
import dev.lakeline.featurestore.FeatureGroup;
import dev.lakeline.featurestore.FeatureGroupFiles;
import dev.lakeline.featurestore.InsertOptions;
import dev.lakeline.featurestore.InsertResult;
import dev.lakeline.featurestore.NewFeature;
import dev.lakeline.jobs.JobContext;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lakeline fg …}: feature groups from the command line. */
@Command(
    name = "fg",
    mixinStandardHelpOptions = true,
    description = "Feature groups: create one from a definition file, add features to it, insert a batch through its gate, show it, its history, or its rows.",
    subcommands = {
      FeatureGroupCommand.Listing.class,
      FeatureGroupCommand.Create.class,
      FeatureGroupCommand.AddFeatures.class,
      FeatureGroupCommand.Insert.class,
      FeatureGroupCommand.Show.class,
      FeatureGroupCommand.History.class,
      FeatureGroupCommand.Read.class
    })
final class FeatureGroupCommand extends ParentCommand {
  /** The group named on the command line. */
  abstract static class OnGroup extends StoreCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The feature group's name.")
    String name;

    @picocli.CommandLine.Mixin HelpOption help;

    @Option(names = "--version", paramLabel = "N", defaultValue = "1", description = "The group's version (default ${DEFAULT-VALUE}).")
    int version;

    FeatureGroup group(JobContext ctx) {
      return ctx.featureStore().getFeatureGroup(name, version);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a feature group from a YAML definition (or confirms it exists with that definition).")
  static final class Create extends StoreCommand {
    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The definition: name, version, primary_key, event_time, partition_columns, description, suite, schema.")
    Path file;

    @Override
    boolean readsLakehouse() {
      return false; // the first group makes the lakehouse
    }

    @Override
    void run(JobContext ctx, PrintStream out) {
      FeatureGroupFiles.Definition d = FeatureGroupFiles.load(file);
      boolean existed = dev.lakeline.core.delta.DeltaCommits.exists(
          ctx.spark(), ctx.featureStore().layout().featureGroup(d.spec().name(), d.spec().version()));
      FeatureGroup g = ctx.featureStore().createFeatureGroup(d.spec(), d.schema());
      out.printf(existed ? "feature group %s exists at %s with this definition, unchanged (Delta v%d)%n"
          : "created feature group %s at %s (Delta v%d)%n", g.spec().label(), g.path(), g.deltaVersion());
    }
  }

  @Command(
      name = "add-features",
      description = {
        "Adds features to an existing version of a group: nullable columns whose existing rows, and later batches "
            + "without them, get their default. Rerunning it with the same features changes nothing.",
        "A type change or a removed column is a breaking change: create the next version instead.",
        "Example: lakeline fg add-features loans --version 1 --feature risk:double=0 --feature \"segment:string='none'\""
      })
  static final class AddFeatures extends OnGroup {
    @Option(
        names = "--feature",
        required = true,
        paramLabel = "NAME:TYPE[=DEFAULT]",
        description = "A feature to add (repeatable): its column, its Spark SQL type (double, bigint, string, date, "
            + "decimal(10,2), ...) and optionally a SQL literal for the existing rows (0, 'unknown'; default NULL).")
    java.util.List<String> features;

    @Override
    void run(JobContext ctx, PrintStream out) {
      java.util.List<NewFeature> requested = features.stream().map(AddFeatures::parse).toList();
      FeatureGroup g = group(ctx);
      java.util.List<String> had = java.util.Arrays.asList(g.schema().fieldNames());
      FeatureGroup evolved = g.addFeatures(requested);
      java.util.List<NewFeature> added = requested.stream().filter(f -> !had.contains(f.name())).toList();
      if (added.isEmpty()) {
        out.printf("%s unchanged: it has %s already (Delta v%d)%n", g.spec().label(),
            String.join(", ", requested.stream().map(NewFeature::name).toList()), evolved.deltaVersion());
        return;
      }
      for (NewFeature f : added) {
        out.printf("added %s %s (existing rows: %s)%n", f.name(), evolved.schema().apply(f.name()).dataType().simpleString(), f.defaultSql());
      }
      out.printf("feature group %s: %d columns, Delta v%d%n", g.spec().label(), evolved.schema().size(), evolved.deltaVersion());
    }

    /** {@code NAME:TYPE[=DEFAULT]} as a new feature; the type and the default are checked when they are added. */
    static NewFeature parse(String option) {
      int colon = option.indexOf(':');
      int equals = colon < 0 ? -1 : option.indexOf('=', colon);
      String type = colon < 0 ? "" : (equals < 0 ? option.substring(colon + 1) : option.substring(colon + 1, equals)).strip();
      if (colon <= 0 || option.substring(0, colon).isBlank() || type.isEmpty()) {
        throw Errors.config(
            "--feature '%s' is not NAME:TYPE[=DEFAULT]: give the column, its Spark SQL type and optionally a default, "
                + "e.g. --feature risk:double=0.", option);
      }
      return new NewFeature(option.substring(0, colon).strip(), type, equals < 0 ? null : option.substring(equals + 1).strip());
    }
  }

  @Command(name = "insert", description = "Inserts a batch from files through the group's gate (schema, key, suite), committed exactly once.")
  static final class Insert extends OnGroup {
    @Option(names = "--input", required = true, paramLabel = "PATH", description = "Files or a Delta table to read.")
    String input;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "FMT", description = "parquet (default), csv (with a header), json or delta. Text formats: columns by the header's or the fields' names, with the group's types.")
    String format;

    @Option(names = "--mode", defaultValue = "append", paramLabel = "MODE", description = "append (default), upsert (merge on primary key + event time) or overwrite.")
    String mode;

    @Option(names = "--batch-id", paramLabel = "ID", description = "Identifies the batch; a replay with the same id is a no-op. Default: insert:<group>:<date>.")
    String batchId;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = DateOption.class, description = "Logical date of the batch, used for the default batch id.")
    java.time.LocalDate date;

    @Override
    void checkArguments() {
      if (batchId == null && date == null) {
        throw Errors.config("Give --batch-id or --date, so that a replay of this batch is recognised and never duplicated.");
      }
      writeMode();
    }

    private WriteMode writeMode() {
      return switch (mode.toLowerCase(Locale.ROOT)) {
        case "append" -> WriteMode.APPEND;
        case "upsert" -> WriteMode.MERGE;
        case "overwrite" -> WriteMode.OVERWRITE;
        default -> throw Errors.config("Unknown --mode '%s': use append, upsert or overwrite.", mode);
      };
    }

    @Override
    void run(JobContext ctx, PrintStream out) {
      FeatureGroup g = group(ctx);
      String id = batchId != null ? batchId : "insert:" + name + ":" + date;
      WriteMode writeMode = writeMode();
      InsertResult r;
      try {
        Dataset<Row> batch = InputFiles.read(ctx.spark(), input, format, g.schema());
        r = g.insert(batch, new InsertOptions(id, null, writeMode, null, date == null ? null : date.toString()));
      } catch (Exception e) { // Spark's SparkException is checked in Java's eyes but not declared
        Optional<? extends RuntimeException> rejected = InputErrors.of(e, input, format);
        if (rejected.isEmpty()) {
          rejected = unreadable(ctx, e, g);
        }
        if (rejected.isPresent()) {
          throw rejected.get();
        }
        throw e;
      }
      out.printf("%s %s: %,d rows, Delta v%d (batch %s, %s, report %s)%n", g.spec().label(),
          r.skipped() ? "unchanged, batch already committed" : "committed", r.rows(), r.deltaVersion(), id, r.decision(), r.reportId());
      if (r.quarantinedRows() > 0) {
        out.printf("%,d row%s held back in quarantine: %s%n", r.quarantinedRows(), r.quarantinedRows() == 1 ? "" : "s", g.quarantinePath());
      }
      if (!r.validation().success()) {
        out.print("failed expectations:\n" + r.validation().failureSummary());
      }
    }

    /**
     * A read of the input that failed on its content (a value that does not parse as its column's type, a
     * malformed line, a CSV file whose header differs from the first one's), as rejected data naming the input and,
     * for a value, its column, the value and the type expected.
     */
    private Optional<RuntimeException> unreadable(JobContext ctx, Exception e, FeatureGroup g) {
      boolean bad = false;
      String why = null;
      for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
        bad |= c instanceof SparkThrowable st && st.getErrorClass() != null
                && (st.getErrorClass().startsWith("MALFORMED_RECORD") || st.getErrorClass().equals("CAST_INVALID_INPUT"))
            || c.getClass().getSimpleName().equals("BadRecordException")
            || c.getMessage() != null && c.getMessage().contains("CSV header does not conform to the schema");
        if (bad && c.getMessage() != null && !c.getMessage().isBlank()) {
          why = c.getMessage();
        }
      }
      if (!bad || e instanceof dev.lakeline.core.LakelineException) {
        return Optional.empty();
      }
      Optional<BadValue> value = BadValue.find(ctx.spark(), input, format, g.schema());
      if (value.isPresent()) {
        return Optional.of(Errors.rejected(
            "The input %s cannot be read as %s with the columns of feature group %s: column '%s' has the value '%s', "
                + "which is not a %s. Nothing was written. Fix the value in the file and rerun.",
            input, format, g.spec().label(), value.get().column(), value.get().value(), value.get().expected()));
      }
      return Optional.of(Errors.rejected(
          "The input %s cannot be read as %s with the columns of feature group %s: %s. Nothing was written. "
              + "Fix the file (each value must parse as its column's type) and rerun.",
          input, format, g.spec().label(), why == null ? "a malformed record" : BadValue.withoutSparkAdvice(why)));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the lakehouse's feature groups: name, version, key, event time, Delta version.")
  static final class Listing extends StoreCommand {
    @Override
    void run(JobContext ctx, PrintStream out) {
      java.util.List<FeatureGroup> groups = ctx.featureStore().listFeatureGroups();
      if (groups.isEmpty()) {
        out.printf("no feature groups under %s yet: 'lakeline fg create --file F' or 'lakeline features --date D' makes them%n",
            ctx.featureStore().layout().root());
        return;
      }
      TextTable table = new TextTable("feature group", "primary key", "event time", ">Delta version");
      for (FeatureGroup g : groups) {
        var s = g.spec();
        table.row(s.label(), String.join(", ", s.primaryKey()), s.eventTime() == null ? "(static)" : s.eventTime(), g.deltaVersion());
      }
      table.print(out);
    }
  }

  @Command(name = "show", description = "Prints a feature group's definition, schema, Delta version and row count.")
  static final class Show extends OnGroup {
    @Override
    void run(JobContext ctx, PrintStream out) {
      FeatureGroup g = group(ctx);
      var s = g.spec();
      out.printf("feature group  %s%n", s.label());
      out.printf("location       %s%n", g.path());
      out.printf("description    %s%n", s.description());
      out.printf("primary key    %s%n", s.primaryKey());
      out.printf("event time     %s%n", s.eventTime() == null ? "(none: joined on key alone)" : s.eventTime());
      out.printf("partitions     %s%n", s.partitionColumns());
      out.printf("suite          %s (%d expectations)%n", s.suite().name(), s.suite().expectations().size());
      out.printf("Delta version  %d%n", g.deltaVersion());
      out.printf("ties           %s%n", g.tracksRowCommits()
          ? "a view takes the later commit's row of two with the same key and event time (row tracking)"
          : "by value, not by commit: row tracking is off ('lakeline maintain' turns it on)");
      out.printf("rows           %,d%n", g.read().count());
      out.println("schema");
      for (var f : g.schema().fields()) {
        out.printf("  %-28s %s%n", f.name(), f.dataType().simpleString());
      }
    }
  }

  @Command(name = "history", description = "Prints the group's activity: every commit with its operation, rows and Lakeline ids.")
  static final class History extends OnGroup {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many commits, newest first (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void run(JobContext ctx, PrintStream out) {
      requireLimit(limit, "commits");
      FeatureGroup g = group(ctx); // not found before the header is printed
      out.printf("%7s  %-23s  %-14s %9s %9s %9s  %s%n", "version", "committed (UTC)", "operation", "added", "updated", "deleted", "batch / run");
      for (CommitInfo c : g.history(limit)) {
        String when = c.committedUtc();
        if (ROWS_UNCHANGED.contains(c.operation())) { // Delta records 0 rows for them, or none, which reads as "nothing"
          out.printf(Locale.ROOT, "%7d  %-23s  %-14s %9s %9s %9s  %s%n", c.version(), when, c.operation(), "-", "-", "-",
              "(rows unchanged" + (REWRITES_FILES.contains(c.operation()) ? ", files rewritten)" : ")"));
          continue;
        }
        out.printf(Locale.ROOT, "%7d  %-23s  %-14s %,9d %,9d %,9d  %s%s%n", c.version(), when, c.operation(),
            c.rowsAdded(), c.rowsUpdated(), c.rowsDeleted(), c.batchId() == null ? "" : c.batchId(), c.runId() == null ? "" : " / " + c.runId());
      }
    }

    /** Delta operations that change the table's files or metadata, never its rows (maintenance, schema, properties). */
    private static final java.util.Set<String> ROWS_UNCHANGED = java.util.Set.of("CREATE TABLE", "OPTIMIZE", "VACUUM START",
        "VACUUM END", "SET TBLPROPERTIES", "UNSET TBLPROPERTIES", "ADD COLUMNS", "CHANGE COLUMN", "UPGRADE PROTOCOL",
        "ADD CONSTRAINT", "DROP CONSTRAINT");
    private static final java.util.Set<String> REWRITES_FILES = java.util.Set.of("OPTIMIZE", "ADD COLUMNS");
  }

  @Command(name = "read", description = "Prints rows of the group, latest or as of a Delta version or a time.")
  static final class Read extends OnGroup {
    @Option(names = "--as-of-version", paramLabel = "N", description = "Read this Delta version.")
    Long asOfVersion;

    @Option(names = "--as-of", paramLabel = "TIME", description = "Read the group as it was at this UTC time ('YYYY-MM-DD [HH:MM:SS[.mmm]]', as fg history prints it).")
    String asOf;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Rows to print (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    void run(JobContext ctx, PrintStream out) {
      requireLimit(limit, "rows");
      FeatureGroup g = group(ctx);
      Dataset<Row> rows = asOfVersion != null ? g.readVersion(asOfVersion) : asOf != null ? g.readAsOf(asOf) : g.read();
      out.println(rows.showString(limit, 40, false).stripTrailing());
    }
  }
}
