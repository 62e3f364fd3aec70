package dev.netserver.stats;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/**
 * Per-second rates of the running totals of {@link Counters} (a gauge has none: it is 0 here). Computed in
 * one place, {@link #between}: for an instance from its last two snapshots, for a summary line from the
 * totals at the previous line.
 */
public final class Rates {

  private static final Counter[] COUNTERS = Counter.values();

  public static final Rates ZERO = new Rates(new double[COUNTERS.length]);

  /** By {@link Counter#ordinal()}. */
  private final double[] perSecond;

  private Rates(double[] perSecond) {
    this.perSecond = perSecond;
  }

  /** The rates of the running totals that went from {@code earlier} to {@code later} in {@code elapsedMs} (0 when none elapsed). */
  public static Rates between(Counters earlier, Counters later, long elapsedMs) {
    double[] rates = new double[COUNTERS.length];
    if (elapsedMs > 0) {
      for (Counter c : COUNTERS) {
        if (!c.gauge()) {
          rates[c.ordinal()] = (later.get(c) - earlier.get(c)) * 1000.0 / elapsedMs;
        }
      }
    }
    return new Rates(rates);
  }

  public double get(Counter counter) {
    return perSecond[counter.ordinal()];
  }

  public Rates plus(Rates other) {
    double[] sum = perSecond.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.perSecond[i];
    }
    return new Rates(sum);
  }

  /** {@code {"connectionsAccepted": 2.5, ...}}: every running total of that kind, to one decimal. */
  public JsonObject toJson(ListenerKind kind) {
    JsonObject json = new JsonObject();
    for (Counter c : Counter.totalsOf(kind)) {
      json.put(c.jsonName(), Math.round(get(c) * 10.0) / 10.0);
    }
    return json;
  }

  /** Reads what {@link #toJson} wrote; a rate that is missing, or not a number, reads as 0. */
  public static Rates fromJson(JsonObject json) {
    double[] rates = new double[COUNTERS.length];
    for (Counter c : COUNTERS) {
      if (!c.gauge() && json.getValue(c.jsonName()) instanceof Number n) {
        rates[c.ordinal()] = n.doubleValue();
      }
    }
    return new Rates(rates);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rates other && Arrays.equals(perSecond, other.perSecond);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(perSecond);
  }

  @Override
  public String toString() {
    return "Rates" + Arrays.toString(perSecond);
  }
}
