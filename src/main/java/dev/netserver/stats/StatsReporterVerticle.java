package dev.netserver.stats;

import dev.netserver.config.ListenerRuntime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Receives every listener instance's snapshots on {@link StatsAddresses#STATS} (clustered: those of every
 * node, and at its start what the others already know, through {@link StatsAddresses#SYNC}), answers {@link StatsAddresses#QUERY} and this node's own query address with the aggregate, logs a
 * summary line per listener every {@code stats.logIntervalSeconds} when something changed, and a final
 * summary of this node's listeners when it stops. Clustered, it also logs when a node joins, departs or
 * comes back, and warns when two live processes share a node name.
 */
public final class StatsReporterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(StatsReporterVerticle.class);
  /** How long after the listeners' grace period the final summary still waits for their last counts. */
  private static final long FINAL_WAIT_MARGIN_MS = 2000;
  /** How long a starting reporting verticle waits for another one's counts. */
  private static final long SYNC_TIMEOUT_MS = 5000;

  private final ListenerRuntime runtime;
  private final StatsAggregator aggregator = new StatsAggregator();
  private Map<String, ListenerTotals> lastLogged = new HashMap<>();
  private Map<String, ListenerTotals> lastLoggedOwn = new HashMap<>();
  private int lastLoggedLiveNodes = -1;
  private long lastLogTime;
  private Map<String, NodeState> lastStates = Map.of();
  private Promise<Void> stopping;

  public StatsReporterVerticle(ListenerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Future<?> start() {
    lastLogTime = System.currentTimeMillis();
    int logSeconds = runtime.stats().logIntervalSeconds();
    if (logSeconds > 0) {
      vertx.setPeriodic(logSeconds * 1000L, id -> logChanges());
    }
    // snapshots first, then what the others already know, then answer: a query never sees half a picture.
    // Folding starts after the catch-up: what another reporter folded adds to what this one holds, and
    // would count twice what both had folded.
    return vertx.eventBus().consumer(StatsAddresses.STATS, this::snapshot).completion()
      .compose(v -> vertx.isClustered() ? catchUp() : Future.succeededFuture())
      .onSuccess(v -> vertx.setPeriodic(Math.max(100, Math.min(1000, runtime.stats().publishIntervalMs())), id -> tick()))
      .compose(v -> Future.all(
        vertx.eventBus().consumer(StatsAddresses.QUERY, this::query).completion(),
        vertx.eventBus().consumer(StatsAddresses.nodeQuery(runtime.node()), this::query).completion(),
        vertx.eventBus().consumer(StatsAddresses.SYNC, this::sync).completion()));
  }

  /** Asks a reporting verticle already in the cluster for what it knows; alone in the cluster, there is nothing to ask. */
  private Future<Void> catchUp() {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(SYNC_TIMEOUT_MS);
    return vertx.eventBus().<JsonObject>request(StatsAddresses.SYNC, null, options).transform(ar -> {
      if (ar.succeeded()) {
        int taken = aggregator.importFrom(ar.result().body(), System.currentTimeMillis());
        LOG.debug("took in {} entries (latest snapshots, departed totals) from the cluster", taken);
      } else if (!(ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS)) {
        LOG.warn("could not get the counts of earlier nodes from the cluster ({}); the totals here start from the nodes"
          + " running now", ar.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }

  private void sync(Message<Object> message) {
    message.reply(aggregator.export(System.currentTimeMillis()));
  }

  /** Keeps the aggregator's memory bounded and, clustered, tells the nodes' comings and goings. */
  private void tick() {
    ClusterView view = ClusterView.of(vertx);
    aggregator.fold(view);
    if (view.clustered()) {
      watchNodes(view);
    }
  }

  private void snapshot(Message<Object> message) {
    // anyone may send to the address, anything: a body that is no JSON object is as malformed as a bad field
    if (!(message.body() instanceof JsonObject body)) {
      LOG.debug("ignoring a stats message that is not a JSON object");
      return;
    }
    StatsSnapshot snapshot;
    try {
      snapshot = StatsSnapshot.fromJson(body);
    } catch (IllegalArgumentException e) {
      LOG.debug("ignoring a malformed stats message: {}", e.getMessage());
      return;
    }
    aggregator.record(snapshot, System.currentTimeMillis());
    if (stopping != null && aggregator.allStopped(runtime.node(), ClusterMembership.localNodeId(vertx))) {
      stopping.tryComplete();
    }
  }

  private void query(Message<Object> message) {
    message.reply(aggregator.toJson(runtime.node(), ClusterView.of(vertx)));
  }

  /** Logs every change of a node's state, as the membership view and the snapshots show it. */
  private void watchNodes(ClusterView view) {
    Map<String, NodeState> states = aggregator.nodes(view);
    states.forEach((name, state) -> {
      NodeState before = lastStates.get(name);
      // this process itself: nothing to tell (an earlier process of its name may have been imported as departed)
      boolean itself = state.liveClusterNodeIds().equals(List.of(view.self()));
      if (before == null && state.live() && !itself) {
        LOG.info("node {} is live (cluster node id {})", name, state.clusterNodeId());
      } else if (before != null && before.live() && state.live() && !itself
        && !state.liveClusterNodeIds().contains(before.clusterNodeId())) {
        LOG.info("node {} restarted (cluster node id {}, was {}); the earlier process's counts stay in the cluster totals",
          name, state.clusterNodeId(), before.clusterNodeId());
      } else if (before != null && before.live() && !state.live()) {
        LOG.info("node {} departed: {}; its counts stay in the cluster totals", name, why(state.liveness()));
      } else if (before != null && !before.live() && state.live() && !itself) {
        LOG.info("node {} is live again (cluster node id {})", name, state.clusterNodeId());
      } else if (before != null && !before.live() && !state.live() && before.liveness() != state.liveness()) {
        LOG.info("node {}, departed: {}", name, why(state.liveness()));
      }
      List<String> ids = state.liveClusterNodeIds();
      if (ids.size() > 1 && (before == null || !before.liveClusterNodeIds().equals(ids))) {
        LOG.warn("node name {} is used by {} live processes (cluster node ids {}): their counts add up under one name;"
          + " give each node its own node.name", name, ids.size(), String.join(", ", ids));
      }
    });
    lastStates = states;
  }

  private static String why(Liveness liveness) {
    return switch (liveness) {
      case STOPPED -> "it stopped";
      case LEFT -> "it left the cluster (stopped, died or cut off)";
      case SILENT -> "nothing arrived from it for " + StatsAggregator.SILENT_AFTER_INTERVALS + " publish intervals";
      case LIVE -> "it is live";
    };
  }

  private void logChanges() {
    ClusterView view = ClusterView.of(vertx);
    long elapsedMs = view.now() - lastLogTime;
    Map<String, ListenerTotals> current = aggregator.byListener(view);
    String prefix = "";
    int liveNodes = -1;
    if (view.clustered()) {
      liveNodes = (int) aggregator.nodes(view).values().stream().filter(NodeState::live).count();
      prefix = "cluster (" + liveNodes + " live node" + (liveNodes == 1 ? "" : "s") + "): ";
    }
    boolean nodesChanged = liveNodes != lastLoggedLiveNodes;
    for (Map.Entry<String, ListenerTotals> e : current.entrySet()) {
      ListenerTotals totals = e.getValue();
      ListenerTotals previous = lastLogged.get(e.getKey());
      Counters before = previous == null ? Counters.ZERO : previous.counters();
      if (!before.equals(totals.counters()) || (nodesChanged && view.clustered())) {
        LOG.info("{}{}", prefix, SummaryLine.of(totals, previous, elapsedMs));
      }
    }
    lastLogged = current;
    lastLoggedOwn = aggregator.ofProcess(runtime.node(), view.self());
    lastLoggedLiveNodes = liveNodes;
    lastLogTime = view.now();
  }

  /** Waits (bounded) for the listeners of this node to send their last counts, then logs the final summary. */
  @Override
  public Future<?> stop() {
    stopping = Promise.promise();
    String self = ClusterMembership.localNodeId(vertx);
    if (aggregator.allStopped(runtime.node(), self)) {
      stopping.tryComplete();
    }
    long wait = runtime.shutdown().graceSeconds() * 1000L + FINAL_WAIT_MARGIN_MS;
    long timer = vertx.setTimer(wait, id -> stopping.tryComplete());
    return stopping.future().andThen(ar -> {
      vertx.cancelTimer(timer);
      long elapsedMs = System.currentTimeMillis() - lastLogTime;
      // what this process did; clustered, the other nodes report their own
      aggregator.ofProcess(runtime.node(), self)
        .forEach((name, totals) -> LOG.info("final: {}", SummaryLine.of(totals, lastLoggedOwn.get(name), elapsedMs)));
    });
  }
}
