package dev.netserver.stats;

import io.vertx.core.json.JsonObject;

/**
 * The sum of the latest snapshots of a listener's instances (and of the rates of the live ones). The counts
 * of instances that are no longer live are also summed apart, as {@code departed}.
 */
public final class ListenerTotals {

  private final String name;
  private final String kind;
  private final String protocol;
  private int liveInstances;
  private final JsonObject counters = new JsonObject();
  private final JsonObject rates = new JsonObject();
  private final JsonObject departed = new JsonObject();

  ListenerTotals(String name, String kind, String protocol) {
    this.name = name;
    this.kind = kind;
    this.protocol = protocol;
  }

  /**
   * Adds an instance's latest snapshot. A live instance adds its gauges and rates; one that is not live adds
   * only its cumulative counts, to the totals and to {@code departed}.
   */
  void add(StatsSnapshot snapshot, JsonObject instanceRates, boolean live) {
    if (live) {
      liveInstances++;
    }
    for (String counter : snapshot.counters().fieldNames()) {
      boolean gauge = StatsAggregator.GAUGES.contains(counter);
      long value = gauge && !live ? 0L : snapshot.counter(counter);
      counters.put(counter, counter(counter) + value);
      if (!gauge) {
        double rate = live ? instanceRates.getDouble(counter, 0.0) : 0.0;
        rates.put(counter, Math.round((rates.getDouble(counter, 0.0) + rate) * 10.0) / 10.0);
        if (!live) {
          departed.put(counter, departed.getLong(counter, 0L) + value);
        }
      }
    }
  }

  /** Adds a snapshot of a running instance (live unless it is its last). */
  void add(StatsSnapshot snapshot, JsonObject instanceRates) {
    add(snapshot, instanceRates, !snapshot.last());
  }

  public String name() {
    return name;
  }

  public String kind() {
    return kind;
  }

  public String protocol() {
    return protocol;
  }

  public int liveInstances() {
    return liveInstances;
  }

  public long counter(String counter) {
    Long value = counters.getLong(counter);
    return value == null ? 0L : value;
  }

  public JsonObject counters() {
    return counters.copy();
  }

  /** The part of the cumulative counts that comes from instances no longer live (no gauges). */
  public JsonObject departed() {
    return departed.copy();
  }

  /** Totals as {@link #toJson} wrote them (in a query reply), for showing them; unknown fields are ignored. */
  public static ListenerTotals fromJson(String name, JsonObject json) {
    ListenerTotals totals = new ListenerTotals(name, json.getString("kind", "?"), json.getString("protocol", "?"));
    totals.liveInstances = json.getInteger("instances", 0);
    totals.counters.mergeIn(json.getJsonObject("counters", new JsonObject()));
    totals.rates.mergeIn(json.getJsonObject("rates", new JsonObject()));
    totals.departed.mergeIn(json.getJsonObject("departed", new JsonObject()));
    return totals;
  }

  /** The summed per-second rate of a counter over the live instances. */
  public double rate(String counter) {
    return rates.getDouble(counter, 0.0);
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("kind", kind)
      .put("protocol", protocol)
      .put("instances", liveInstances)
      .put("counters", counters.copy())
      .put("rates", rates.copy())
      .put("departed", departed.copy());
  }
}
