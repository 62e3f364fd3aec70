package dev.netserver.stats;

import dev.netserver.config.StatsConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Iterator;
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
 * <p>Memory is bounded by {@link #fold}: an instance gone for good is folded into its node's departed totals
 * and forgotten, so a node restarted any number of times costs what one run of it costs. A silent instance
 * is kept: it may speak again, and it belongs to a process that is still a cluster member, so there are no
 * more of them than the running processes have instances; once its process leaves, it is folded.
 *
 * <p>Pure: the time and the cluster's membership come in as a {@link ClusterView}.
 */
public final class StatsAggregator {

  /** How many publish intervals without a snapshot make another process's instance silent. */
  public static final int SILENT_AFTER_INTERVALS = 3;
  /** The shortest silence that counts, so a short pause (a GC, a busy machine) is not a departure. */
  public static final long SILENT_AFTER_MIN_MS = 2000;
  /**
   * How long an instance whose process left the cluster must have been silent before it is folded (a member
   * list that lags behind a joining process must not fold it), and how long the id of a folded instance is
   * remembered so that a late copy of one of its snapshots (through {@link StatsAddresses#SYNC}, whose
   * exchange takes seconds) is not counted again.
   */
  public static final long FORGET_AFTER_MS = 60_000;

  /** By node name, in the order nodes first reported. */
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  /** Listener names in the order they first reported, over all nodes. */
  private final Set<String> listenerOrder = new LinkedHashSet<>();
  /** Instances folded away, and when (local clock). */
  private final Map<InstanceKey, Long> forgotten = new HashMap<>();
  /** What the folded instances of this aggregator's own process counted, per listener (for {@link #ofProcess}). */
  private final Map<ProcessKey, Map<String, Folded>> ownFolded = new HashMap<>();
  /** Gives each instance its place in the order instances first reported. */
  private long sequence;
  /** Whether departed totals were folded or imported: another import would count them twice. */
  private boolean holdsFolded;

  private record InstanceKey(String node, String instance) {
  }

  private record ProcessKey(String node, String clusterNodeId) {
  }

  private static final class Instance {
    final long seq;
    StatsSnapshot latest;
    Rates rates = Rates.ZERO;
    long receivedAt;

    Instance(long seq) {
      this.seq = seq;
    }
  }

  /** The running totals of a listener's instances that were folded away. */
  private static final class Folded {
    final ListenerKind kind;
    final String protocol;
    Counters totals = Counters.ZERO;

    Folded(ListenerKind kind, String protocol) {
      this.kind = kind;
      this.protocol = protocol;
    }
  }

  private static final class Node {
    final String name;
    final Map<String, Instance> instances = new LinkedHashMap<>();
    /** Listener names in the order they first reported on this node. */
    final Set<String> listeners = new LinkedHashSet<>();
    final Map<String, Folded> folded = new HashMap<>();
    /** The folded instance heard from last: the node's state when none held is newer. */
    Liveness foldedLiveness;
    String foldedClusterNodeId;
    long foldedReceivedAt = Long.MIN_VALUE;
    long foldedSeq = -1;

    Node(String name) {
      this.name = name;
    }

    void addFolded(String listener, ListenerKind kind, String protocol, Counters totals) {
      listeners.add(listener);
      StatsAggregator.addFolded(folded, listener, kind, protocol, totals);
    }

    void heardLast(Liveness liveness, String clusterNodeId, long receivedAt, long seq) {
      if (receivedAt > foldedReceivedAt || (receivedAt == foldedReceivedAt && seq > foldedSeq)) {
        foldedLiveness = liveness;
        foldedClusterNodeId = clusterNodeId;
        foldedReceivedAt = receivedAt;
        foldedSeq = seq;
      }
    }

    boolean empty() {
      return instances.isEmpty() && foldedLiveness == null;
    }
  }

  private static void addFolded(Map<String, Folded> folded, String listener, ListenerKind kind, String protocol,
                                Counters totals) {
    Folded f = folded.computeIfAbsent(listener, l -> new Folded(kind, protocol));
    f.totals = f.totals.plus(totals);
  }

  /**
   * Takes a snapshot in, received at {@code receivedAt} (local clock). An older snapshot than the one held
   * (reordered delivery), anything after an instance's last snapshot, and anything of an instance folded
   * away, is ignored.
   */
  public void record(StatsSnapshot snapshot, long receivedAt) {
    InstanceKey key = new InstanceKey(snapshot.node(), snapshot.instance());
    Long foldedAt = forgotten.get(key);
    if (foldedAt != null) {
      // its counts are in the departed totals already; if it is still talking (a process cut off from the
      // cluster), remember it for longer, so that it never counts twice
      forgotten.put(key, Math.max(foldedAt, receivedAt));
      return;
    }
    Node node = nodes.computeIfAbsent(snapshot.node(), Node::new);
    Instance instance = node.instances.computeIfAbsent(snapshot.instance(), k -> new Instance(sequence++));
    StatsSnapshot previous = instance.latest;
    if (previous != null && (previous.last() || snapshot.timestamp() < previous.timestamp())) {
      return;
    }
    listenerOrder.add(snapshot.listener());
    node.listeners.add(snapshot.listener());
    instance.latest = snapshot;
    instance.rates = previous == null ? Rates.ZERO
      : Rates.between(previous.counters(), snapshot.counters(), snapshot.timestamp() - previous.timestamp());
    instance.receivedAt = receivedAt;
  }

  /** Takes a snapshot in as if received at its own timestamp. */
  public void record(StatsSnapshot snapshot) {
    record(snapshot, snapshot.timestamp());
  }

  /**
   * Folds every instance that is gone for good into its node's departed totals and forgets it: one that sent
   * its last snapshot, and one whose process left the cluster and that has been silent for
   * {@value #FORGET_AFTER_MS} ms. Totals, node states and query replies are the same before and after. Also
   * forgets the ids of instances folded more than {@value #FORGET_AFTER_MS} ms ago.
   */
  public void fold(ClusterView view) {
    forgotten.values().removeIf(at -> view.now() - at > FORGET_AFTER_MS);
    for (Node node : nodes.values()) {
      Iterator<Instance> it = node.instances.values().iterator();
      while (it.hasNext()) {
        Instance instance = it.next();
        Liveness liveness = liveness(instance, view);
        boolean gone = liveness == Liveness.STOPPED
          || liveness == Liveness.LEFT && view.now() - instance.receivedAt > FORGET_AFTER_MS;
        if (gone) {
          StatsSnapshot s = instance.latest;
          Counters totals = s.counters().withoutGauges();
          node.addFolded(s.listener(), s.kind(), s.protocol(), totals);
          node.heardLast(liveness, s.clusterNodeId(), instance.receivedAt, instance.seq);
          if (Objects.equals(s.clusterNodeId(), view.self())) {
            addFolded(ownFolded.computeIfAbsent(new ProcessKey(s.node(), s.clusterNodeId()), p -> new HashMap<>()),
              s.listener(), s.kind(), s.protocol(), totals);
          }
          forgotten.put(new InstanceKey(s.node(), s.instance()), view.now());
          holdsFolded = true;
          it.remove();
        }
      }
    }
  }

  /**
   * How many entries this aggregator holds: instances, ids of folded instances, and folded totals (one per
   * node and listener). What restarts add comes back out through {@link #fold}.
   */
  public int size() {
    int size = forgotten.size();
    for (Node node : nodes.values()) {
      size += node.instances.size() + node.folded.size();
    }
    for (Map<String, Folded> own : ownFolded.values()) {
      size += own.size();
    }
    return size;
  }

  /**
   * Everything this aggregator holds, for a reporting verticle that starts later and would otherwise miss the
   * counts of instances that departed before it: every instance's latest snapshot and how long ago it arrived
   * ({@code ageMs}, so that no two machines' clocks need to agree), the departed totals of the instances
   * folded away, and the ids of those folded recently.
   */
  public JsonObject export(long now) {
    JsonArray instances = new JsonArray();
    JsonArray departed = new JsonArray();
    for (Node node : nodes.values()) {
      for (Instance instance : node.instances.values()) {
        instances.add(new JsonObject().put("snapshot", instance.latest.toJson()).put("ageMs", age(now, instance.receivedAt)));
      }
      if (!node.folded.isEmpty()) {
        JsonObject listeners = new JsonObject();
        node.folded.forEach((name, f) -> listeners.put(name, new JsonObject()
          .put("kind", f.kind.jsonName())
          .put("protocol", f.protocol)
          .put("counters", f.totals.toJson(Counter.totalsOf(f.kind)))));
        JsonObject entry = new JsonObject()
          .put("node", node.name)
          .put("reason", node.foldedLiveness.jsonName())
          .put("ageMs", age(now, node.foldedReceivedAt))
          .put("listeners", listeners);
        if (node.foldedClusterNodeId != null) {
          entry.put("clusterNodeId", node.foldedClusterNodeId);
        }
        departed.add(entry);
      }
    }
    JsonArray forgottenIds = new JsonArray();
    forgotten.forEach((key, at) ->
      forgottenIds.add(new JsonObject().put("node", key.node()).put("instance", key.instance()).put("ageMs", age(now, at))));
    return new JsonObject().put("instances", instances).put("departed", departed).put("forgotten", forgottenIds);
  }

  private static long age(long now, long at) {
    return Math.max(0, now - at);
  }

  /**
   * Takes in what another aggregator {@link #export exported}, as if each snapshot had arrived {@code ageMs}
   * before {@code now}: its departed totals are added, the instances it folded are dropped here (their counts
   * are in those totals) and its snapshots are recorded (those this aggregator has newer ones of are ignored,
   * as always). Malformed entries are skipped.
   *
   * <p>Once, before the first {@link #fold}: departed totals add up, they cannot be merged.
   *
   * @return how many entries were well formed (older snapshots among them are ignored all the same)
   * @throws IllegalStateException when this aggregator already holds departed totals
   */
  public int importFrom(JsonObject exported, long now) {
    if (holdsFolded) {
      throw new IllegalStateException("departed totals are imported once, before the first fold");
    }
    int taken = 0;
    for (Object entry : exported.getJsonArray("departed", new JsonArray())) {
      taken += importEntry(() -> importDeparted((JsonObject) entry, now));
    }
    for (Object entry : exported.getJsonArray("forgotten", new JsonArray())) {
      taken += importEntry(() -> {
        JsonObject json = (JsonObject) entry;
        InstanceKey key = new InstanceKey(Objects.requireNonNull(json.getString("node")),
          Objects.requireNonNull(json.getString("instance")));
        Node node = nodes.get(key.node());
        if (node != null) {
          node.instances.remove(key.instance());
        }
        forgotten.put(key, now - Math.max(0, json.getLong("ageMs", 0L)));
      });
    }
    for (Object entry : exported.getJsonArray("instances", new JsonArray())) {
      taken += importEntry(() -> {
        JsonObject json = (JsonObject) entry;
        record(StatsSnapshot.fromJson(json.getJsonObject("snapshot")), now - Math.max(0, json.getLong("ageMs", 0L)));
      });
    }
    return taken;
  }

  private static int importEntry(Runnable importer) {
    try {
      importer.run();
      return 1;
    } catch (ClassCastException | NullPointerException | IllegalArgumentException malformed) {
      return 0; // skipped: one bad entry costs its own counts only
    }
  }

  private void importDeparted(JsonObject json, long now) {
    String name = Objects.requireNonNull(json.getString("node"));
    Liveness reason = Liveness.fromJson(json.getString("reason"));
    JsonObject listeners = Objects.requireNonNull(json.getJsonObject("listeners"));
    Map<String, Folded> read = new LinkedHashMap<>(); // all read before any is added: a bad entry adds nothing
    for (String listener : listeners.fieldNames()) {
      JsonObject l = listeners.getJsonObject(listener);
      Folded f = new Folded(ListenerKind.fromJson(l.getString("kind")), Objects.requireNonNull(l.getString("protocol")));
      f.totals = Counters.fromJson(Objects.requireNonNull(l.getJsonObject("counters"))).withoutGauges();
      read.put(listener, f);
    }
    Node node = nodes.computeIfAbsent(name, Node::new);
    read.forEach((listener, f) -> {
      listenerOrder.add(listener);
      node.addFolded(listener, f.kind, f.protocol, f.totals);
    });
    node.heardLast(reason, json.getString("clusterNodeId"), now - Math.max(0, json.getLong("ageMs", 0L)), sequence++);
    holdsFolded = true;
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
    Node n = nodes.get(node);
    return n == null || n.instances.values().stream()
      .filter(i -> Objects.equals(i.latest.clusterNodeId(), clusterNodeId))
      .allMatch(i -> i.latest.last());
  }

  /**
   * The totals of the listeners of one process: node {@code node} with cluster node id {@code clusterNodeId}
   * ({@code null}: not clustered); earlier processes of the same name left out. Its instances are live until
   * they send their last snapshot. Instances already folded count when they were folded as this process's own.
   */
  public Map<String, ListenerTotals> ofProcess(String node, String clusterNodeId) {
    Node n = nodes.get(node);
    if (n == null) {
      return Map.of();
    }
    Map<String, ListenerTotals> totals = new HashMap<>();
    ownFolded.getOrDefault(new ProcessKey(node, clusterNodeId), Map.of())
      .forEach((listener, f) -> totals(totals, listener, f.kind, f.protocol).addDeparted(f.totals));
    ClusterView own = new ClusterView(0, clusterNodeId, clusterNodeId == null ? null : Set.of(clusterNodeId));
    for (Instance instance : n.instances.values()) {
      if (Objects.equals(instance.latest.clusterNodeId(), clusterNodeId)) {
        add(totals, instance, own);
      }
    }
    return ordered(totals, n.listeners);
  }

  /** Totals per listener name, across all nodes, in the order listeners first reported. */
  public Map<String, ListenerTotals> byListener(ClusterView view) {
    Map<String, ListenerTotals> totals = new HashMap<>();
    for (Node node : nodes.values()) {
      add(totals, node, view);
    }
    return ordered(totals, listenerOrder);
  }

  /** Totals per node, then per listener name. */
  public Map<String, Map<String, ListenerTotals>> byNode(ClusterView view) {
    Map<String, Map<String, ListenerTotals>> byNode = new LinkedHashMap<>();
    for (Node node : nodes.values()) {
      Map<String, ListenerTotals> totals = new HashMap<>();
      add(totals, node, view);
      byNode.put(node.name, ordered(totals, node.listeners));
    }
    return byNode;
  }

  private static void add(Map<String, ListenerTotals> totals, Node node, ClusterView view) {
    node.folded.forEach((listener, f) -> totals(totals, listener, f.kind, f.protocol).addDeparted(f.totals));
    for (Instance instance : node.instances.values()) {
      add(totals, instance, view);
    }
  }

  private static void add(Map<String, ListenerTotals> totals, Instance instance, ClusterView view) {
    StatsSnapshot s = instance.latest;
    totals(totals, s.listener(), s.kind(), s.protocol()).add(s, instance.rates, liveness(instance, view).live());
  }

  private static ListenerTotals totals(Map<String, ListenerTotals> totals, String listener, ListenerKind kind,
                                       String protocol) {
    return totals.computeIfAbsent(listener, name -> new ListenerTotals(name, kind, protocol));
  }

  private static Map<String, ListenerTotals> ordered(Map<String, ListenerTotals> totals, Set<String> order) {
    Map<String, ListenerTotals> ordered = new LinkedHashMap<>();
    for (String name : order) {
      ListenerTotals t = totals.get(name);
      if (t != null) {
        ordered.put(name, t);
      }
    }
    return ordered;
  }

  /** Every node heard of, by name, in the order they first reported. */
  public Map<String, NodeState> nodes(ClusterView view) {
    Map<String, NodeState> states = new LinkedHashMap<>();
    for (Node node : nodes.values()) {
      if (node.empty()) {
        continue;
      }
      // the instance heard from last, held or folded; of two heard at the same time, the one that reported later
      Liveness newest = node.foldedLiveness;
      String newestId = node.foldedClusterNodeId;
      long newestAt = node.foldedReceivedAt;
      long newestSeq = node.foldedSeq;
      Set<String> liveIds = new LinkedHashSet<>();
      boolean live = false;
      for (Instance i : node.instances.values()) {
        Liveness liveness = liveness(i, view);
        if (i.receivedAt > newestAt || (i.receivedAt == newestAt && i.seq > newestSeq)) {
          newest = liveness;
          newestId = i.latest.clusterNodeId();
          newestAt = i.receivedAt;
          newestSeq = i.seq;
        }
        if (liveness.live()) {
          live = true;
          if (i.latest.clusterNodeId() != null) {
            liveIds.add(i.latest.clusterNodeId());
          }
        }
      }
      states.put(node.name, new NodeState(node.name, live ? Liveness.LIVE : newest, newestId, List.copyOf(liveIds), newestAt));
    }
    return states;
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
