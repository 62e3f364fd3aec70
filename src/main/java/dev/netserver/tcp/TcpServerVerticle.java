package dev.netserver.tcp;

import dev.netserver.config.Binding;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.stats.StatsPublisher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of a TCP listener: a Vert.x {@link NetServer} per bound address, its connections and
 * its counters. Lifecycle and wiring only; each protocol lives in its handler class.
 *
 * <p>Several instances of one listener share its listening socket (Vert.x spreads accepted connections
 * over their event loops). For port 0 they share one ephemeral port through a negative port key,
 * Vert.x's convention for "one random port, shared by everyone using this key".
 */
public final class TcpServerVerticle extends VerticleBase {

  private static final AtomicInteger EPHEMERAL_PORT_KEYS = new AtomicInteger();

  private final TcpListenerConfig config;
  private final ListenerRuntime runtime;
  private final int ephemeralPortKey;
  private final List<NetServer> servers = new ArrayList<>();
  private final TcpStats stats = new TcpStats();
  private volatile List<String> boundAddresses = List.of();
  private volatile List<Integer> boundPorts = List.of();
  private StatsPublisher publisher;

  /**
   * @param ephemeralPortKey from {@link #newEphemeralPortKey()}, the same for every instance of one listener
   */
  public TcpServerVerticle(TcpListenerConfig config, ListenerRuntime runtime, int ephemeralPortKey) {
    this.config = config;
    this.runtime = runtime;
    this.ephemeralPortKey = ephemeralPortKey;
  }

  /** A key for {@code port 0} that no other listener in this JVM uses. */
  public static int newEphemeralPortKey() {
    return EPHEMERAL_PORT_KEYS.incrementAndGet();
  }

  @Override
  public Future<?> start() {
    GreetingProtocol greeting = config.protocol() == TcpProtocol.GREETING ? new GreetingProtocol(config) : null;
    String name = config.name();
    List<Future<NetServer>> listening = new ArrayList<>();
    for (String address : config.binding().addresses()) {
      NetServer server = vertx.createNetServer(config.netServerOptions())
        .connectHandler(socket -> accept(socket, greeting, name));
      servers.add(server);
      int port = config.binding().port() == 0 ? -ephemeralPortKey * 64 - servers.size() : config.binding().port();
      listening.add(server.listen(port, address));
    }
    return Future.all(listening).onSuccess(all -> {
      List<String> bound = new ArrayList<>();
      for (int i = 0; i < servers.size(); i++) {
        bound.add(Binding.hostAndPort(config.binding().addresses().get(i), servers.get(i).actualPort()));
      }
      boundAddresses = List.copyOf(bound);
      boundPorts = servers.stream().map(NetServer::actualPort).toList();
      publisher = new StatsPublisher(vertx, runtime.node(), name, "tcp", config.protocol().configName(), stats::toJson);
      publisher.start(runtime.stats().publishIntervalMs());
    });
  }

  private void accept(NetSocket socket, GreetingProtocol greeting, String name) {
    NetSocketInternal s = (NetSocketInternal) socket;
    TcpConnection connection = greeting != null
      ? new GreetingHandler(s, stats, name, greeting)
      : new EchoHandler(s, stats, name);
    connection.open();
  }

  /** Stops accepting, gives open connections the grace period, closes the rest, publishes the final counts. */
  @Override
  public Future<?> stop() {
    long grace = runtime.shutdown().graceSeconds();
    List<Future<Void>> closing = new ArrayList<>();
    for (NetServer server : servers) {
      closing.add(server.shutdown(grace, TimeUnit.SECONDS));
    }
    return Future.join(closing).andThen(ar -> {
      if (publisher != null) {
        publisher.stop();
      }
    });
  }

  /** The ports actually bound, one per address of the binding; empty until started. */
  public List<Integer> boundPorts() {
    return boundPorts;
  }

  /** The addresses actually bound, as {@code ip:port}; empty until started. */
  public List<String> boundAddresses() {
    return boundAddresses;
  }
}
