package dev.netserver.bridge;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.ListenerStartException;
import dev.netserver.LogCapture;
import dev.netserver.config.BridgeConfig;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.ShutdownConfig;
import dev.netserver.config.StatsConfig;
import dev.netserver.stats.Counter;
import dev.netserver.stats.Counters;
import dev.netserver.stats.ListenerKind;
import dev.netserver.stats.StatsAddresses;
import dev.netserver.stats.StatsReporterVerticle;
import dev.netserver.stats.StatsSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.netserver.Await.await;
import static dev.netserver.Await.awaitFailure;
import static dev.netserver.bridge.BridgeClient.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bridge on an ephemeral loopback port with the real reporting verticle behind it, and a plain-socket client. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The TCP event bus bridge")
class BridgeVerticleTest {

  private static final JsonObject ACCESS_DENIED = new JsonObject().put("type", "err").put("message", "access_denied");

  private BridgeVerticle bridge;
  private BridgeClient client;

  @BeforeEach
  void deploy(Vertx vertx) {
    await(vertx.deployVerticle(new StatsReporterVerticle(new ListenerRuntime("bridge-node", new StatsConfig(1000, 0),
      new ShutdownConfig(0)))));
    bridge = new BridgeVerticle(new BridgeConfig("127.0.0.1", "127.0.0.1", 0), "bridge-node", 0);
    await(vertx.deployVerticle(bridge));
    client = BridgeClient.connect(bridge.actualPort());
  }

  @AfterEach
  void close() {
    client.close();
  }

  private static JsonObject snapshot(long accepted) {
    return snapshot(accepted, false);
  }

  private static JsonObject snapshot(long accepted, boolean last) {
    return new StatsSnapshot("bridge-node", "echo", ListenerKind.TCP, "echo", "i1", System.currentTimeMillis(), last,
      Counters.ZERO.with(Counter.CONNECTIONS_ACCEPTED, accepted)).toJson();
  }

  /** A permitted query's round trip: what the bridge did with the frames before it has been done. */
  private JsonObject query() {
    return client.send(frame("send", StatsAddresses.QUERY).put("replyAddress", "my-reply").put("body", new JsonObject()))
      .read("message");
  }

  @Test
  @DisplayName("says at start on which address and port it runs")
  void startLine(Vertx vertx) {
    try (LogCapture log = LogCapture.of(BridgeVerticle.class)) {
      BridgeVerticle other = new BridgeVerticle(new BridgeConfig("127.0.0.1", "127.0.0.1", 0), "bridge-node", 0);
      await(vertx.deployVerticle(other));
      assertThat(other.actualPort()).isPositive().isNotEqualTo(bridge.actualPort());
      assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly("bridge: TCP event-bus bridge"
        + " is running on 127.0.0.1:" + other.actualPort() + " (netserver.stats out, netserver.stats.query in)");
    }
  }

