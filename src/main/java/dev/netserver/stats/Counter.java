package dev.netserver.stats;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

import static dev.netserver.stats.ListenerKind.TCP;
import static dev.netserver.stats.ListenerKind.UDP;

/**
 * Every counter a listener keeps: the one place that names it on the wire, says whether it is a level (a
 * gauge) or a running total, which kinds of listener have it, and reads it from {@link Counters}. The stats
 * messages, the aggregator, the summary lines and any later exporter iterate over these.
 *
 * <p>Declared in the order the messages list them: the TCP counters, the UDP ones, then the shared ones.
 */
public enum Counter {
  CONNECTIONS_ACCEPTED("connectionsAccepted", false, Set.of(TCP), Counters::connectionsAccepted),
  /** The connections open now. */
  CONNECTIONS_ACTIVE("connectionsActive", true, Set.of(TCP), Counters::connectionsActive),
  CONNECTIONS_CLOSED("connectionsClosed", false, Set.of(TCP), Counters::connectionsClosed),
  /** Greeting only (0 for echo), as is {@link #LINES_TOO_LONG}. */
  LINES_ANSWERED("linesAnswered", false, Set.of(TCP), Counters::linesAnswered),
  LINES_TOO_LONG("linesTooLong", false, Set.of(TCP), Counters::linesTooLong),
  /** Connections closed by the idle timeout. */
  TIMED_OUT("timedOut", false, Set.of(TCP), Counters::timedOut),
  DATAGRAMS_IN("datagramsIn", false, Set.of(UDP), Counters::datagramsIn),
  DATAGRAMS_ECHOED("datagramsEchoed", false, Set.of(UDP), Counters::datagramsEchoed),
  /** Over {@code maxDatagramBytes}. */
  DROPPED_OVERSIZE("droppedOversize", false, Set.of(UDP), Counters::droppedOversize),
  /** From a source port in {@code blockedSourcePorts}. */
  DROPPED_BLOCKED_SOURCE("droppedBlockedSource", false, Set.of(UDP), Counters::droppedBlockedSource),
  /** From a broadcast, multicast or unspecified source address. */
  DROPPED_INVALID_SOURCE("droppedInvalidSource", false, Set.of(UDP), Counters::droppedInvalidSource),
  /** The send queue was full. */
  DROPPED_OVERLOAD("droppedOverload", false, Set.of(UDP), Counters::droppedOverload),
  /** Resets and other I/O failures. */
  ERRORS("errors", false, Set.of(TCP, UDP), Counters::errors),
  BYTES_IN("bytesIn", false, Set.of(TCP, UDP), Counters::bytesIn),
  BYTES_OUT("bytesOut", false, Set.of(TCP, UDP), Counters::bytesOut);

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
  private final ToLongFunction<Counters> reader;

  Counter(String jsonName, boolean gauge, Set<ListenerKind> kinds, ToLongFunction<Counters> reader) {
    this.jsonName = jsonName;
    this.gauge = gauge;
    this.kinds = kinds;
    this.reader = reader;
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

  public long read(Counters counters) {
    return reader.applyAsLong(counters);
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
