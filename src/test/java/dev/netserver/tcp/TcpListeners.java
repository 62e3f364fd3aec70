package dev.netserver.tcp;

import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.ShutdownConfig;
import dev.netserver.config.StatsConfig;
import dev.netserver.config.TcpListenerConfig;
import io.vertx.core.Vertx;

import static dev.netserver.Await.await;

/** Starts one instance of a TCP listener for a test, publishing stats every 20 ms, with a 1 s grace period. */
final class TcpListeners {

  static final ListenerRuntime RUNTIME = new ListenerRuntime("test-node", new StatsConfig(20, 0), new ShutdownConfig(1));

  private TcpListeners() {
  }

  /** Deploys the listener and returns the port it got (its first address's). */
  static int start(Vertx vertx, TcpListenerConfig config) {
    TcpServerVerticle verticle = new TcpServerVerticle(config, RUNTIME);
    await(vertx.deployVerticle(verticle));
    return verticle.boundPorts().get(0);
  }
}
