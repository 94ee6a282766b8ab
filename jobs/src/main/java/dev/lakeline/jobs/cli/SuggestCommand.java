package dev.lakeline.jobs.cli;

import dev.lakeline.core.Errors;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.SuiteFiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lakeline suggest --input <path>}: a starting expectation suite from a data sample, with Deequ. */
@Command(
    name = "suggest",
    mixinStandardHelpOptions = true,
    description = "Proposes an expectation suite from a data sample (Deequ's constraint suggestion) and writes it as an editable suite file.")
final class SuggestCommand extends StoreCommand {
  @Option(names = "--input", required = true, paramLabel = "PATH", description = "The sample: Parquet, a Delta table, CSV (with a header) or JSON.")
  String input;

  @Option(names = "--format", defaultValue = "parquet", paramLabel = "FMT", description = "parquet (default), delta, csv or json.")
  String format;

  @Option(names = "--name", defaultValue = "suggested", paramLabel = "NAME", description = "The suite's name (default ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--output", paramLabel = "FILE",
      description = "Where to write the suite (YAML). Default: print it. An existing file (which may hold your edits) is not overwritten unless --force.")
  Path output;

  @Option(names = "--force", description = "Overwrite the --output file if it exists (its edits are lost).")
  boolean force;

  @Override
  boolean readsLakehouse() {
    return false; // reads a sample file, wherever it is
  }

  @Override
  void run(JobContext ctx, PrintStream out) {
    if (force && output == null) {
      throw Errors.config("--force overwrites the --output file, and no --output was given (the suite is printed). Give "
          + "--output FILE with --force, or leave --force out.");
    }
    if (output != null && !force && Files.exists(output)) {
      throw Errors.conflict("%s already exists and may hold your edits; nothing was written. Give --output a new file, "
          + "or add --force to overwrite it.", output);
    }
    ExpectationSuite suite;
    try {
      Dataset<Row> sample = InputFiles.read(ctx.spark(), input, format, null);
      suite = dev.lakeline.validation.Suggestions.suggest(sample, name);
    } catch (Exception e) { // Spark's SparkException is checked in Java's eyes but not declared
      java.util.Optional<dev.lakeline.core.LakelineException> wrongFormat = InputErrors.of(e, input, format);
      if (wrongFormat.isPresent()) {
        throw wrongFormat.get();
      }
      throw e;
    }
    if (output == null) {
      out.print(SuiteFiles.toYaml(suite));
    } else {
      SuiteFiles.write(suite, output);
      out.printf("wrote %d suggested expectations to %s; review them before using the suite%n", suite.expectations().size(), output);
    }
  }
}
