package dev.netserver.stats;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.netserver.stats.ListenerKind.TCP;
import static dev.netserver.stats.ListenerKind.UDP;

/**
 * Every counter a listener keeps: the one place that names it on the wire, says whether it is a level (a
 * gauge) or a running total, and which kinds of listener have it. The stats
 * messages, the aggregator, the summary lines and any later exporter iterate over these.
 *
 * <p>Declared in the order the messages list them: the TCP counters, the UDP ones, then the shared ones.
 */
public enum Counter {
  CONNECTIONS_ACCEPTED("connectionsAccepted", false, Set.of(TCP)),
  /** The connections open now. */
  CONNECTIONS_ACTIVE("connectionsActive", true, Set.of(TCP)),
  CONNECTIONS_CLOSED("connectionsClosed", false, Set.of(TCP)),
  /** Greeting only (0 for echo), as is {@link #LINES_TOO_LONG}. */
  LINES_ANSWERED("linesAnswered", false, Set.of(TCP)),
  LINES_TOO_LONG("linesTooLong", false, Set.of(TCP)),
  /** Connections closed by the idle timeout. */
  TIMED_OUT("timedOut", false, Set.of(TCP)),
  /** Refused: the listener had {@code limits.maxConnections} open. */
  REFUSED_MAX_CONNECTIONS("refusedMaxConnections", false, Set.of(TCP)),
  /** Refused: the source had {@code limits.maxConnectionsPerSource} open. */
  REFUSED_PER_SOURCE("refusedPerSource", false, Set.of(TCP)),
  /** Refused: {@code limits.connectionsPerSecond} or {@code connectionsPerSecondPerSource} ran out of tokens. */
  REFUSED_RATE("refusedRate", false, Set.of(TCP)),
  /** Refused by {@code allow}/{@code deny}. */
  REFUSED_DENIED("refusedDenied", false, Set.of(TCP)),
  /** Closed with "Server busy": the listener held {@code limits.maxBufferedBytes} of unfinished lines. */
  REFUSED_BUSY("refusedBusy", false, Set.of(TCP)),
  /** Closed: the line did not arrive within {@code lineTimeoutSeconds} of the prompt. */
  REFUSED_LINE_TIMEOUT("refusedLineTimeout", false, Set.of(TCP)),
  /** accept() failed (EMFILE, ENFILE, ...): a client waited in the backlog, or was reset. */
  ACCEPT_FAILURES("acceptFailures", false, Set.of(TCP)),
  /** A TLS handshake that failed or timed out (plain text on a TLS port, no common protocol, no client certificate). */
  TLS_HANDSHAKE_FAILURES("tlsHandshakeFailures", false, Set.of(TCP)),
  /** Changed certificate files that did not load (or that Vert.x refused): the old certificate is still served. */
  TLS_RELOAD_FAILURES("tlsReloadFailures", false, Set.of(TCP)),
  /** PROXY protocol: a connection from a source outside {@code proxyProtocol.trustedSources}, closed. */
  PROXY_UNTRUSTED("proxyUntrusted", false, Set.of(TCP)),
  /** PROXY protocol: a malformed header, a datagram transport, or none before the timeout; closed. */
  PROXY_INVALID("proxyInvalid", false, Set.of(TCP)),
  DATAGRAMS_IN("datagramsIn", false, Set.of(UDP)),
  DATAGRAMS_ECHOED("datagramsEchoed", false, Set.of(UDP)),
  /** Over {@code maxDatagramBytes}. */
  DROPPED_OVERSIZE("droppedOversize", false, Set.of(UDP)),
  /** From a source port in {@code blockedSourcePorts}. */
  DROPPED_BLOCKED_SOURCE("droppedBlockedSource", false, Set.of(UDP)),
  /** From a broadcast, multicast or unspecified source address. */
  DROPPED_INVALID_SOURCE("droppedInvalidSource", false, Set.of(UDP)),
  /** From one of netserver's own listening addresses: echoing it would start a loop. */
  DROPPED_OWN_SOURCE("droppedOwnSource", false, Set.of(UDP)),
  /** Over {@code limits.datagramsPerSecondPerSource}. */
  DROPPED_RATE_PER_SOURCE("droppedRatePerSource", false, Set.of(UDP)),
  /** Over {@code limits.datagramsPerSecond}. */
  DROPPED_RATE("droppedRate", false, Set.of(UDP)),
  /** The send queue was full. */
  DROPPED_OVERLOAD("droppedOverload", false, Set.of(UDP)),
  /** Dropped by the kernel before netserver read them (receive buffer full): the sockets' {@code drops} in /proc/net/udp. */
  DROPPED_KERNEL("droppedKernel", false, Set.of(UDP)),
  /** Resets and other I/O failures. */
  ERRORS("errors", false, Set.of(TCP, UDP)),
  BYTES_IN("bytesIn", false, Set.of(TCP, UDP)),
  BYTES_OUT("bytesOut", false, Set.of(TCP, UDP));

  private static final Counter[] ALL = values();
  private static final Map<ListenerKind, List<Counter>> OF_KIND = new EnumMap<>(ListenerKind.class);
  private static final Map<ListenerKind, List<Counter>> TOTALS_OF_KIND = new EnumMap<>(ListenerKind.class);

  static {
    for (ListenerKind kind : ListenerKind.values()) {
      OF_KIND.put(kind, Arrays.stream(ALL).filter(c -> c.keptBy(kind)).toList());
      TOTALS_OF_KIND.put(kind, Arrays.stream(ALL).filter(c -> c.keptBy(kind) && !c.gauge).toList());
    }
  }

  private final String jsonName;
  private final boolean gauge;
  private final Set<ListenerKind> kinds;

  Counter(String jsonName, boolean gauge, Set<ListenerKind> kinds) {
    this.jsonName = jsonName;
    this.gauge = gauge;
    this.kinds = kinds;
  }

  /** The camelCase name in the {@code counters}, {@code rates} and {@code departed} objects of the messages. */
  public String jsonName() {
    return jsonName;
  }

  /** A level (summed over live instances, 0 for departed ones, never a rate), not a running total. */
  public boolean gauge() {
    return gauge;
  }

  /** Whether a listener of that kind keeps this counter. */
  public boolean keptBy(ListenerKind kind) {
    return kinds.contains(kind);
  }

  /** The counters a listener of that kind keeps, in message order. */
  public static List<Counter> of(ListenerKind kind) {
    return OF_KIND.get(kind);
  }

  /** The running totals (no gauges) a listener of that kind keeps, in message order. */
  public static List<Counter> totalsOf(ListenerKind kind) {
    return TOTALS_OF_KIND.get(kind);
  }

  /** The counter of that wire name; {@link IllegalArgumentException} for any other. */
  public static Counter fromJson(String jsonName) {
    for (Counter counter : ALL) {
      if (counter.jsonName.equals(jsonName)) {
        return counter;
      }
    }
    throw new IllegalArgumentException("unknown counter: " + jsonName);
  }
}
