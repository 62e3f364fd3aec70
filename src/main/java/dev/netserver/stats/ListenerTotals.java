package dev.netserver.stats;

import io.vertx.core.json.JsonObject;

/**
 * The sum of the latest snapshots of a listener's instances (and of the rates of the live ones). The counts
 * of instances that are no longer live are also summed apart, as {@code departed}.
 */
public final class ListenerTotals {

  private final String name;
  private final ListenerKind kind;
  private final String protocol;
  private int liveInstances;
  private Counters counters = Counters.ZERO;
  private Rates rates = Rates.ZERO;
  /** {@code null} until an instance that is no longer live adds to it: the reply then shows {@code {}}. */
  private Counters departed;

  ListenerTotals(String name, ListenerKind kind, String protocol) {
    this.name = name;
    this.kind = kind;
    this.protocol = protocol;
  }

  /**
   * Adds an instance's latest snapshot. A live instance adds its gauges and rates; one that is not live adds
   * only its running totals, to the totals and to {@code departed}.
   */
  void add(StatsSnapshot snapshot, Rates instanceRates, boolean live) {
    if (live) {
      liveInstances++;
      counters = counters.plus(snapshot.counters());
      rates = rates.plus(instanceRates);
    } else {
      addDeparted(snapshot.counters().withoutGauges());
    }
  }

  /** Adds the running totals of instances that are no longer live (and already summed, or forgotten since). */
  void addDeparted(Counters totals) {
    counters = counters.plus(totals);
    departed = departed == null ? totals : departed.plus(totals);
  }

  public String name() {
    return name;
  }

  public ListenerKind kind() {
    return kind;
  }

  public String protocol() {
    return protocol;
  }

  public int liveInstances() {
    return liveInstances;
  }

  public Counters counters() {
    return counters;
  }

  /** The summed per-second rates over the live instances. */
  public Rates rates() {
    return rates;
  }

  /** The part of the running totals that comes from instances no longer live (gauges 0). */
  public Counters departed() {
    return departed == null ? Counters.ZERO : departed;
  }

  /** Totals as {@link #toJson} wrote them (in a query reply), for showing them; unknown fields are ignored. */
  public static ListenerTotals fromJson(String name, JsonObject json) {
    ListenerTotals totals = new ListenerTotals(name, ListenerKind.fromJson(json.getString("kind")),
      json.getString("protocol", "?"));
    totals.liveInstances = json.getInteger("instances", 0);
    totals.counters = Counters.fromJson(json.getJsonObject("counters", new JsonObject()));
    totals.rates = Rates.fromJson(json.getJsonObject("rates", new JsonObject()));
    JsonObject departed = json.getJsonObject("departed", new JsonObject());
    totals.departed = departed.isEmpty() ? null : Counters.fromJson(departed);
    return totals;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("kind", kind.jsonName())
      .put("protocol", protocol)
      .put("instances", liveInstances)
      .put("counters", counters.toJson(Counter.of(kind)))
      .put("rates", rates.toJson(kind))
      .put("departed", departed == null ? new JsonObject() : departed.toJson(Counter.totalsOf(kind)));
  }
}
