package dev.netserver.stats;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.ToLongFunction;

import static dev.netserver.stats.Counter.*;

/**
 * The counters of a listener: of one instance at one moment (a {@link StatsSnapshot}), or summed over
 * instances and nodes ({@link ListenerTotals}). One record for both kinds, so that sums, rates and messages
 * need no case per kind; a counter the listener's kind does not have is 0 and left out of its messages
 * ({@link Counter} says which kind has which). Immutable: the listeners count in plain fields of their own and
 * read them into one of these when they publish. {@link Counter} says what each one counts.
 */
public record Counters(
  long connectionsAccepted,
  long connectionsActive,
  long connectionsClosed,
  long linesAnswered,
  long linesTooLong,
  long timedOut,
  long datagramsIn,
  long datagramsEchoed,
  long droppedOversize,
  long droppedBlockedSource,
  long droppedInvalidSource,
  long droppedOverload,
  long errors,
  long bytesIn,
  long bytesOut) {

  public static final Counters ZERO = of(c -> 0L);

  /** The counters whose values {@code value} gives; the one place that builds this record from {@link Counter}s. */
  public static Counters of(ToLongFunction<Counter> value) {
    return new Counters(
      value.applyAsLong(CONNECTIONS_ACCEPTED),
      value.applyAsLong(CONNECTIONS_ACTIVE),
      value.applyAsLong(CONNECTIONS_CLOSED),
      value.applyAsLong(LINES_ANSWERED),
      value.applyAsLong(LINES_TOO_LONG),
      value.applyAsLong(TIMED_OUT),
      value.applyAsLong(DATAGRAMS_IN),
      value.applyAsLong(DATAGRAMS_ECHOED),
      value.applyAsLong(DROPPED_OVERSIZE),
      value.applyAsLong(DROPPED_BLOCKED_SOURCE),
      value.applyAsLong(DROPPED_INVALID_SOURCE),
      value.applyAsLong(DROPPED_OVERLOAD),
      value.applyAsLong(ERRORS),
      value.applyAsLong(BYTES_IN),
      value.applyAsLong(BYTES_OUT));
  }

  /**
   * The counters of a listener of that kind; {@code value} is asked only for the counters of that kind (the
   * others are 0), so a listener's own mapping need not list the other kind's.
   */
  public static Counters of(ListenerKind kind, ToLongFunction<Counter> value) {
    return of(c -> c.keptBy(kind) ? value.applyAsLong(c) : 0L);
  }

  public long get(Counter counter) {
    return counter.read(this);
  }

  /** These counters with {@code counter} set to {@code value}. */
  public Counters with(Counter counter, long value) {
    return of(c -> c == counter ? value : get(c));
  }

  public Counters plus(Counters other) {
    return of(c -> get(c) + other.get(c));
  }

  /** These counters with every gauge at 0: what an instance that is no longer running still counts for. */
  public Counters withoutGauges() {
    return of(c -> c.gauge() ? 0L : get(c));
  }

  /** {@code {"connectionsAccepted": 4, ...}} with the given counters, in their order. */
  public JsonObject toJson(List<Counter> counters) {
    JsonObject json = new JsonObject();
    for (Counter c : counters) {
      json.put(c.jsonName(), get(c));
    }
    return json;
  }

  /** Reads what {@link #toJson} wrote; a counter that is missing, or not a number, reads as 0. */
  public static Counters fromJson(JsonObject json) {
    return of(c -> json.getValue(c.jsonName()) instanceof Number n ? n.longValue() : 0L);
  }
}
