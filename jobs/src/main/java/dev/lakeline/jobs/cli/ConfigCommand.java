package dev.lakeline.jobs.cli;

import dev.lakeline.core.config.ConfigKey;
import dev.lakeline.core.config.LakelineKeys;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Prints the effective configuration with where each value came from, or (--keys) every key with its type, default and meaning.")
final class ConfigCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--keys", description = "List every configuration key instead.")
  boolean keys;

  @Override
  public Integer call() {
    PrintStream out = LakelineCli.stdout(spec);
    if (keys) {
      int width = Math.max(22, LakelineKeys.ALL.stream().mapToInt(k -> defaultShown(k).length()).max().orElse(0));
      for (ConfigKey<?> k : LakelineKeys.ALL) {
        out.printf("%-" + LakelineKeys.longestName() + "s %-10s default %-" + width + "s %s%n    env %s%n", k.name(),
            k.type().name().toLowerCase(java.util.Locale.ROOT), defaultShown(k), k.doc(), k.environmentVariable());
      }
      return 0;
    }
    out.println("file: " + common.configLocation());
    out.print(common.load(java.util.Map.of()).describe());
    return 0;
  }

  private static String defaultShown(ConfigKey<?> k) {
    return k.required() ? "(required)" : String.valueOf(k.defaultValue());
  }
}
