package dev.netserver.stats;

import dev.netserver.config.TcpProtocol;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one-line summaries the reporting verticle logs, e.g.
 * {@code greeter tcp: 1204 accepted (3 active), 118.2 conn/s, in 14.1 KiB, out 61.0 KiB}.
 */
final class SummaryLine {

  private SummaryLine() {
  }

  /**
   * @param totals    the listener's totals now
   * @param previous  its totals at the previous line, or {@code null}
   * @param elapsedMs the time between the two
   */
  static String of(ListenerTotals totals, ListenerTotals previous, long elapsedMs) {
    Counters before = previous == null ? Counters.ZERO : previous.counters();
    return of(totals, Rates.between(before, totals.counters(), elapsedMs));
  }

  /** The line with the rates the totals carry (a query reply's {@code rates}). */
  static String of(ListenerTotals totals) {
    return of(totals, totals.rates());
  }

  private static String of(ListenerTotals totals, Rates rates) {
    Counters c = totals.counters();
    String head = totals.name() + " " + totals.kind().jsonName() + ": ";
    String bytes = ", in " + bytes(c.get(Counter.BYTES_IN)) + ", out " + bytes(c.get(Counter.BYTES_OUT));
    if (totals.kind() == ListenerKind.UDP) {
      long in = c.get(Counter.DATAGRAMS_IN);
      long echoed = c.get(Counter.DATAGRAMS_ECHOED);
      long kernel = c.get(Counter.DROPPED_KERNEL);
      // the kernel's drops never reached netserver: not in datagramsIn, named apart so a flood is not "0 dropped"
      return head + in + " datagrams (" + echoed + " echoed, " + (in - echoed) + " dropped"
        + (kernel > 0 ? ", " + kernel + " dropped by the kernel" : "") + "), "
        + rate(rates, Counter.DATAGRAMS_IN) + " dgram/s" + bytes;
    }
    String extra = totals.protocol().equals(TcpProtocol.GREETING.configName())
      ? ", " + c.get(Counter.LINES_ANSWERED) + " answered" + problems(c)
      : problems(c);
    return head + c.get(Counter.CONNECTIONS_ACCEPTED) + " accepted (" + c.get(Counter.CONNECTIONS_ACTIVE) + " active), "
      + rate(rates, Counter.CONNECTIONS_ACCEPTED) + " conn/s" + bytes + extra;
  }

  /** Every refusal of a client, whatever its reason (the stats and /metrics give them one by one). */
  private static final List<Counter> REFUSED = Arrays.stream(Counter.values())
    .filter(c -> c.jsonName().startsWith("refused")).toList();

  private static String problems(Counters c) {
    StringBuilder sb = new StringBuilder();
    append(sb, c.get(Counter.LINES_TOO_LONG), "too long");
    append(sb, c.get(Counter.TIMED_OUT), "timed out");
    append(sb, REFUSED.stream().mapToLong(c::get).sum(), "refused");
    append(sb, c.get(Counter.ACCEPT_FAILURES), "accept failures");
    append(sb, c.get(Counter.TLS_HANDSHAKE_FAILURES), "TLS handshake failures");
    append(sb, c.get(Counter.PROXY_UNTRUSTED) + c.get(Counter.PROXY_INVALID), "PROXY refused");
    append(sb, c.get(Counter.ERRORS), "errors");
    return sb.toString();
  }

  private static void append(StringBuilder sb, long n, String what) {
    if (n > 0) {
      sb.append(", ").append(n).append(' ').append(what);
    }
  }

  private static String rate(Rates rates, Counter counter) {
    return String.format(Locale.ROOT, "%.1f", rates.get(counter));
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
