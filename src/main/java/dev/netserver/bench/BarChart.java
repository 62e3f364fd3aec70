package dev.netserver.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Draws a {@link ChartData} with Java2D: two panels side by side, throughput and p99 latency, each a
 * group of bars per mode with one bar per label, on logarithmic axes (greet and stream differ by
 * orders of magnitude), each bar with its value written on it, and one legend for both. Everything is
 * computed from the data alone, so the same data gives the same pixels on the same JDK and fonts.
 */
final class BarChart {

  static final int DEFAULT_WIDTH = 1200;
  static final int DEFAULT_HEIGHT = 600;
  /** Tableau 10: distinct, and readable by most colour-blind people. */
  private static final Color[] PALETTE = {
    new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
    new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)};
  private static final Color AXIS = new Color(0x333333);
  private static final Color GRID = new Color(0xDDDDDD);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
  private static final Font HEADING = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

  private BarChart() {
  }

  static BufferedImage render(ChartData data, String title, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(AXIS);
      g.setFont(TITLE);
      centered(g, title, width / 2, 28);
      int legendTop = height - legendHeight(g, data, width) - 8;
      int panelTop = 48;
      int gap = 24;
      int panelWidth = (width - 3 * gap) / 2;
      panel(g, data, "Throughput", "per second (log scale)", ChartData.Bar::throughputPerSecond,
        gap, panelTop, panelWidth, legendTop - panelTop - 8);
      panel(g, data, "p99 latency", "microseconds (log scale)", ChartData.Bar::p99Micros,
        2 * gap + panelWidth, panelTop, panelWidth, legendTop - panelTop - 8);
      legend(g, data, width, legendTop);
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void panel(Graphics2D g, ChartData data, String heading, String axisLabel,
                            ToDoubleFunction<ChartData.Bar> value, int x, int y, int w, int h) {
    g.setColor(AXIS);
    g.setFont(HEADING);
    centered(g, heading, x + w / 2, y + 14);
    int left = x + 64;
    int right = x + w - 8;
    int top = y + 40;
    int bottom = y + h - 44;
    double[] range = logRange(data, value);
    double lo = range[0];
    double hi = range[1];
    // Decade grid lines with their values.
    g.setFont(SMALL);
    FontMetrics small = g.getFontMetrics();
    for (double d = lo; d <= hi * 1.0001; d *= 10) {
      int gy = scale(d, lo, hi, top, bottom);
      g.setColor(GRID);
      g.drawLine(left, gy, right, gy);
      g.setColor(AXIS);
      String text = compact(d);
      g.drawString(text, left - 6 - small.stringWidth(text), gy + small.getAscent() / 2 - 1);
    }
    g.setColor(AXIS);
    g.setStroke(new BasicStroke(1));
    g.drawLine(left, top, left, bottom);
    g.drawLine(left, bottom, right, bottom);
    g.setFont(TEXT);
    vertical(g, axisLabel, x + 14, (top + bottom) / 2);
    centered(g, "mode", (left + right) / 2, y + h - 6);
    int groups = data.groups().size();
    int labels = data.labels().size();
    double groupWidth = (double) (right - left) / Math.max(1, groups);
    double barWidth = groupWidth * 0.8 / Math.max(1, labels);
    for (int gi = 0; gi < groups; gi++) {
      String group = data.groups().get(gi);
      double groupLeft = left + gi * groupWidth + groupWidth * 0.1;
      g.setColor(AXIS);
      g.setFont(TEXT);
      centered(g, group, (int) Math.round(left + (gi + 0.5) * groupWidth), bottom + 18);
      for (int li = 0; li < labels; li++) {
        ChartData.Bar bar = data.bar(group, data.labels().get(li));
        if (bar == null) {
          continue;
        }
        double v = value.applyAsDouble(bar);
        int bx = (int) Math.round(groupLeft + li * barWidth);
        int bw = Math.max(1, (int) Math.round(groupLeft + (li + 1) * barWidth) - bx - 2);
        int by = v > 0 ? scale(v, lo, hi, top, bottom) : bottom;
        g.setColor(PALETTE[li % PALETTE.length]);
        g.fillRect(bx, by, bw, bottom - by);
        barValue(g, compact(v), bx, bw, by, top, bottom);
      }
    }
  }

  /** The value above the bar, turned upright when the bar is too narrow, inside the bar when there is no room above. */
  private static void barValue(Graphics2D g, String text, int bx, int bw, int by, int top, int bottom) {
    g.setFont(SMALL);
    FontMetrics fm = g.getFontMetrics();
    int textWidth = fm.stringWidth(text);
    int cx = bx + bw / 2;
    boolean upright = textWidth + 2 > bw;
    int needed = (upright ? textWidth : fm.getAscent()) + 4;
    boolean inside = by - top < needed && bottom - by >= needed;
    g.setColor(inside ? Color.WHITE : AXIS);
    if (!upright) {
      int baseline = inside ? by + fm.getAscent() + 2 : by - 3;
      g.drawString(text, cx - textWidth / 2, baseline);
    } else {
      AffineTransform saved = g.getTransform();
      int start = inside ? by + 3 + textWidth : by - 3;
      g.translate(cx + fm.getAscent() / 2 - 1, start);
      g.rotate(-Math.PI / 2);
      g.drawString(text, 0, 0);
      g.setTransform(saved);
    }
  }

  /** From the decade at or below the smallest positive value to the decade above the largest. */
  static double[] logRange(ChartData data, ToDoubleFunction<ChartData.Bar> value) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (String group : data.groups()) {
      for (String label : data.labels()) {
        ChartData.Bar bar = data.bar(group, label);
        if (bar != null && value.applyAsDouble(bar) > 0) {
          min = Math.min(min, value.applyAsDouble(bar));
          max = Math.max(max, value.applyAsDouble(bar));
        }
      }
    }
    if (max == 0) {
      return new double[] {1, 10};
    }
    double lo = Math.pow(10, Math.floor(Math.log10(min)));
    // At least a third of a decade above the tallest bar, for its value.
    double hi = Math.pow(10, Math.ceil(Math.log10(max * 2.2)));
    return new double[] {lo, Math.max(hi, lo * 10)};
  }

  private static int scale(double v, double lo, double hi, int top, int bottom) {
    double f = (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    return (int) Math.round(bottom - Math.max(0, Math.min(1, f)) * (bottom - top));
  }

  private static int legendHeight(Graphics2D g, ChartData data, int width) {
    return legendRows(g, data, width) * 20 + 4;
  }

  private static int legendRows(Graphics2D g, ChartData data, int width) {
    g.setFont(TEXT);
    FontMetrics fm = g.getFontMetrics();
    int rows = 1;
    int x = 24;
    for (String label : data.labels()) {
      int item = 18 + fm.stringWidth(label) + 24;
      if (x > 24 && x + item > width - 24) {
        rows++;
        x = 24;
      }
      x += item;
    }
    return rows;
  }

  private static void legend(Graphics2D g, ChartData data, int width, int top) {
    g.setFont(TEXT);
    FontMetrics fm = g.getFontMetrics();
    int x = 24;
    int y = top;
    for (int i = 0; i < data.labels().size(); i++) {
      String label = data.labels().get(i);
      int item = 18 + fm.stringWidth(label) + 24;
      if (x > 24 && x + item > width - 24) {
        x = 24;
        y += 20;
      }
      g.setColor(PALETTE[i % PALETTE.length]);
      g.fillRect(x, y + 3, 12, 12);
      g.setColor(AXIS);
      g.drawString(label, x + 18, y + 3 + fm.getAscent() - 1);
      x += item;
    }
  }

  private static void centered(Graphics2D g, String text, int cx, int baseline) {
    g.drawString(text, cx - g.getFontMetrics().stringWidth(text) / 2, baseline);
  }

  private static void vertical(Graphics2D g, String text, int x, int cy) {
    AffineTransform saved = g.getTransform();
    g.translate(x, cy + g.getFontMetrics().stringWidth(text) / 2);
    g.rotate(-Math.PI / 2);
    g.drawString(text, 0, 0);
    g.setTransform(saved);
  }

  /** 18.3k, 1.2M, 245, 12.5, 0.82. */
  static String compact(double v) {
    if (v >= 1e9) {
      return trim(String.format(Locale.ROOT, "%.1f", v / 1e9)) + "G";
    } else if (v >= 1e6) {
      return trim(String.format(Locale.ROOT, "%.1f", v / 1e6)) + "M";
    } else if (v >= 1e3) {
      return trim(String.format(Locale.ROOT, "%.1f", v / 1e3)) + "k";
    } else if (v >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    } else if (v >= 10) {
      return trim(String.format(Locale.ROOT, "%.1f", v));
    }
    return trim(String.format(Locale.ROOT, "%.2f", v));
  }

  private static String trim(String number) {
    if (!number.contains(".")) {
      return number;
    }
    String s = number.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
