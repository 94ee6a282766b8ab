package dev.lakeline.jobs.reports;

import static dev.lakeline.jobs.reports.ReportPages.esc;

import dev.lakeline.core.storage.StorageLayout;
import dev.lakeline.jobs.lineage.Lineage;
import dev.lakeline.jobs.lineage.Lineage.Commit;
import dev.lakeline.jobs.lineage.Lineage.DatasetNode;
import dev.lakeline.jobs.lineage.Lineage.GroupRead;
import dev.lakeline.jobs.lineage.Lineage.ModelNode;
import dev.lakeline.jobs.lineage.Lineage.PredictionBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code lakeline lineage … --report FILE}: the lineage as a graph (feature groups → training datasets → model versions
 * → predictions, left to right, drawn as inline SVG) above the same facts as tables.
 */
public final class LineageReport {
  private LineageReport() {}

  /** At most this many prediction dates are drawn; the table lists them all. */
  static final int MAX_DRAWN_DATES = 24;

  private static final int WIDTH = 250;
  private static final int HEIGHT = 46;
  private static final int GAP = 14;
  private static final int COLUMN_GAP = 80;
  private static final String[] COLUMNS = {"feature groups", "training datasets", "model versions", "predictions"};

  /** A box of the graph: its column, two lines of text, and whether it is the subject (drawn stronger). */
  record Node(String id, int column, String title, String detail, boolean subject) {}

  /** A link; {@code skips} for one drawn past the columns between (inference's read of a group), along a lane below. */
  record Edge(String from, String to, boolean skips) {
    Edge(String from, String to) {
      this(from, to, false);
    }
  }

  public static String html(Lineage.ModelLineage l, String root) {
    ModelNode m = l.model();
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    String dataset = l.dataset() == null ? "dataset" : "dataset:" + l.dataset().label();
    for (GroupRead r : l.reads()) {
      List<Commit> commits = l.commits().getOrDefault(r.group(), List.of());
      String detail = r.role() + (commits.isEmpty() ? "" : " · last batch " + (commits.get(0).batchId() == null ? "-" : commits.get(0).batchId()));
      nodes.add(new Node("group:" + r.group(), 0, r.label(), detail, false));
      edges.add(new Edge("group:" + r.group(), dataset));
    }
    nodes.add(l.dataset() == null
        ? new Node(dataset, 1, StorageLayout.trainingDatasetLabel(m.trainingDataset()), "no longer in this lakehouse", false)
        : new Node(dataset, 1, l.dataset().label(), String.format(Locale.ROOT, "%,d rows", l.dataset().rows()), false));
    nodes.add(new Node("model", 2, m.label() + aliases(m), auc(m), true));
    edges.add(new Edge(dataset, "model"));
    List<PredictionBatch> drawn = l.predictions().subList(0, Math.min(MAX_DRAWN_DATES, l.predictions().size()));
    for (PredictionBatch p : drawn) {
      nodes.add(new Node("pred:" + p.label(), 3, p.label(), String.format(Locale.ROOT, "%,d rows", p.rows()), false));
      edges.add(new Edge("model", "pred:" + p.label()));
    }
    StringBuilder h = ReportPages.start("Lineage of " + m.label(), CSS);
    h.append("<h1>Lineage of model ").append(esc(m.label())).append("</h1>\n<p>Lakehouse ").append(esc(root))
        .append(". Left to right: the feature-group versions its training data was read from, its training dataset, the version, ")
        .append("and the dates it scored.</p>\n");
    h.append(svg(nodes, edges, l.predictions().size() - drawn.size()));
    h.append("<h2>Feature groups read</h2>\n<table><tr><th>group</th><th>read as</th><th>commits up to the version read, newest first</th></tr>");
    for (GroupRead r : l.reads()) {
      List<Commit> commits = l.commits().getOrDefault(r.group(), List.of());
      int earlier = l.earlierCommits().getOrDefault(r.group(), 0);
      h.append("<tr><td>").append(esc(r.label())).append("</td><td>").append(esc(r.role())).append("</td><td>");
      for (Commit c : commits) {
        h.append(esc(c.summary())).append("<br>");
      }
      if (earlier > 0) {
        h.append(esc("… " + earlier + " earlier")).append("<br>");
      }
      h.append("</td></tr>");
    }
    h.append("</table>\n");
    predictions(h, "Predictions scored by " + m.label(), l.predictions(), false);
    return ReportPages.end(h, "lakeline lineage model " + m.name() + " " + m.version());
  }

