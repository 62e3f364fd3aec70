package dev.netserver.stats;

import dev.netserver.config.ListenerRuntime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Receives every listener instance's snapshots on {@link StatsAddresses#STATS}, answers
 * {@link StatsAddresses#QUERY} with the aggregate, logs a summary line per listener every
 * {@code stats.logIntervalSeconds} when something changed, and a final summary when it stops.
 */
public final class StatsReporterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(StatsReporterVerticle.class);
  /** How long after the listeners' grace period the final summary still waits for their last counts. */
  private static final long FINAL_WAIT_MARGIN_MS = 2000;

  private final ListenerRuntime runtime;
  private final StatsAggregator aggregator = new StatsAggregator();
  private Map<String, ListenerTotals> lastLogged = new HashMap<>();
  private long lastLogTime;
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
    return Future.all(
      vertx.eventBus().<JsonObject>consumer(StatsAddresses.STATS, this::snapshot).completion(),
      vertx.eventBus().consumer(StatsAddresses.QUERY, this::query).completion());
  }

  private void snapshot(Message<JsonObject> message) {
    StatsSnapshot snapshot;
    try {
      snapshot = StatsSnapshot.fromJson(message.body());
    } catch (IllegalArgumentException e) {
      LOG.debug("ignoring a malformed stats message: {}", e.getMessage());
      return;
    }
    aggregator.record(snapshot);
    if (stopping != null && aggregator.allStopped(runtime.node())) {
      stopping.tryComplete();
    }
  }

  private void query(Message<Object> message) {
    message.reply(aggregator.toJson(runtime.node(), System.currentTimeMillis()));
  }

  private void logChanges() {
    long now = System.currentTimeMillis();
    double seconds = (now - lastLogTime) / 1000.0;
    Map<String, ListenerTotals> current = aggregator.byListener();
    current.forEach((name, totals) -> {
      ListenerTotals previous = lastLogged.get(name);
      boolean changed = previous == null
        ? totals.counters().stream().anyMatch(e -> e.getValue() instanceof Number n && n.longValue() != 0)
        : !previous.counters().equals(totals.counters());
      if (changed) {
        LOG.info(SummaryLine.of(totals, previous, seconds));
      }
    });
    lastLogged = current;
    lastLogTime = now;
  }

  /** Waits (bounded) for the listeners of this node to send their last counts, then logs the final summary. */
  @Override
  public Future<?> stop() {
    stopping = Promise.promise();
    if (aggregator.allStopped(runtime.node())) {
      stopping.tryComplete();
    }
    long wait = runtime.shutdown().graceSeconds() * 1000L + FINAL_WAIT_MARGIN_MS;
    long timer = vertx.setTimer(wait, id -> stopping.tryComplete());
    return stopping.future().andThen(ar -> {
      vertx.cancelTimer(timer);
      double seconds = (System.currentTimeMillis() - lastLogTime) / 1000.0;
      aggregator.byListener().forEach((name, totals) ->
        LOG.info("final: {}", SummaryLine.of(totals, lastLogged.get(name), seconds)));
    });
  }
}
