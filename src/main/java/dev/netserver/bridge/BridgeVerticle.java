package dev.netserver.bridge;

import dev.netserver.ListenerStartException;
import dev.netserver.config.Binding;
import dev.netserver.config.BridgeConfig;
import dev.netserver.failure.FailureLog;
import dev.netserver.stats.ClusterMembership;
import dev.netserver.stats.StatsAddresses;
import dev.netserver.vertx.VertxInsides;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Set;
import java.util.Objects;

/**
 * The event bus for programs in other languages ({@code bridge} in the configuration): Vert.x's TCP event bus
 * bridge, whose frames are a 4-byte big-endian length and a JSON object ({@code register}, {@code send},
 * {@code ping}, ...). A client may subscribe to the listeners' snapshots ({@link StatsAddresses#STATS}) and ask the
 * reporting verticle ({@link StatsAddresses#QUERY}); the bridge answers anything else with an error frame
 * {@code {"type": "err", "message": "access_denied"}}, so a client can neither forge snapshots nor read the
 * verticles' own traffic.
 */
public final class BridgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
  /** How long after the listeners' grace period a stop still waits for their last snapshots. */
  public static final long STOP_MARGIN_MS = 2000;
  /** How long the bridge stays open after the last snapshot it waited for, so that its clients get it too. */
  static final long FORWARD_MS = 250;
  /**
   * How often a subscriber's write queue is looked at. The library writes to a subscriber without looking at
   * its queue, so one that stops reading would make the server hold every snapshot from then on; one whose
   * queue is full (Netty's high-water mark, 64 KiB) is closed. At most this long's worth of snapshots more is held.
   */
  static final long SLOW_SUBSCRIBER_CHECK_MS = 1000;

  private final BridgeConfig config;
  private final String node;
  private final long stopWaitMs;
  /** This process's listener instances still publishing: the bridge stays open at a stop until they all sent their last. */
  private final Set<String> publishing = new HashSet<>();
  /** The connections that subscribed, each watched for a full write queue until it closes. */
  private final Set<NetSocket> watched = new HashSet<>();
  private MessageConsumer<Object> tracker;
  private Promise<Void> stopping;
  private TcpEventBusBridge bridge;
  private FailureLog failures;
  private volatile int actualPort = -1;

  /**
   * @param node       this process's node name: whose last snapshots a stop waits for
   * @param stopWaitMs how long a stop waits at most for them (the listeners' grace period and a margin)
   */
  public BridgeVerticle(BridgeConfig config, String node, long stopWaitMs) {
    this.config = Objects.requireNonNull(config, "config");
    this.node = Objects.requireNonNull(node, "node");
    this.stopWaitMs = stopWaitMs;
  }

  /** What crosses the bridge: snapshots out, stats queries in; nothing else either way. */
  static BridgeOptions permissions() {
    return new BridgeOptions()
      .addOutboundPermitted(new PermittedOptions().setAddress(StatsAddresses.STATS))
      .addInboundPermitted(new PermittedOptions().setAddress(StatsAddresses.QUERY));
  }

  @Override
  public Future<?> start() {
    // The library throws from its frame parser on a frame of an unknown type: without this, Vert.x logs a stack
    // trace for it and for every later read of that connection (the parser stays on the bad frame).
    failures = new FailureLog(LOG, "bridge");
    context.exceptionHandler(e -> {
      if (e instanceof IllegalArgumentException) {
        failures.warn("bad frame", () -> "a client sent a frame the bridge cannot handle (" + e.getMessage()
          + "); that connection gets no more answers");
      } else {
        failures.report(e, "a client's connection");
      }
    });
    tracker = vertx.eventBus().consumer(StatsAddresses.STATS, this::track);
    bridge = TcpEventBusBridge.create(vertx, permissions(), new NetServerOptions().setHost(config.address()).setPort(config.port()),
      this::event);
    return bridge.listen()
      .onSuccess(b -> {
        actualPort = boundPort(b, config.port());
        LOG.info("bridge: TCP event-bus bridge is running on {} (netserver.stats out, netserver.stats.query in)",
          Binding.hostAndPort(config.address(), actualPort));
      })
      .recover(e -> Future.failedFuture(new ListenerStartException("bridge: cannot listen on TCP "
        + Binding.hostAndPort(config.address(), config.port()) + ": " + e.getMessage(), e)));
  }

  /**
   * A stop waits (at most {@code stopWaitMs}) until this process's listeners have sent their last snapshots, so
   * that a client sees them, as the log's final summary does; then it closes the bridge and its connections.
   */
  @Override
  public Future<?> stop() {
    stopping = Promise.promise();
    if (publishing.isEmpty()) {
      stopping.tryComplete();
    }
    long timer = vertx.setTimer(Math.max(1, stopWaitMs), id -> stopping.tryComplete());
    return stopping.future()
      .compose(v -> {
        vertx.cancelTimer(timer);
        return tracker.unregister();
      })
      .compose(v -> bridge == null ? Future.succeededFuture() : bridge.close());
  }

  /** Every frame a client sends passes here (the permissions are checked after); a subscriber gets its watch. */
  private void event(BridgeEvent event) {
    if (event.type() == BridgeEventType.REGISTER && watched.add(event.socket())) {
      NetSocket socket = event.socket();
      long timer = vertx.setPeriodic(SLOW_SUBSCRIBER_CHECK_MS, id -> {
        if (socket.writeQueueFull()) {
          failures.warn("slow subscriber", () -> "closed a subscriber at " + socket.remoteAddress()
            + " that stopped reading (its write queue was full)");
          VertxInsides.abort(socket); // not close(): that would first write out all it holds

        }
      });
      socket.closeHandler(v -> {
        vertx.cancelTimer(timer);
        watched.remove(socket);
      });
    }
    event.complete(true);
  }

  private void track(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || !node.equals(body.getString("node"))
      || !Objects.equals(body.getString("clusterNodeId"), ClusterMembership.localNodeId(vertx))) {
      return; // not one of this process's listeners
    }
    String instance = body.getString("instance");
    if (body.getBoolean("last", false)) {
      publishing.remove(instance);
      if (stopping != null && publishing.isEmpty()) {
        // the bridge's consumers for its clients may run on other event loops: a moment for them to forward it
        vertx.setTimer(FORWARD_MS, v -> stopping.tryComplete());
      }
    } else if (instance != null) {
      publishing.add(instance);
    }
  }

  /** The port the bridge listens on (the configured one, or the ephemeral one for port 0); -1 before start. */
  public int actualPort() {
    return actualPort;
  }

  /**
   * The bound port. {@link TcpEventBusBridge} does not expose its {@link NetServer}, so for port 0 (tests, and an
   * operator who wants any free port) the server is read from the implementation's field of that type; should a
   * later version hide it, the configured port stands.
   */
  private static int boundPort(TcpEventBusBridge bridge, int configured) {
    if (configured != 0) {
      return configured;
    }
    for (Class<?> c = bridge.getClass(); c != null; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (NetServer.class.isAssignableFrom(f.getType())) {
          try {
            f.setAccessible(true);
            return ((NetServer) f.get(bridge)).actualPort();
          } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("bridge: cannot read the bound port", e);
            return configured;
          }
        }
      }
    }
    return configured;
  }
}