  public static String html(Lineage.Impact i, String root) {
    List<Node> nodes = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    String subject = "group";
    String from = i.fromVersion() == null ? "every Delta version" : "Delta " + i.fromVersion() + " and later";
    nodes.add(new Node(subject, 0, i.group(), from + (i.commit() != null && i.commit().batchId() != null ? " · " + i.commit().batchId() : ""), true));
    for (Lineage.AffectedDataset a : i.datasets()) {
      DatasetNode d = a.dataset();
      nodes.add(new Node("dataset:" + d.label(), 1, d.label(), a.readAs() + held(a), false));
      edges.add(new Edge(subject, "dataset:" + d.label()));
    }
    for (ModelNode m : i.models()) {
      nodes.add(new Node("model:" + m.label(), 2, m.label() + aliases(m), auc(m), false));
      i.datasets().stream().map(Lineage.AffectedDataset::dataset)
          .filter(d -> StorageLayout.sameTrainingDataset(d.path(), m.trainingDataset()))
          .forEach(d -> edges.add(new Edge("dataset:" + d.label(), "model:" + m.label())));
    }
    List<PredictionBatch> drawn = i.predictions().subList(0, Math.min(MAX_DRAWN_DATES, i.predictions().size()));
    for (PredictionBatch p : drawn) {
      String id = "pred:" + p.label() + " v" + p.modelVersion();
      nodes.add(new Node(id, 3, p.label(), String.format(Locale.ROOT, "v%d · %,d rows", p.modelVersion(), p.rows()), false));
      String model = "model:" + p.model() + " v" + p.modelVersion();
      if (i.models().stream().anyMatch(m -> ("model:" + m.label()).equals(model))) {
        edges.add(new Edge(model, id));
      }
      if (p.reasons().stream().anyMatch(r -> r.startsWith("read "))) {
        edges.add(new Edge(subject, id, true));
      }
    }
    StringBuilder h = ReportPages.start("What " + i.group() + " fed", CSS);
    h.append("<h1>What feature group ").append(esc(i.group())).append(" fed</h1>\n<p>Lakehouse ").append(esc(root))
        .append(". Everything that read it at ").append(esc(from)).append(" (now ").append(i.latestVersion()).append(")");
    if (i.commit() != null) {
      h.append("; the commit: ").append(esc(i.commit().summary()));
    }
    h.append(".</p>\n");
    h.append(svg(nodes, edges, i.predictions().size() - drawn.size()));
    h.append("<h2>Training datasets</h2>\n<table><tr><th>dataset</th><th>read as</th><th>rows of the commit</th><th>rows</th><th>path</th></tr>");
    for (Lineage.AffectedDataset a : i.datasets()) {
      DatasetNode d = a.dataset();
      h.append("<tr><td>").append(esc(d.label())).append("</td><td>").append(esc(a.readAs()))
          .append("</td><td class=\"n\">").append(a.rowsOfCommit() == null ? "-" : String.format(Locale.ROOT, "%,d", a.rowsOfCommit()))
          .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,d", d.rows())).append("</td><td>")
          .append(esc(d.path())).append("</td></tr>");
    }
    h.append("</table>\n");
    if (!i.withoutItsRows().isEmpty()) {
      h.append("<p>Not affected: ").append(esc(String.join(", ", i.withoutItsRows().stream()
          .map(a -> a.dataset().label() + " (@ Delta " + a.readVersion() + ")").toList())))
          .append(" read a later version in which no row of the commit remained.</p>\n");
    }
    h.append("<h2>Model versions</h2>\n<table><tr><th>version</th><th>aliases now</th><th>trained for</th><th>test AUC</th><th>run</th></tr>");
    for (ModelNode m : i.models()) {
      h.append("<tr><td>").append(esc(m.label())).append("</td><td>").append(esc(String.join(", ", m.aliases())))
          .append("</td><td>").append(esc(m.logicalDate())).append("</td><td class=\"n\">").append(esc(auc(m)))
          .append("</td><td>").append(esc(m.runId())).append("</td></tr>");
    }
    h.append("</table>\n");
    predictions(h, "Predictions", i.predictions(), true);
    if (!i.unrecorded().isEmpty()) {
      h.append("<p>Not known (their commits do not record the group versions inference read): ")
          .append(esc(String.join(", ", i.unrecorded().stream().map(PredictionBatch::label).toList()))).append(".</p>\n");
    }
    return ReportPages.end(h, "lakeline lineage group " + i.group());
  }

