package dev.netserver.tcp;

import dev.netserver.config.Engine;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.ShutdownConfig;
import dev.netserver.config.StatsConfig;
import dev.netserver.config.TcpListenerConfig;
import io.vertx.core.Vertx;

import static dev.netserver.Await.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Starts one instance of a TCP listener for a test, publishing stats every 20 ms, with a 1 s grace period. */
final class TcpListeners {

  static final ListenerRuntime RUNTIME = new ListenerRuntime("test-node", new StatsConfig(20, 0), new ShutdownConfig(1));

  private TcpListeners() {
  }

  /** Deploys the listener and returns the port it got (its first address's). */
  static int start(Vertx vertx, TcpListenerConfig config) {
    return deploy(vertx, config).boundPorts().get(0);
  }

  /** Deploys the listener and returns it. */
  static TcpServerVerticle deploy(Vertx vertx, TcpListenerConfig config) {
    TcpServerVerticle verticle = new TcpServerVerticle(config, RUNTIME);
    await(vertx.deployVerticle(verticle));
    return verticle;
  }

  /**
   * Skips a test of what a client's half-close leads to on an engine that cannot report one: Vert.x 5.0.7's
   * NetServer never allows half-closure, so a client's FIN closes the NetSocket and nothing can be answered
   * (docs/DESIGN.md; listed in .ci/skips.py).
   */
  static void assumeHalfClose(Engine engine) {
    assumeTrue(engine != Engine.VERTX, "the vertx engine cannot report a half-close: Vert.x 5.0.7's NetServer closes the"
      + " socket on the client's FIN");
  }
}
