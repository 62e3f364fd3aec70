package dev.netserver.stats;

import dev.netserver.config.StatsConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps the latest snapshot of every listener instance of every node and sums them per listener and per
 * node. Rates come from an instance's last two snapshots.
 *
 * <p>Totals never go backwards. Each instance's counters are cumulative and every start of an instance has a
 * new id, so a restarted node adds its new counts to the old ones instead of replacing or repeating them.
 * An instance that is no longer live ({@link Liveness}) keeps its last counts in the totals, also listed as
 * {@code departed}; its gauges count as 0 and it adds nothing to rates or live instances. It is not live when
 * it sent its last snapshot, when its process is no longer a cluster member, or when another process's
 * instance has sent nothing for {@value #SILENT_AFTER_INTERVALS} of its publish intervals (at least
 * {@value #SILENT_AFTER_MIN_MS} ms). A silent instance that publishes again is live again.
 *
 * <p>Pure: the time and the cluster's membership come in as a {@link ClusterView}.
 */
public final class StatsAggregator {

  /** Counters that are levels, not running totals: summed, but never turned into rates. */
  public static final Set<String> GAUGES = Set.of("connectionsActive");
  /** How many publish intervals without a snapshot make another process's instance silent. */
  public static final int SILENT_AFTER_INTERVALS = 3;
  /** The shortest silence that counts, so a short pause (a GC, a busy machine) is not a departure. */
  public static final long SILENT_AFTER_MIN_MS = 2000;

  private final Map<String, Instance> instances = new LinkedHashMap<>();

  private static final class Instance {
    StatsSnapshot latest;
    JsonObject rates = new JsonObject();
    long receivedAt;
  }

  /**
   * Takes a snapshot in, received at {@code receivedAt} (local clock). An older snapshot than the one held
   * (reordered delivery), or anything after an instance's last snapshot, is ignored.
   */
  public void record(StatsSnapshot snapshot, long receivedAt) {
    Instance instance = instances.computeIfAbsent(snapshot.node() + "/" + snapshot.instance(), k -> new Instance());
    StatsSnapshot previous = instance.latest;
    if (previous != null && (previous.last() || snapshot.timestamp() < previous.timestamp())) {
      return;
    }
    instance.latest = snapshot;
    instance.rates = previous == null ? new JsonObject() : rates(previous, snapshot);
    instance.receivedAt = receivedAt;
  }

  /** Takes a snapshot in as if received at its own timestamp. */
  public void record(StatsSnapshot snapshot) {
    record(snapshot, snapshot.timestamp());
  }

  /**
   * Everything this aggregator holds, for a reporting verticle that starts later and would otherwise miss the
   * counts of instances that departed before it: every instance's latest snapshot and how long ago it arrived
   * ({@code ageMs}, so that no two machines' clocks need to agree).
   */
  public JsonObject export(long now) {
    JsonArray list = new JsonArray();
    for (Instance instance : instances.values()) {
      list.add(new JsonObject().put("snapshot", instance.latest.toJson()).put("ageMs", Math.max(0, now - instance.receivedAt)));
    }
    return new JsonObject().put("instances", list);
  }

  /**
   * Takes in what another aggregator {@link #export exported}, as if each snapshot had arrived {@code ageMs}
   * before {@code now}. Snapshots this aggregator already has newer ones of are ignored, as always; malformed
   * entries are skipped.
   *
   * @return how many entries were well formed (older ones among them are ignored all the same)
   */
  public int importFrom(JsonObject exported, long now) {
    int taken = 0;
    JsonArray list = exported.getJsonArray("instances", new JsonArray());
    for (int i = 0; i < list.size(); i++) {
      try {
        JsonObject entry = list.getJsonObject(i);
        record(StatsSnapshot.fromJson(entry.getJsonObject("snapshot")), now - Math.max(0, entry.getLong("ageMs", 0L)));
        taken++;
      } catch (ClassCastException | NullPointerException | IllegalArgumentException malformed) {
        // skipped: one bad entry costs its own counts only
      }
    }
    return taken;
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

  /** How long an instance publishing every {@code intervalMs} (0: unknown) may stay quiet before it counts as silent. */
  static long silentAfterMs(long intervalMs) {
    long interval = intervalMs > 0 ? intervalMs : StatsConfig.DEFAULT_PUBLISH_INTERVAL_MS;
    return Math.max(SILENT_AFTER_INTERVALS * interval, SILENT_AFTER_MIN_MS);
  }

  private static Liveness liveness(Instance instance, ClusterView view) {
    StatsSnapshot s = instance.latest;
    if (s.last()) {
      return Liveness.STOPPED;
    }
    boolean ours = !view.clustered() || Objects.equals(s.clusterNodeId(), view.self());
    if (ours) {
      return Liveness.LIVE; // this process knows its own instances are running until they say otherwise
    }
    if (s.clusterNodeId() != null && !view.members().contains(s.clusterNodeId())) {
      return Liveness.LEFT;
    }
    if (view.now() - instance.receivedAt > silentAfterMs(s.publishIntervalMs())) {
      return Liveness.SILENT;
    }
    return Liveness.LIVE;
  }

  /**
   * Whether every instance of {@code node} running in the process {@code clusterNodeId} ({@code null}: not
   * clustered) that has reported has also sent its last snapshot. Earlier processes of the same name do not count.
   */
  public boolean allStopped(String node, String clusterNodeId) {
    return instances.values().stream()
      .filter(i -> i.latest.node().equals(node) && Objects.equals(i.latest.clusterNodeId(), clusterNodeId))
      .allMatch(i -> i.latest.last());
  }

  /**
   * The totals of the listeners of one process: node {@code node} with cluster node id {@code clusterNodeId}
   * ({@code null}: not clustered); earlier processes of the same name left out. Its instances are live until
   * they send their last snapshot.
   */
  public Map<String, ListenerTotals> ofProcess(String node, String clusterNodeId) {
    Map<String, ListenerTotals> totals = new LinkedHashMap<>();
    ClusterView own = new ClusterView(0, clusterNodeId, clusterNodeId == null ? null : Set.of(clusterNodeId));
    for (Instance instance : instances.values()) {
      if (instance.latest.node().equals(node) && Objects.equals(instance.latest.clusterNodeId(), clusterNodeId)) {
        add(totals, instance, own);
      }
    }
    return totals;
  }

  /** Totals per listener name, across all nodes, in the order listeners first reported. */
  public Map<String, ListenerTotals> byListener(ClusterView view) {
    Map<String, ListenerTotals> totals = new LinkedHashMap<>();
    for (Instance instance : instances.values()) {
      add(totals, instance, view);
    }
    return totals;
  }

  /** Totals per node, then per listener name. */
  public Map<String, Map<String, ListenerTotals>> byNode(ClusterView view) {
    Map<String, Map<String, ListenerTotals>> nodes = new LinkedHashMap<>();
    for (Instance instance : instances.values()) {
      add(nodes.computeIfAbsent(instance.latest.node(), n -> new LinkedHashMap<>()), instance, view);
    }
    return nodes;
  }

  private static void add(Map<String, ListenerTotals> totals, Instance instance, ClusterView view) {
    StatsSnapshot s = instance.latest;
    totals.computeIfAbsent(s.listener(), name -> new ListenerTotals(name, s.kind(), s.protocol()))
      .add(s, instance.rates, liveness(instance, view).live());
  }

  /** Every node heard of, by name, in the order they first reported. */
  public Map<String, NodeState> nodes(ClusterView view) {
    Map<String, List<Instance>> byName = new LinkedHashMap<>();
    for (Instance instance : instances.values()) {
      byName.computeIfAbsent(instance.latest.node(), n -> new ArrayList<>()).add(instance);
    }
    Map<String, NodeState> nodes = new LinkedHashMap<>();
    byName.forEach((name, list) -> {
      Instance newest = list.get(0);
      Set<String> liveIds = new LinkedHashSet<>();
      boolean live = false;
      for (Instance i : list) {
        if (i.receivedAt >= newest.receivedAt) {
          newest = i;
        }
        if (liveness(i, view).live()) {
          live = true;
          if (i.latest.clusterNodeId() != null) {
            liveIds.add(i.latest.clusterNodeId());
          }
        }
      }
      Liveness state = live ? Liveness.LIVE : liveness(newest, view);
      nodes.put(name, new NodeState(name, state, newest.latest.clusterNodeId(), List.copyOf(liveIds), newest.receivedAt));
    });
    return nodes;
  }

  /**
   * The reply to a stats query: {@code listeners} (totals per listener name over all nodes, departed ones
   * included), {@code nodes} (state and totals per node) and {@code cluster} (how many nodes are live).
   */
  public JsonObject toJson(String answeringNode, ClusterView view) {
    JsonObject listeners = new JsonObject();
    byListener(view).forEach((name, t) -> listeners.put(name, t.toJson()));
    Map<String, Map<String, ListenerTotals>> byNode = byNode(view);
    JsonObject nodes = new JsonObject();
    int live = 0;
    for (NodeState state : nodes(view).values()) {
      JsonObject perListener = new JsonObject();
      byNode.get(state.name()).forEach((name, t) -> perListener.put(name, t.toJson()));
      JsonObject node = new JsonObject().put("state", state.live() ? "live" : "departed");
      if (!state.live()) {
        node.put("reason", state.liveness().jsonName());
      }
      if (state.clusterNodeId() != null) {
        node.put("clusterNodeId", state.clusterNodeId());
      }
      if (state.liveClusterNodeIds().size() > 1) {
        node.put("liveClusterNodeIds", new JsonArray(state.liveClusterNodeIds()));
      }
      node.put("lastSeen", state.lastSeen()).put("listeners", perListener);
      nodes.put(state.name(), node);
      live += state.live() ? 1 : 0;
    }
    JsonObject cluster = new JsonObject()
      .put("clustered", view.clustered())
      .put("liveNodes", live)
      .put("departedNodes", nodes.size() - live);
    if (view.clustered()) {
      cluster.put("members", view.members().size());
    }
    JsonObject reply = new JsonObject()
      .put("node", answeringNode);
    if (view.self() != null) {
      reply.put("clusterNodeId", view.self());
    }
    return reply
      .put("timestamp", view.now())
      .put("cluster", cluster)
      .put("listeners", listeners)
      .put("nodes", nodes);
  }
}
