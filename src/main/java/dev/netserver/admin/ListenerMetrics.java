package dev.netserver.admin;

import dev.netserver.stats.ClusterMembership;
import dev.netserver.stats.ClusterView;
import dev.netserver.stats.Counter;
import dev.netserver.stats.ListenerTotals;
import dev.netserver.stats.StatsAddresses;
import dev.netserver.stats.StatsAggregator;
import dev.netserver.stats.StatsSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * netserver's counters as Micrometer meters: one per listener and {@link Counter}, tagged {@code node},
 * {@code listener}, {@code protocol} and {@code engine} (and {@code reason}, see {@link MetricNames}). Fed by the
 * snapshots the listeners already publish on {@link StatsAddresses#STATS}, summed per listener by a
 * {@link StatsAggregator} exactly as the reporting verticle sums them: nothing is counted twice and nothing is
 * added to the data path. Only this process's own snapshots count: clustered, each node exports its own, and the
 * cluster totals stay on {@code /stats}. A listener's meters appear with its first snapshot, so a listener a
 * reload adds is exported too.
 */
final class ListenerMetrics {

  /** How often instances gone for good are folded into their listener's totals (the aggregator's memory bound). */
  static final long FOLD_INTERVAL_MS = 10_000;
  static final String UNKNOWN_ENGINE = "unknown";
  static final long SYNC_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final String node;
  private final Function<String, String> engineOf;
  private final StatsAggregator aggregator = new StatsAggregator();
  /** Listener name to the engine its meters are tagged with. */
  private final Map<String, String> exported = new HashMap<>();
  /** Listener name to its meters. */
  private final Map<String, List<Meter>> meters = new HashMap<>();
  /** The latest totals, replaced whole on each snapshot: the meters read them at scrape time, from any thread. */
  private volatile Map<String, ListenerTotals> totals = Map.of();
  private MessageConsumer<Object> consumer;
  private long foldTimer = -1;
  private Promise<Void> stopping;

  /**
   * @param engineOf a listener's engine by its name, for the {@code engine} tag; {@code null} when unknown
   */
  ListenerMetrics(Vertx vertx, MeterRegistry registry, String node, Function<String, String> engineOf) {
    this.vertx = vertx;
    this.registry = registry;
    this.node = node;
    this.engineOf = engineOf;
  }

  /**
   * Subscribes, then takes in what the reporting verticle already holds ({@link StatsAddresses#SYNC}): the
   * listeners published their first snapshots before this started, and would otherwise be missing from
   * {@code /metrics} until their next one.
   */
  Future<Void> start() {
    consumer = vertx.eventBus().consumer(StatsAddresses.STATS, this::snapshot);
    foldTimer = vertx.setPeriodic(FOLD_INTERVAL_MS, id -> {
      aggregator.fold(ClusterView.of(vertx));
      refresh();
    });
    return consumer.completion()
      .compose(v -> vertx.eventBus().<JsonObject>request(StatsAddresses.SYNC, null, new DeliveryOptions().setSendTimeout(SYNC_TIMEOUT_MS)))
      .map(reply -> {
        aggregator.importFrom(reply.body(), System.currentTimeMillis());
        refresh();
        return (Void) null;
      })
      .recover(e -> Future.succeededFuture()); // then the next snapshots bring everything, a publish interval later
  }

  /**
   * Waits (at most {@code maxWaitMs}) until this process's listeners have sent their last snapshots, then stops:
   * the consumer stays registered while they still publish (a consumer unregistered under a stream of messages
   * makes Vert.x warn about each one it discards), and the last counts still reach {@code /metrics}.
   */
  Future<Void> stop(long maxWaitMs) {
    stopping = Promise.promise();
    if (aggregator.allStopped(node, ClusterMembership.localNodeId(vertx))) {
      stopping.tryComplete();
    }
    long timer = vertx.setTimer(maxWaitMs, id -> stopping.tryComplete());
    return stopping.future().compose(v -> {
      vertx.cancelTimer(timer);
      vertx.cancelTimer(foldTimer);
      meters.values().forEach(list -> list.forEach(registry::remove));
      meters.clear();
      exported.clear();
      return consumer.unregister();
    });
  }

  private void snapshot(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body)) {
      return;
    }
    StatsSnapshot snapshot;
    try {
      snapshot = StatsSnapshot.fromJson(body);
    } catch (IllegalArgumentException e) {
      return; // the reporting verticle says so at DEBUG already
    }
    if (!snapshot.node().equals(node) || !Objects.equals(snapshot.clusterNodeId(), ClusterMembership.localNodeId(vertx))) {
      return; // another node's, or an earlier process's of the same name
    }
    aggregator.record(snapshot, System.currentTimeMillis());
    refresh();
    if (stopping != null && aggregator.allStopped(node, snapshot.clusterNodeId())) {
      stopping.tryComplete();
    }
  }

  private void refresh() {
    Map<String, ListenerTotals> now = aggregator.ofProcess(node, ClusterMembership.localNodeId(vertx));
    totals = now;
    now.values().forEach(this::export);
  }

  /**
   * A reload changed the configuration: a listener whose engine changed gets its meters again under the new
   * {@code engine} tag (the counts continue: they are the listener's totals). On this verticle's context.
   */
  void reloaded() {
    for (String name : List.copyOf(exported.keySet())) {
      String engine = engineOf.apply(name);
      if (engine != null && !engine.equals(exported.get(name))) {
        meters.remove(name).forEach(registry::remove);
        exported.remove(name);
      }
    }
    refresh();
  }

  private void export(ListenerTotals listener) {
    String engine = Objects.requireNonNullElse(engineOf.apply(listener.name()), UNKNOWN_ENGINE);
    if (exported.putIfAbsent(listener.name(), engine) != null) {
      return;
    }
    List<Meter> own = meters.computeIfAbsent(listener.name(), n -> new ArrayList<>());
    Tags tags = Tags.of("node", node, "listener", listener.name(), "protocol", listener.protocol(), "engine", engine);
    for (Counter counter : Counter.of(listener.kind())) {
      MetricNames.Name name = MetricNames.of(counter);
      Tags counterTags = name.reason() == null ? tags : tags.and("reason", name.reason());
      String description = name.reason() == null ? "netserver's " + counter.jsonName() + " counter (docs/STATS.md)"
        : "netserver's " + name.metric() + ", by reason (docs/STATS.md)";
      String key = listener.name();
      own.add(counter.gauge()
        ? Gauge.builder(name.metric(), this, m -> m.value(key, counter)).tags(counterTags).description(description)
            .register(registry)
        : FunctionCounter.builder(name.metric(), this, m -> m.value(key, counter)).tags(counterTags)
            .description(description).register(registry));
    }
  }

  private double value(String listener, Counter counter) {
    ListenerTotals t = totals.get(listener);
    return t == null ? 0 : t.counters().get(counter);
  }
}
