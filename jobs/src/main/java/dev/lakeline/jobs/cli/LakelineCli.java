package dev.lakeline.jobs.cli;

import dev.lakeline.core.ExitCode;
import dev.lakeline.core.LakelineException;
import dev.lakeline.core.UnreadableFiles;
import dev.lakeline.core.Versions;
import dev.lakeline.core.spark.SparkSessions;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one entry point: {@code lakeline <command> [options]}. User errors print one message and exit with their
 * code (see {@link ExitCode}); a command without the subcommand it needs prints its usage and exits 2; internal errors print the stack trace and exit 1. On Databricks the process is
 * never exited: a failure is thrown, as JAR jobs expect.
 */
@Command(
    name = "lakeline",
    mixinStandardHelpOptions = true,
    versionProvider = LakelineCli.VersionProvider.class,
    description = "Feature, training and batch-inference pipelines on Spark, Delta Lake and Deequ.",
    subcommands = {
      DemoCommand.class,
      GenerateCommand.class,
      FeaturesCommand.class,
      TrainCommand.class,
      InferCommand.class,
      MonitorCommand.class,
      MaintainCommand.class,
      FeatureGroupCommand.class,
      FeatureViewCommand.class,
      TrainingDatasetCommand.class,
      ModelsCommand.class,
      ValidationCommand.class,
      RunsCommand.class,
      LineageCommand.class,
      SuggestCommand.class,
      ConfigCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Exit codes: 0 ok · 1 internal failure · 2 usage or configuration error · 3 data rejected · 4 not found · 5 conflict",
      "Start here: lakeline demo   ·   lakeline <command> --help"
    })
public final class LakelineCli extends ParentCommand {
  public static void main(String[] args) {
    int code = execute(args, System.out, System.err);
    if (SparkSessions.onDatabricks()) {
      if (code != 0) {
        throw new IllegalStateException("Lakeline failed with exit code " + code + "; the reason is printed above.");
      }
      return;
    }
    System.exit(code);
  }

  /** Runs the command line and returns the exit code (never exits). */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new LakelineCli());
    shareVersion(cli, cli.getCommandSpec().versionProvider());
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setExitCodeExceptionMapper(t -> ExitCode.USAGE_OR_CONFIG.code());
    cli.setParameterExceptionHandler(
        (ex, argv) -> {
          PrintWriter w = ex.getCommandLine().getErr();
          w.println("error: " + ex.getMessage());
          w.println("See '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return ExitCode.USAGE_OR_CONFIG.code();
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          LakelineException user = userError(ex);
          PrintWriter w = commandLine.getErr();
          if (ex instanceof Interruption.Stopped) { // told and recorded
            return Interruption.exitCode();
          }
          if (Interruption.shuttingDown()) { // a Ctrl-C or kill stopped the run: Spark's errors say only that
            w.println("error: " + Interruption.MESSAGE);
            return Interruption.exitCode();
          }
          if (user != null) {
            w.println("error: " + user.getMessage());
            return user.exitCode().code();
          }
          w.println("internal error (a bug or an infrastructure failure; please report it with this trace):");
          ex.printStackTrace(w);
          return ExitCode.INTERNAL_FAILURE.code();
        });
    return cli.execute(args);
  }

  /** Every subcommand's {@code -V/--version} prints the root's version lines (picocli leaves them empty). */
  private static void shareVersion(CommandLine command, CommandLine.IVersionProvider provider) {
    for (CommandLine sub : command.getSubcommands().values()) {
      if (sub.getCommandSpec().versionProvider() == null) {
        sub.getCommandSpec().versionProvider(provider);
      }
      shareVersion(sub, provider);
    }
  }

  /**
   * The user-facing error in a cause chain (Spark may wrap it), or an input file Spark could not read (told as
   * rejected data naming the file), or null.
   */
  static LakelineException userError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LakelineException le) {
        return le;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return UnreadableFiles.rejection(t);
  }

  /** A PrintStream over the command line's configured output. */
  static PrintStream stdout(CommandSpec spec) {
    return over(spec.commandLine().getOut());
  }

  /** A PrintStream over the command line's configured error output. */
  static PrintStream stderr(CommandSpec spec) {
    return over(spec.commandLine().getErr());
  }

  private static PrintStream over(PrintWriter w) {
    return new PrintStream(
        new OutputStream() {
          @Override
          public void write(int b) {
            w.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            w.write(new String(b, off, len, StandardCharsets.UTF_8));
          }

          @Override
          public void flush() {
            w.flush();
          }
        },
        true,
        StandardCharsets.UTF_8);
  }

  /** The --version text. */
  public static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Lakeline " + Versions.lakeline() + " (" + Versions.builtAgainst() + ")"};
    }
  }
}
