package dev.netserver;

import dev.netserver.stats.StatsAddresses;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Listens to the stats snapshots on the event bus so a test can wait for the one that shows what it
 * expects (the counters are cumulative, so a later snapshot always catches up).
 */
public final class StatsProbe implements AutoCloseable {

  private final BlockingQueue<StatsSnapshot> received = new LinkedBlockingQueue<>();
  private final MessageConsumer<JsonObject> consumer;

  public StatsProbe(Vertx vertx) {
    consumer = vertx.eventBus().consumer(StatsAddresses.STATS,
      message -> received.add(StatsSnapshot.fromJson(message.body())));
    Await.await(consumer.completion());
  }

  /** The first snapshot of {@code listener} that satisfies {@code condition}, waiting up to the test timeout. */
  public StatsSnapshot await(String listener, Predicate<StatsSnapshot> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.TIMEOUT_SECONDS);
    StatsSnapshot last = null;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        StatsSnapshot s = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
        if (s == null) {
          throw new AssertionError("no snapshot of " + listener + " matched; the last one was " + (last == null ? "none" : last.toJson()));
        }
        if (s.listener().equals(listener)) {
          last = s;
          if (condition.test(s)) {
            return s;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits until {@code listener}'s counter reaches exactly {@code value}. */
  public StatsSnapshot awaitCounter(String listener, String counter, long value) {
    return await(listener, s -> s.counter(counter) == value);
  }

  @Override
  public void close() {
    consumer.unregister();
  }
}
