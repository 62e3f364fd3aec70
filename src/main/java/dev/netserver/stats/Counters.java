package dev.netserver.stats;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The counters of a listener: of one instance at one moment (a {@link StatsSnapshot}), or summed over
 * instances and nodes ({@link ListenerTotals}). One type for both kinds, so that sums, rates and messages
 * need no case per kind; a counter the listener's kind does not have is 0 and left out of its messages
 * ({@link Counter} says which kind has which). Immutable: the listeners count in plain fields of their own and
 * read them into one of these when they publish. {@link Counter} says what each one counts.
 */
public final class Counters {

  private static final Counter[] ALL = Counter.values();
  public static final Counters ZERO = of(c -> 0L);

  private final long[] values;

  private Counters(long[] values) {
    this.values = values;
  }

  /** The counters whose values {@code value} gives; the one place that builds these from {@link Counter}s. */
  public static Counters of(ToLongFunction<Counter> value) {
    long[] values = new long[ALL.length];
    for (Counter c : ALL) {
      values[c.ordinal()] = value.applyAsLong(c);
    }
    return new Counters(values);
  }

  /**
   * The counters of a listener of that kind; {@code value} is asked only for the counters of that kind (the
   * others are 0), so a listener's own mapping need not list the other kind's.
   */
  public static Counters of(ListenerKind kind, ToLongFunction<Counter> value) {
    return of(c -> c.keptBy(kind) ? value.applyAsLong(c) : 0L);
  }

  public long get(Counter counter) {
    return values[counter.ordinal()];
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

  @Override
  public boolean equals(Object o) {
    return o instanceof Counters other && Arrays.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return toJson(List.of(ALL)).encode();
  }
}
