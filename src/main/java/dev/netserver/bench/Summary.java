package dev.netserver.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human-readable summary of a {@link Result}: a heading and aligned rows with the JSON's numbers. */
final class Summary {

  private Summary() {
  }

  static void print(Result r, PrintWriter out) {
    BenchOptions o = r.options();
    String label = o.label().isEmpty() ? "" : " (" + o.label() + ")";
    out.println("netserver bench " + o.mode().cliName() + " -> " + o.host() + ":" + o.port() + (o.tls() ? " over TLS" : "") + label);
    String shape = switch (o.mode()) {
      case GREET -> o.connections() + " connections, lines of " + o.size() + " bytes";
      case ECHO, STREAM -> o.connections() + " connections, " + o.size() + "-byte messages, window " + o.window();
      case UDP -> o.connections() + " sockets, " + o.size() + "-byte datagrams, window " + o.window();
      case HOLD -> o.connections() + " connections held " + o.holdSeconds() + " s";
    };
    String timing = o.mode() == Mode.HOLD
      ? String.format(Locale.ROOT, "opened in %.2f s, measured %.2f s", r.openSeconds(), r.measuredSeconds())
      : String.format(Locale.ROOT, "measured %.2f s after %d s warm-up", r.measuredSeconds(), o.warmupSeconds());
    out.println(shape + "; " + timing + "; " + r.transport() + ", " + o.threads()
      + (o.threads() == 1 ? " event loop" : " event loops"));
    List<String[]> rows = new ArrayList<>();
    if (o.mode() == Mode.HOLD) {
      rows.add(row("held", r.held() + " of " + o.connections(), "failed " + r.failed()));
      rows.add(row("opened", "", perSecond(r.throughputPerSecond(), "connections")));
    } else {
      rows.add(row(o.mode().unit(), Long.toString(r.exchanges()), perSecond(r.throughputPerSecond(), o.mode().unit())));
    }
    if (o.tls() && o.mode() == Mode.GREET) {
      // one full handshake per exchange: the rate TLS termination is judged by
      rows.add(row("handshakes", Long.toString(r.exchanges()), perSecond(r.throughputPerSecond(), "handshakes")));
    }
    rows.add(row("received", bytes(r.bytes()), bytes(r.bytesPerSecond()) + "/s"));
    rows.add(row("errors", Long.toString(r.errors()), errorKinds(r)));
    if (o.mode() == Mode.UDP) {
      rows.add(row("lost", Long.toString(r.lost()), String.format(Locale.ROOT, "%.3f%% (more than %.0f%% fails the run)%s",
        100 * r.lossRatio(), 100 * Result.MAX_LOSS, r.late() > 0 ? ", " + r.late() + " replies came late" : "")));
    }
    String latencyOf = switch (o.mode()) {
      case GREET -> "per exchange, connect to close";
      case ECHO -> "per round trip";
      case STREAM, UDP -> "per message";
      case HOLD -> "per connect";
    };
    rows.add(row("latency (us)", String.format(Locale.ROOT, "p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %s  (%s)",
      micros(r.micros(50)), micros(r.micros(90)), micros(r.micros(99)), micros(r.micros(99.9)), micros(r.maxMicros()),
      micros(r.meanMicros()), latencyOf), ""));
    rows.add(row("client CPU", cpu(r), ""));
    int keyWidth = rows.stream().mapToInt(x -> x[0].length()).max().orElse(0);
    int valueWidth = rows.stream().filter(x -> !x[2].isEmpty()).mapToInt(x -> x[1].length()).max().orElse(0);
    for (String[] x : rows) {
      String line = "  " + pad(x[0], keyWidth) + "  " + (x[2].isEmpty() ? x[1] : pad(x[1], valueWidth) + "  " + x[2]);
      out.println(line.stripTrailing());
    }
    if (r.firstError() != null) {
      out.println("  first error: " + r.firstError());
    }
    if (r.lossTooHigh()) {
      out.println(String.format(Locale.ROOT, "  more than %.0f%% of the datagrams were lost: the run fails", 100 * Result.MAX_LOSS));
    }
  }

  private static String[] row(String key, String value, String note) {
    return new String[] {key, value, note};
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static String perSecond(double value, String unit) {
    return String.format(Locale.ROOT, "%.1f %s/s", value, unit);
  }

  private static String micros(double value) {
    return value >= 1000 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
  }

  static String bytes(double n) {
    if (n >= 1e9) {
      return String.format(Locale.ROOT, "%.2f GB", n / 1e9);
    } else if (n >= 1e6) {
      return String.format(Locale.ROOT, "%.2f MB", n / 1e6);
    } else if (n >= 1e3) {
      return String.format(Locale.ROOT, "%.2f kB", n / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f B", n);
  }

  private static String errorKinds(Result r) {
    List<String> parts = new ArrayList<>();
    for (ErrorKind kind : ErrorKind.values()) {
      if (r.countOf(kind) > 0) {
        parts.add(kind.text() + " " + r.countOf(kind));
      }
    }
    return String.join(", ", parts);
  }

  private static String cpu(Result r) {
    double share = r.cpuShare();
    if (share < 0) {
      return "unknown";
    }
    int cores = Runtime.getRuntime().availableProcessors();
    return String.format(Locale.ROOT, "%.2f s in %.2f s: %.0f%% of one core, %.0f%% of the machine's %d cores",
      r.cpuNanos() / 1e9, r.measuredSeconds(), 100 * share, 100 * share / cores, cores);
  }
}