  @Test
  @DisplayName("a client registered on netserver.stats receives the listeners' snapshots as message frames")
  void subscribe(Vertx vertx) {
    client.send(frame("register", StatsAddresses.STATS));
    // the registration completes on the bridge's loop at a moment the client cannot see: publish until one arrives
    long timer = vertx.setPeriodic(20, id -> vertx.eventBus().publish(StatsAddresses.STATS, snapshot(7)));
    try {
      JsonObject message = client.read("message");
      assertThat(message.getString("address")).isEqualTo(StatsAddresses.STATS);
      assertThat(message.getBoolean("send")).as("a publication").isFalse();
      JsonObject body = message.getJsonObject("body");
      assertThat(body.getString("listener")).isEqualTo("echo");
      assertThat(body.getJsonObject("counters").getLong("connectionsAccepted")).isEqualTo(7);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  @Test
  @DisplayName("a stop keeps the bridge open until this node's listeners have sent their last snapshots, then closes it")
  void stopWaitsForLastSnapshots(Vertx vertx) {
    BridgeVerticle waiting = new BridgeVerticle(new BridgeConfig("127.0.0.1", "127.0.0.1", 0), "bridge-node", 30_000);
    String id = await(vertx.deployVerticle(waiting));
    try (BridgeClient watcher = BridgeClient.connect(waiting.actualPort())) {
      watcher.send(frame("register", StatsAddresses.STATS));
      long timer = vertx.setPeriodic(20, t -> vertx.eventBus().publish(StatsAddresses.STATS, snapshot(1)));
      try {
        watcher.read("message");
      } finally {
        vertx.cancelTimer(timer);
      }
      Future<Void> stopped = vertx.undeploy(id);
      assertThat(watcher.send(frame("ping", null)).read("pong")).as("still open while i1 publishes").isNotNull();
      assertThat(stopped.isComplete()).isFalse();
      vertx.eventBus().publish(StatsAddresses.STATS, snapshot(2, true));
      JsonObject last;
      do {
        last = watcher.read("message").getJsonObject("body");
      } while (!last.getBoolean("last"));
      assertThat(last.getJsonObject("counters").getLong("connectionsAccepted")).isEqualTo(2);
      await(stopped);
      assertThatThrownBy(watcher::read).as("closed after the last snapshot").isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  @DisplayName("a send to netserver.stats.query with a replyAddress gets the reporting verticle's answer")
  void queryAnswered(Vertx vertx) {
    vertx.eventBus().publish(StatsAddresses.STATS, snapshot(3));
    // the reporting verticle may see the snapshot after the first query: ask until it counts
    JsonObject reply;
    do {
      reply = query();
      assertThat(reply.getString("address")).isEqualTo("my-reply");
    } while (!reply.getJsonObject("body").getJsonObject("listeners").containsKey("echo"));
    assertThat(reply.getJsonObject("body").getString("node")).isEqualTo("bridge-node");
    assertThat(reply.getJsonObject("body").getJsonObject("listeners").getJsonObject("echo").getJsonObject("counters")
      .getLong("connectionsAccepted")).isEqualTo(3);
  }

  @Test
  @DisplayName("a subscriber that stops reading is closed once its write queue is full (one WARN); the server holds no more for it")
  void slowSubscriberClosed(Vertx vertx) throws IOException {
    try (LogCapture log = LogCapture.of(BridgeVerticle.class); Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096); // before connecting: the window it offers stays small
      slow.connect(new InetSocketAddress("127.0.0.1", bridge.actualPort()), BridgeClient.TIMEOUT_MS);
      slow.setSoTimeout(BridgeClient.TIMEOUT_MS);
      DataOutputStream out = new DataOutputStream(slow.getOutputStream());
      for (JsonObject frame : List.of(frame("register", StatsAddresses.STATS), frame("ping", null))) {
        byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
        out.writeInt(json.length);
        out.write(json);
      }
      DataInputStream in = new DataInputStream(slow.getInputStream());
      byte[] pong = new byte[in.readInt()];
      in.readFully(pong); // the pong: the register before it is done
      assertThat(new JsonObject(new String(pong, StandardCharsets.UTF_8)).getString("type")).isEqualTo("pong");
      // far more than the kernel's buffers on both sides hold (each is at most 4 MiB here), and it reads none of it
      JsonObject big = new JsonObject().put("padding", "x".repeat(64 * 1024));
      for (int i = 0; i < 400; i++) {
        vertx.eventBus().publish(StatsAddresses.STATS, big);
      }
      ILoggingEvent closed = log.await(e -> e.getFormattedMessage().contains("stopped reading"));
      assertThat(closed.getLevel()).isEqualTo(Level.WARN);
      // it got what the kernel held, then the end: nothing waits for it any more
      long read = 0;
      byte[] chunk = new byte[64 * 1024];
      for (int n; (n = in.read(chunk)) >= 0; ) {
        read += n;
      }
      assertThat(read).isLessThan(400L * 64 * 1024);
    }
    // the others are still served
    assertThat(client.send(frame("ping", null)).read()).isEqualTo(new JsonObject().put("type", "pong"));
  }

  @Test
  @DisplayName("ping is answered with pong")
  void ping() {
    assertThat(client.send(frame("ping", null)).read()).isEqualTo(new JsonObject().put("type", "pong"));
  }

  @Test
  @DisplayName("a send or publish to any other address, netserver.stats included, gets an access_denied error frame and"
    + " reaches no consumer")
  void inboundRefused(Vertx vertx) {
    AtomicInteger delivered = new AtomicInteger();
    List<MessageConsumer<Object>> consumers = List.of(StatsAddresses.SYNC, StatsAddresses.STATS, "netserver.stats.query.bridge-node",
      "somewhere.else").stream().map(a -> vertx.eventBus().consumer(a, m -> delivered.incrementAndGet())).toList();
    try {
      for (String address : List.of(StatsAddresses.SYNC, "netserver.stats.query.bridge-node", "somewhere.else")) {
        assertThat(client.send(frame("send", address).put("replyAddress", "r").put("body", "x")).read())
          .as("send to " + address).isEqualTo(ACCESS_DENIED);
        assertThat(client.send(frame("send", address).put("body", "x")).read()).as("send to " + address).isEqualTo(ACCESS_DENIED);
      }
      assertThat(client.send(frame("publish", StatsAddresses.STATS).put("body", snapshot(1_000_000))).read())
        .as("forging a snapshot").isEqualTo(ACCESS_DENIED);
      assertThat(client.send(frame("publish", "somewhere.else").put("body", "x")).read()).isEqualTo(ACCESS_DENIED);
      query(); // what reached the event bus has been delivered by the time an answer comes back over it
      assertThat(delivered).hasValue(0);
    } finally {
      consumers.forEach(MessageConsumer::unregister);
    }
  }

  @Test
  @DisplayName("a register on any other address, netserver.stats.query included, gets an access_denied error frame")
  void outboundRefused(Vertx vertx) {
    for (String address : List.of(StatsAddresses.QUERY, StatsAddresses.SYNC, "netserver.stats.query.bridge-node", "somewhere.else")) {
      assertThat(client.send(frame("register", address)).read()).as("register on " + address).isEqualTo(ACCESS_DENIED);
    }
    // and nothing was registered: the refusals were answered in order, so a request now finds no handler
    assertThat(client.send(frame("ping", null)).read()).isEqualTo(new JsonObject().put("type", "pong"));
    Throwable failure = awaitFailure(vertx.eventBus().request("somewhere.else", "x"));
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
  }

  @Test
  @DisplayName("a frame of an unknown type costs one WARN line, not Vert.x's stack traces, and other clients are still served")
  void unknownFrameType() {
    try (LogCapture log = LogCapture.of(BridgeVerticle.class); LogCapture vertxLog = LogCapture.of("io.vertx")) {
      client.send(frame("subscribe", StatsAddresses.STATS)).send(frame("ping", null)).send(frame("ping", null));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (log.events().isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait(); // the line comes from the bridge's event loop; nothing else tells when
      }
      assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly("bridge: a client sent a"
        + " frame the bridge cannot handle (Invalid frame type subscribe); that connection gets no more answers");
      try (BridgeClient other = BridgeClient.connect(bridge.actualPort())) {
        assertThat(other.send(frame("ping", null)).read()).isEqualTo(new JsonObject().put("type", "pong"));
      }
      assertThat(vertxLog.atLeast(Level.WARN)).isEmpty();
    }
  }

  @Test
  @DisplayName("a port in use fails the deployment with a message naming the bridge and the address")
  void portInUse(Vertx vertx) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Throwable failure = awaitFailure(vertx.deployVerticle(new BridgeVerticle(new BridgeConfig("127.0.0.1", "127.0.0.1",
        taken.getLocalPort()), "bridge-node", 0)));
      assertThat(failure).isInstanceOf(ListenerStartException.class)
        .hasMessageStartingWith("bridge: cannot listen on TCP 127.0.0.1:" + taken.getLocalPort() + ": ");
    }
  }
}