  private static void predictions(StringBuilder h, String title, List<PredictionBatch> batches, boolean reasons) {
    h.append("<h2>").append(esc(title)).append("</h2>\n");
    if (batches.isEmpty()) {
      h.append("<p>None.</p>\n");
      return;
    }
    h.append("<table><tr><th>date</th><th>model</th><th>rows</th><th>Delta version</th><th>")
        .append(reasons ? "why" : "feature groups read").append("</th><th>run</th></tr>");
    for (PredictionBatch p : batches) {
      String what = reasons ? String.join("; ", p.reasons()) : p.groupsRead();
      h.append("<tr><td>").append(esc(p.date())).append("</td><td>").append(esc(p.model() + " v" + p.modelVersion()))
          .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,d", p.rows())).append("</td><td class=\"n\">")
          .append(p.deltaVersion() < 0 ? "-" : Long.toString(p.deltaVersion())).append("</td><td>").append(esc(what))
          .append("</td><td>").append(esc(p.runId())).append("</td></tr>");
    }
    h.append("</table>\n");
  }

  /** The graph: one column per kind, boxes stacked in each, curves from a box's right edge to the next's left edge. */
  static String svg(List<Node> nodes, List<Edge> edges, int undrawnDates) {
    int[] count = new int[COLUMNS.length];
    nodes.forEach(n -> count[n.column()]++);
    int rows = 1;
    for (int c : count) {
      rows = Math.max(rows, c);
    }
    // each column's boxes stacked, and centred against the tallest column
    Map<String, int[]> at = new LinkedHashMap<>();
    int[] filled = new int[COLUMNS.length];
    int top = 30;
    for (Node n : nodes) {
      int x = 10 + n.column() * (WIDTH + COLUMN_GAP);
      int y = top + (rows - count[n.column()]) * (HEIGHT + GAP) / 2 + filled[n.column()]++ * (HEIGHT + GAP);
      at.put(n.id(), new int[] {x, y});
    }
    boolean lane = edges.stream().anyMatch(Edge::skips);
    int laneY = top + rows * (HEIGHT + GAP) + 6;
    int width = 20 + COLUMNS.length * WIDTH + (COLUMNS.length - 1) * COLUMN_GAP;
    int height = laneY + (lane ? 26 : 0) + (undrawnDates > 0 ? 24 : 0);
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg class=\"lineage\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"lineage graph\">%n", width, height, width, height));
    for (int c = 0; c < COLUMNS.length; c++) {
      s.append(String.format(Locale.ROOT, "<text class=\"col\" x=\"%d\" y=\"18\">%s</text>%n", 10 + c * (WIDTH + COLUMN_GAP), COLUMNS[c]));
    }
    for (Edge e : edges) {
      int[] a = at.get(e.from());
      int[] b = at.get(e.to());
      if (a == null || b == null) {
        continue;
      }
      int x1 = a[0] + WIDTH;
      int y1 = a[1] + HEIGHT / 2;
      int x2 = b[0];
      int y2 = b[1] + HEIGHT / 2;
      if (e.skips()) { // out of the source's right edge, down to the lane under every box, along it, up into the target
        int y = laneY + 10;
        s.append(String.format(Locale.ROOT, "<path class=\"edge read\" d=\"M%d,%d C%d,%d %d,%d %d,%d L%d,%d C%d,%d %d,%d %d,%d\"/>%n",
            x1, y1, x1 + 40, y1, x1 + 40, y, x1 + 70, y, x2 - 70, y, x2 - 40, y, x2 - 40, y2, x2, y2));
        continue;
      }
      int mid = (x1 + x2) / 2;
      s.append(String.format(Locale.ROOT, "<path class=\"edge\" d=\"M%d,%d C%d,%d %d,%d %d,%d\"/>%n", x1, y1, mid, y1, mid, y2, x2, y2));
    }
    if (lane) {
      s.append(String.format(Locale.ROOT, "<text class=\"d\" x=\"%d\" y=\"%d\">dashed: read by inference for that date</text>%n",
          10 + WIDTH + COLUMN_GAP, laneY + 24));
    }
    for (Node n : nodes) {
      int[] p = at.get(n.id());
      s.append(String.format(Locale.ROOT, "<g class=\"node%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>",
          n.subject() ? " subject" : "", p[0], p[1], WIDTH, HEIGHT));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"t\">%s</text>", p[0] + 8, p[1] + 18, esc(clip(n.title(), 34))));
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"d\">%s</text>", p[0] + 8, p[1] + 36, esc(clip(n.detail(), 40))));
      s.append("<title>").append(esc(n.title() + " · " + n.detail())).append("</title></g>\n");
    }
    if (undrawnDates > 0) {
      s.append(String.format(Locale.ROOT, "<text class=\"d\" x=\"%d\" y=\"%d\">… %d more dates (the table lists every one)</text>%n",
          10 + 3 * (WIDTH + COLUMN_GAP), height - 6, undrawnDates));
    }
    return s.append("</svg>\n").toString();
  }

  private static String held(Lineage.AffectedDataset a) {
    return a.rowsOfCommit() == null ? "" : String.format(Locale.ROOT, " · %,d rows of it", a.rowsOfCommit());
  }

  private static String clip(String s, int max) {
    String t = s == null ? "" : s;
    return t.length() <= max ? t : t.substring(0, max - 1) + "…";
  }

  private static String aliases(ModelNode m) {
    return m.aliases().isEmpty() ? "" : " " + String.join(" ", m.aliases());
  }

  private static String auc(ModelNode m) {
    return m.auc() == null ? "test AUC not recorded" : String.format(Locale.ROOT, "test AUC %.3f", m.auc());
  }

  private static final String CSS =
      "svg.lineage{display:block;margin:1em 0 2em;font-family:system-ui,sans-serif}"
          + "svg.lineage .col{font-size:12px;fill:#666;text-transform:uppercase;letter-spacing:0.05em}"
          + "svg.lineage rect{fill:#f5f8ff;stroke:#7a9cc6;stroke-width:1}"
          + "svg.lineage .subject rect{fill:#fff4e0;stroke:#d08a1e;stroke-width:2}"
          + "svg.lineage .t{font-size:13px;font-weight:600;fill:#222}svg.lineage .d{font-size:11px;fill:#555}"
          + "svg.lineage .edge{fill:none;stroke:#9aa;stroke-width:1.5}svg.lineage .edge.read{stroke:#c77;stroke-dasharray:5 4}";
}
