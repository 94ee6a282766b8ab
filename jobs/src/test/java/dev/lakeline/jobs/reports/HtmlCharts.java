package dev.lakeline.jobs.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Test help for the HTML reports: their charts, each checked to decode as a PNG of the size its tag states. */
public final class HtmlCharts {
  private static final Pattern PNG =
      Pattern.compile("alt=\"([^\"]*)\" width=\"(\\d+)\" height=\"(\\d+)\" src=\"data:image/png;base64,([^\"]+)\"");

  private HtmlCharts() {}

  /** The alt texts of the page's charts, in page order. */
  public static List<String> of(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = PNG.matcher(html);
    while (m.find()) {
      BufferedImage image;
      try {
        image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(4))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      assertNotNull(image, m.group(1) + " is not a PNG");
      assertEquals(Integer.parseInt(m.group(2)), image.getWidth(), m.group(1));
      assertEquals(Integer.parseInt(m.group(3)), image.getHeight(), m.group(1));
      out.add(m.group(1));
    }
    return out;
  }
}
