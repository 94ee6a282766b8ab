package dev.lakeline.jobs.cli;

import dev.lakeline.testkit.TestLakehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Pipeline files and CSV sources written into a test folder, and the command line run against a test lakehouse. */
record PipelineFixture(Path dir, TestLakehouse lakehouse) {
  /** A card-transactions CSV source: header txn_id,card_id,txn_ts,amount and the given lines. */
  Path csv(String name, String... lines) {
    StringBuilder b = new StringBuilder("txn_id,card_id,txn_ts,amount\n");
    for (String l : lines) {
      b.append(l).append('\n');
    }
    return write(name, b.toString());
  }

  /**
   * A pipeline file named {@code name} over {@code source}, with the given extra source fields, steps and group
   * columns (YAML, already indented).
   */
  Path pipeline(String name, Path source, String sourceFields, String steps, String group) {
    return write(name + ".yaml", """
        name: %s
        source:
          path: %s
          format: csv
          schema: {txn_id: string, card_id: string, txn_ts: timestamp, amount: double}
        %s
        steps:
        %s
        feature_groups:
          - name: %s
            primary_key: [txn_id]
            event_time: txn_ts
        %s
        """.formatted(name, source, indent(sourceFields, 2), indent(steps, 2), name, indent(group, 4)));
  }

  Path write(String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code lakeline features --pipeline <file> ...} against the test lakehouse. */
  Cli features(Path pipeline, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "features";
    all[1] = "--pipeline";
    all[2] = pipeline.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return Cli.inLakehouse(lakehouse, all);
  }

  String group(String name) {
    return lakehouse.layout().featureGroup(name, 1);
  }

  private static String indent(String text, int spaces) {
    return text.isBlank() ? "" : text.stripIndent().lines().map(l -> " ".repeat(spaces) + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
