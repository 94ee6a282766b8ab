package dev.lakeline.jobs.cli;

import dev.lakeline.core.Errors;
import dev.lakeline.core.storage.LakeFiles;
import dev.lakeline.jobs.JobContext;
import dev.lakeline.validation.ExpectationSuite;
import dev.lakeline.validation.SuiteFiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
    if (output != null && !force && Files.exists(output)) {
      throw Errors.conflict("%s already exists and may hold your edits; nothing was written. Give --output a new file, "
          + "or add --force to overwrite it.", output);
    }
    if (!LakeFiles.of(ctx.spark()).exists(input)) {
      throw Errors.notFound("The input %s does not exist.", input);
    }
    InputErrors.requireDeltaTableOnlyAsDelta(ctx.spark(), input, format);
    var reader = ctx.spark().read();
    ExpectationSuite suite;
    try {
      Dataset<Row> sample = switch (format.toLowerCase(Locale.ROOT)) {
        case "parquet" -> reader.parquet(input);
        case "delta" -> reader.format("delta").load(input);
        case "csv" -> reader.option("header", "true").option("inferSchema", "true").csv(input);
        case "json" -> reader.json(input);
        default -> throw Errors.config("Unknown --format '%s': use parquet, delta, csv or json.", format);
      };
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
