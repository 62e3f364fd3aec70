package dev.netserver.stats;

import io.vertx.core.Vertx;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * Publishes one listener instance's counters every interval, and once more, marked last, when the
 * instance stops. Runs on the instance's event loop, where the counters live, so reading them needs no lock.
 */
public final class StatsPublisher {

  private final Vertx vertx;
  private final String node;
  private final String listener;
  private final ListenerKind kind;
  private final String protocol;
  private final String instance = UUID.randomUUID().toString();
  private final Supplier<Counters> counters;
  private long timerId = -1;
  private long intervalMs;

  public StatsPublisher(Vertx vertx, String node, String listener, ListenerKind kind, String protocol,
                        Supplier<Counters> counters) {
    this.vertx = vertx;
    this.node = node;
    this.listener = listener;
    this.kind = kind;
    this.protocol = protocol;
    this.counters = counters;
  }

  /** Starts the periodic publication (and publishes once now, so the instance is known at once). */
  public void start(long intervalMs) {
    this.intervalMs = intervalMs;
    publish(false);
    timerId = vertx.setPeriodic(intervalMs, id -> publish(false));
  }

  /** Stops the periodic publication and publishes the final snapshot. */
  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    publish(true);
  }

  public String instance() {
    return instance;
  }

  private void publish(boolean last) {
    StatsSnapshot snapshot = new StatsSnapshot(node, listener, kind, protocol, instance, System.currentTimeMillis(),
      last, counters.get(), ClusterMembership.localNodeId(vertx), intervalMs);
    vertx.eventBus().publish(StatsAddresses.STATS, snapshot.toJson());
  }
}
