package dev.lakeline.jobs.reports;

import dev.lakeline.core.Errors;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * What every HTML report shares: one self-contained page (its charts PNGs inside it, drawn with JFreeChart, so the
 * file can be mailed, attached to a ticket or opened from a notebook's output folder), the page's head and style, the
 * charts' look, escaping, and writing the file.
 */
public final class ReportPages {
  /** A reference line's stroke: thin and dashed. */
  static final java.awt.BasicStroke DASHED =
      new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f);

  private ReportPages() {}

  /** The page's start: doctype, title, the shared style and {@code extraCss}; then the body is open. */
  static StringBuilder start(String title, String extraCss) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    return new StringBuilder()
        .append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title>\n<style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}")
        .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{padding:3px 10px;text-align:left;border-bottom:1px solid #ddd}")
        .append("th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}")
        .append(".charts{display:flex;flex-wrap:wrap;gap:12px}img{border:1px solid #eee}")
        .append(extraCss)
        .append("</style></head><body>\n");
  }

  /** The page's end, with a line on what made it. */
  static String end(StringBuilder h, String madeBy) {
    h.append("<p style=\"color:#888;font-size:0.8em\">").append(esc(madeBy)).append("</p>\n");
    return h.append("</body></html>\n").toString();
  }

  /** A row of a key-value table. */
  static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>");
  }

  /** The charts' common look: white background, a light plot, a bold title. */
  static JFreeChart finish(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    chart.getPlot().setBackgroundPaint(new Color(0xfafafa));
    return chart;
  }

  /** The chart as an {@code <img>} holding its PNG. */
  static String img(JFreeChart chart, int width, int height, String alt) {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(png, chart, width, height);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "<img alt=\"" + esc(alt) + "\" width=\"" + width + "\" height=\"" + height + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png.toByteArray()) + "\">";
  }

  /**
   * Checks, before a job runs, that {@link #write} will be able to write {@code file}: it is not a folder, and its
   * nearest existing folder is one that can be written to. A configuration error naming it otherwise, so that a
   * mistyped --report stops the job before it writes its tables, not after.
   */
  public static void checkWritable(Path file) {
    if (file.toString().isBlank()) {
      throw Errors.config("--report needs a file name, and was given an empty one: for example --report report.html.");
    }
    Path target = file.toAbsolutePath();
    if (Files.isDirectory(target)) {
      throw Errors.config("Cannot write the report to %s: it is a folder. Give --report a file name, for example %s.",
          file, target.resolve("report.html"));
    }
    Path existing = nearestExisting(target.getParent());
    boolean writable = existing != null && Files.isDirectory(existing) && Files.isWritable(existing)
        && (!Files.exists(target) || Files.isWritable(target));
    if (!writable) {
      throw Errors.config("Cannot write the report to %s: %s is not a folder you can write to. Give --report a file in "
          + "a folder you can write to.", file, existing == null ? target.getParent() : existing);
    }
  }

  /**
   * {@code path} or its nearest ancestor that exists (what a write there would create its folders under), or null:
   * where a local output is checked before a job writes it.
   */
  public static Path nearestExisting(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing;
  }

  /**
   * Writes the page to {@code file}, making its folder; a file that cannot be written is a configuration error naming
   * it. Returns the file's absolute path. The page is written beside the file first and then moved over it, so a run
   * stopped while writing leaves the previous page whole, never half of the new one.
   */
  public static Path write(Path file, String html) {
    Path temporary = null;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      // a plain new file (not createTempFile's owner-only one), so the page gets the permissions any file would
      temporary = file.toAbsolutePath().resolveSibling("." + file.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
      Files.writeString(temporary, html, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
      try {
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // the error below is the one to report
        }
      }
      throw Errors.config(e, "Cannot write the report to %s: %s. Give --report a file in a folder you can write to.", file, e.getMessage());
    }
    return file.toAbsolutePath();
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
