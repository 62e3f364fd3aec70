package dev.netserver.stats;

import java.util.Locale;

/**
 * The one-line summaries the reporting verticle logs, e.g.
 * {@code greeter tcp: 1204 accepted (3 active), 118.2 conn/s, in 14.1 KiB, out 61.0 KiB}.
 */
final class SummaryLine {

  private SummaryLine() {
  }

  /**
   * @param totals   the listener's totals now
   * @param previous its totals at the previous line, or {@code null}
   * @param seconds  the time between the two
   */
  static String of(ListenerTotals totals, ListenerTotals previous, double seconds) {
    return of(totals, counter -> rate(totals, previous, counter, seconds));
  }

  /** The line with the rates the totals carry (a query reply's {@code rates}). */
  static String of(ListenerTotals totals) {
    return of(totals, counter -> String.format(Locale.ROOT, "%.1f", totals.rate(counter)));
  }

  private static String of(ListenerTotals totals, java.util.function.Function<String, String> rate) {
    String head = totals.name() + " " + totals.kind() + ": ";
    String bytes = ", in " + bytes(totals.counter("bytesIn")) + ", out " + bytes(totals.counter("bytesOut"));
    if (totals.kind().equals("udp")) {
      long in = totals.counter("datagramsIn");
      long echoed = totals.counter("datagramsEchoed");
      return head + in + " datagrams (" + echoed + " echoed, " + (in - echoed) + " dropped), "
        + rate.apply("datagramsIn") + " dgram/s" + bytes;
    }
    String extra = totals.protocol().equals("greeting")
      ? ", " + totals.counter("linesAnswered") + " answered" + problems(totals)
      : problems(totals);
    return head + totals.counter("connectionsAccepted") + " accepted (" + totals.counter("connectionsActive")
      + " active), " + rate.apply("connectionsAccepted") + " conn/s" + bytes + extra;
  }

  private static String problems(ListenerTotals t) {
    StringBuilder sb = new StringBuilder();
    append(sb, t.counter("linesTooLong"), "too long");
    append(sb, t.counter("timedOut"), "timed out");
    append(sb, t.counter("errors"), "errors");
    return sb.toString();
  }

  private static void append(StringBuilder sb, long n, String what) {
    if (n > 0) {
      sb.append(", ").append(n).append(' ').append(what);
    }
  }

  private static String rate(ListenerTotals now, ListenerTotals before, String counter, double seconds) {
    long base = before == null ? 0L : before.counter(counter);
    double rate = seconds <= 0 ? 0.0 : (now.counter(counter) - base) / seconds;
    return String.format(Locale.ROOT, "%.1f", rate);
  }

  /** 512 B, 14.1 KiB, 3.0 MiB, 1.2 GiB. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = n;
    int unit = -1;
    while (v >= 1024 && unit < units.length - 1) {
      v /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
  }
}
