package dev.lakeline.jobs.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} alone, for the commands whose {@code --version N} selects a group's or a view's version: picocli's
 * standard help options also claim {@code --version}, and a command that declares its own loses both of them.
 */
final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;
}
