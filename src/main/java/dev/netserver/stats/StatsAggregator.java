package dev.netserver.stats;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the latest snapshot of every listener instance (of every node) and sums them per listener and
 * per node. Rates come from an instance's last two snapshots. An instance that has stopped keeps its
 * cumulative counts in the totals, so totals never go backwards when a listener restarts; it no longer
 * counts as a live instance and adds nothing to rates or gauges.
 */
public final class StatsAggregator {

  /** Counters that are levels, not running totals: summed, but never turned into rates. */
  public static final Set<String> GAUGES = Set.of("connectionsActive");

  private final Map<String, Instance> instances = new LinkedHashMap<>();

  private static final class Instance {
    StatsSnapshot latest;
    JsonObject rates = new JsonObject();
  }

  /** Takes a snapshot in; an older snapshot than the one held (reordered delivery) is ignored. */
  public void record(StatsSnapshot snapshot) {
    Instance instance = instances.computeIfAbsent(snapshot.node() + "/" + snapshot.instance(), k -> new Instance());
    StatsSnapshot previous = instance.latest;
    if (previous != null && (previous.last() || snapshot.timestamp() < previous.timestamp())) {
      return;
    }
    instance.latest = snapshot;
    instance.rates = previous == null ? new JsonObject() : rates(previous, snapshot);
  }

  private static JsonObject rates(StatsSnapshot previous, StatsSnapshot current) {
    JsonObject rates = new JsonObject();
    long elapsedMs = current.timestamp() - previous.timestamp();
    for (String name : current.counters().fieldNames()) {
      if (!GAUGES.contains(name)) {
        double perSecond = elapsedMs <= 0 ? 0.0 : (current.counter(name) - previous.counter(name)) * 1000.0 / elapsedMs;
        rates.put(name, Math.round(perSecond * 10.0) / 10.0);
      }
    }
    return rates;
  }

  /** Whether every instance of {@code node} that has reported has also sent its last snapshot. */
  public boolean allStopped(String node) {
    return instances.values().stream()
      .filter(i -> i.latest.node().equals(node))
      .allMatch(i -> i.latest.last());
  }

  /** Totals per listener name, across all nodes, in the order listeners first reported. */
  public Map<String, ListenerTotals> byListener() {
    Map<String, ListenerTotals> totals = new LinkedHashMap<>();
    for (Instance instance : instances.values()) {
      add(totals, instance);
    }
    return totals;
  }

  /** Totals per node, then per listener name. */
  public Map<String, Map<String, ListenerTotals>> byNode() {
    Map<String, Map<String, ListenerTotals>> nodes = new LinkedHashMap<>();
    for (Instance instance : instances.values()) {
      add(nodes.computeIfAbsent(instance.latest.node(), n -> new LinkedHashMap<>()), instance);
    }
    return nodes;
  }

  private static void add(Map<String, ListenerTotals> totals, Instance instance) {
    StatsSnapshot s = instance.latest;
    totals.computeIfAbsent(s.listener(), name -> new ListenerTotals(name, s.kind(), s.protocol()))
      .add(s, instance.rates);
  }

  /**
   * The reply to a stats query: {@code listeners} (totals per listener name over all nodes) and
   * {@code nodes} (the same, per node).
   */
  public JsonObject toJson(String answeringNode, long now) {
    JsonObject listeners = new JsonObject();
    byListener().forEach((name, t) -> listeners.put(name, t.toJson()));
    JsonObject nodes = new JsonObject();
    byNode().forEach((node, byName) -> {
      JsonObject perListener = new JsonObject();
      byName.forEach((name, t) -> perListener.put(name, t.toJson()));
      nodes.put(node, new JsonObject().put("listeners", perListener));
    });
    return new JsonObject()
      .put("node", answeringNode)
      .put("timestamp", now)
      .put("listeners", listeners)
      .put("nodes", nodes);
  }
}
