package dev.lakeline.jobs.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lakeline.jobs.reports.LineageReport.Edge;
import dev.lakeline.jobs.reports.LineageReport.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The lineage graph's drawing: boxes in their columns, centred, links between them, inference's reads below them. */
class LineageReportTest {
  private static final Pattern RECT = Pattern.compile("<rect x=\"(\\d+)\" y=\"(\\d+)\" width=\"(\\d+)\" height=\"(\\d+)\"");

  @Test
  void boxesStackInTheirColumnsCentredAndAReadPastTheColumnsRunsBelowThem() {
    List<Node> nodes = List.of(
        new Node("g1", 0, "loans v1 @ Delta 1", "spine", false),
        new Node("g2", 0, "credit_reports v1 @ Delta 1", "joined", false),
        new Node("g3", 0, "card_spend v1 @ Delta 1", "joined", false),
        new Node("td", 1, "loan_default v1 td1", "8,678 rows", false),
        new Node("m", 2, "loan_default v1 @champion", "test AUC 0.769", true),
        new Node("p", 3, "loan_default 2024-06-30", "712 rows <scored>", false));
    List<Edge> edges = List.of(new Edge("g1", "td"), new Edge("g2", "td"), new Edge("g3", "td"), new Edge("td", "m"),
        new Edge("m", "p"), new Edge("g2", "p", true), new Edge("g1", "nowhere"));

    String svg = LineageReport.svg(nodes, edges, 5);

    List<int[]> boxes = new ArrayList<>();
    Matcher m = RECT.matcher(svg);
    while (m.find()) {
      boxes.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))});
    }
    assertEquals(6, boxes.size());
    assertEquals(List.of(10, 10, 10), boxes.subList(0, 3).stream().map(b -> b[0]).toList(), "the groups in the first column");
    assertTrue(boxes.get(3)[0] > boxes.get(0)[0] + boxes.get(0)[2], "the dataset right of them");
    int middle = boxes.get(1)[1];
    assertEquals(List.of(middle, middle, middle), boxes.subList(3, 6).stream().map(b -> b[1]).toList(),
        "a lone box sits level with the middle of the three");
    int bottom = boxes.stream().mapToInt(b -> b[1] + b[3]).max().orElseThrow();

    assertEquals(5, count(svg, "<path class=\"edge\""), "a link to a box that is not drawn is left out");
    Matcher read = Pattern.compile("<path class=\"edge read\" d=\"M[0-9]+,[0-9]+ C[0-9]+,[0-9]+ [0-9]+,([0-9]+) ").matcher(svg);
    assertTrue(read.find(), svg);
    assertTrue(Integer.parseInt(read.group(1)) > bottom, "the read runs in a lane below every box: " + svg);
    assertTrue(svg.contains("dashed: read by inference"), svg);
    assertTrue(svg.contains("… 5 more dates"), svg);
    assertTrue(svg.contains("712 rows &lt;scored&gt;"), "text is escaped: " + svg);
    Matcher size = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"").matcher(svg);
    assertTrue(size.find());
    int width = Integer.parseInt(size.group(1));
    int height = Integer.parseInt(size.group(2));
    for (int[] b : boxes) {
      assertTrue(b[0] + b[2] <= width && b[1] + b[3] <= height, "every box inside the picture");
    }
  }

  private static int count(String text, String what) {
    return text.split(Pattern.quote(what), -1).length - 1;
  }
}
