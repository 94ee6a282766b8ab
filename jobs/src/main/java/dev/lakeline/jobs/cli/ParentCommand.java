package dev.lakeline.jobs.cli;

import dev.lakeline.core.ExitCode;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code lakeline}, {@code fg}, {@code models}, …). Given none, it prints
 * which it needs and its usage to the error output, and exits 2 (a usage error): a scheduled {@code lakeline models}
 * that does nothing must not look like a success. {@code --help} still prints the usage and exits 0.
 */
abstract class ParentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintStream err = LakelineCli.stderr(spec);
    err.printf("error: '%s' needs a subcommand: %s.%n", spec.qualifiedName(" "), String.join(", ", spec.subcommands().keySet()));
    spec.commandLine().usage(err);
    return ExitCode.USAGE_OR_CONFIG.code();
  }
}
