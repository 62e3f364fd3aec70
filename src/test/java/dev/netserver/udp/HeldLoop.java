package dev.netserver.udp;

import io.vertx.core.Vertx;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds a one-event-loop Vert.x's only loop until closed, so that datagrams sent meanwhile wait in the kernel and
 * the server reads them in one wake-up once it is released.
 */
final class HeldLoop implements AutoCloseable {

  private final CountDownLatch release = new CountDownLatch(1);

  HeldLoop(Vertx vertx) throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    vertx.runOnContext(v -> {
      holding.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(holding.await(5, TimeUnit.SECONDS)).as("the event loop is held").isTrue();
  }

  @Override
  public void close() {
    release.countDown();
  }
}
