package dev.lakeline.jobs.cli;

import dev.lakeline.core.Versions;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Prints the versions of Lakeline, Spark, Delta Lake, Deequ, Scala and Java on this classpath.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintStream out = LakelineCli.stdout(spec);
    Versions.all().forEach((k, v) -> out.printf("%-11s %s%n", k, v));
    out.printf("%-11s %s%n", "built for", Versions.builtAgainst());
    return 0;
  }
}
