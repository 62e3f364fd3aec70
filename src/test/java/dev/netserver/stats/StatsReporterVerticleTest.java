package dev.netserver.stats;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.ShutdownConfig;
import dev.netserver.config.StatsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The reporting verticle")
class StatsReporterVerticleTest {

  /**
   * What the verticle's handlers threw. Vert.x catches an exception from an event-bus handler and only logs
   * it, so without this a test whose handler throws could still pass (a malformed message "ignored" by
   * throwing on it, say): every test fails if anything landed here.
   */
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

  @BeforeEach
  void catchUncaught(Vertx vertx) {
    vertx.exceptionHandler(uncaught::add);
  }

  @AfterEach
  void nothingThrown() {
    assertThat(uncaught).as("exceptions thrown by the verticle's handlers").isEmpty();
  }

  @Test
  @DisplayName("answers a query on netserver.stats.query with what it received on netserver.stats")
  void query(Vertx vertx) {
    await(vertx.deployVerticle(new StatsReporterVerticle(new ListenerRuntime("n1", new StatsConfig(1000, 0), new ShutdownConfig(0)))));
    StatsSnapshot snapshot = new StatsSnapshot("n1", "echo", ListenerKind.TCP, "echo", "i1", System.currentTimeMillis(), false,
      Counters.ZERO.with(Counter.CONNECTIONS_ACCEPTED, 3).with(Counter.BYTES_IN, 42));
    // Publishing and then querying from the same sender: the event bus keeps the order of one sender's messages.
    vertx.eventBus().publish(StatsAddresses.STATS, snapshot.toJson());
    JsonObject reply = await(vertx.eventBus().<JsonObject>request(StatsAddresses.QUERY, null)).body();
    JsonObject echo = reply.getJsonObject("listeners").getJsonObject("echo");
    assertThat(echo.getJsonObject("counters").getLong("connectionsAccepted")).isEqualTo(3);
    assertThat(echo.getJsonObject("counters").getLong("bytesIn")).isEqualTo(42);
    assertThat(reply.getJsonObject("nodes").getJsonObject("n1")).isNotNull();
  }

  @Test
  @DisplayName("answers on its node's own address, netserver.stats.query.<node>, too")
  void nodeQuery(Vertx vertx) {
    await(vertx.deployVerticle(new StatsReporterVerticle(new ListenerRuntime("n1", new StatsConfig(1000, 0), new ShutdownConfig(0)))));
    JsonObject reply = await(vertx.eventBus().<JsonObject>request("netserver.stats.query.n1", null)).body();
    assertThat(reply.getString("node")).isEqualTo("n1");
    assertThat(reply.getJsonObject("cluster").getBoolean("clustered")).isFalse();
  }

  @Test
  @DisplayName("ignores a malformed message instead of failing")
  void malformed(Vertx vertx) {
    await(vertx.deployVerticle(new StatsReporterVerticle(new ListenerRuntime("n1", new StatsConfig(1000, 0), new ShutdownConfig(0)))));
    vertx.eventBus().publish(StatsAddresses.STATS, new JsonObject().put("node", 5));
    vertx.eventBus().publish(StatsAddresses.STATS, new JsonObject().put("counters", "many").put("timestamp", 1));
    JsonObject wrongKind = snapshotJson().put("kind", "sctp");
    vertx.eventBus().publish(StatsAddresses.STATS, wrongKind);
    vertx.eventBus().publish(StatsAddresses.STATS, "not even JSON");
    JsonObject reply = await(vertx.eventBus().<JsonObject>request(StatsAddresses.QUERY, null)).body();
    assertThat(reply.getJsonObject("listeners")).isEmpty();
  }

  /** A well-formed snapshot's JSON, for a test to spoil one field of. */
  private static JsonObject snapshotJson() {
    return new StatsSnapshot("n1", "echo", ListenerKind.TCP, "echo", "i1", System.currentTimeMillis(), false,
      Counters.ZERO.with(Counter.BYTES_IN, 1)).toJson();
  }

  @Test
  @DisplayName("logs a final summary of this node's listeners when it stops, with instances that stopped before")
  void finalSummary(Vertx vertx) {
    String id = await(vertx.deployVerticle(new StatsReporterVerticle(new ListenerRuntime("n1", new StatsConfig(10, 0), new ShutdownConfig(0)))));
    long now = System.currentTimeMillis();
    Counters accepted = Counters.ZERO.with(Counter.CONNECTIONS_ACCEPTED, 3).with(Counter.LINES_ANSWERED, 3);
    // an instance that stopped long before the node (restarted), and the one running until the end
    vertx.eventBus().publish(StatsAddresses.STATS, new StatsSnapshot("n1", "greeter", ListenerKind.TCP, "greeting", "old",
      now, true, accepted).toJson());
    vertx.eventBus().publish(StatsAddresses.STATS, new StatsSnapshot("n1", "greeter", ListenerKind.TCP, "greeting", "new",
      now, false, accepted.with(Counter.CONNECTIONS_ACTIVE, 1)).toJson());
    await(vertx.eventBus().request(StatsAddresses.QUERY, null)); // both taken in: one sender's messages keep their order
    Logger logger = (Logger) LoggerFactory.getLogger(StatsReporterVerticle.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      vertx.eventBus().publish(StatsAddresses.STATS, new StatsSnapshot("n1", "greeter", ListenerKind.TCP, "greeting", "new",
        now + 1, true, accepted.with(Counter.CONNECTIONS_ACCEPTED, 4)).toJson());
      await(vertx.undeploy(id));
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
        .filteredOn(line -> line.startsWith("final: "))
        .singleElement().asString()
        .startsWith("final: greeter tcp: 7 accepted (0 active), ")
        .endsWith(", in 0 B, out 0 B, 6 answered");
    } finally {
      logger.detachAppender(lines);
    }
  }
}
