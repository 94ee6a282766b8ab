package dev.lakeline.jobs.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table whose columns are as wide as their widest cell; numbers are right-aligned by the caller's choice. */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final boolean[] right;

  /** {@code header}: the column names; a name starting with '>' is right-aligned (the '>' is not printed). */
  TextTable(String... header) {
    right = new boolean[header.length];
    String[] names = new String[header.length];
    for (int i = 0; i < header.length; i++) {
      right[i] = header[i].startsWith(">");
      names[i] = right[i] ? header[i].substring(1) : header[i];
    }
    rows.add(names);
  }

  TextTable row(Object... cells) {
    String[] r = new String[right.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
    }
    rows.add(r);
    return this;
  }

  void print(PrintStream out) {
    print(out, "");
  }

  /** Prints every line after {@code indent}. */
  void print(PrintStream out, String indent) {
    int[] width = new int[right.length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < r.length; i++) {
        String pad = " ".repeat(width[i] - r[i].length());
        line.append(i == 0 ? "" : "   ").append(right[i] ? pad + r[i] : i == r.length - 1 ? r[i] : r[i] + pad);
      }
      out.println(line);
    }
  }
}
