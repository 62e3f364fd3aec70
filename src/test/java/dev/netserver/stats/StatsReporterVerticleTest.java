package dev.netserver.stats;

import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.ShutdownConfig;
import dev.netserver.config.StatsConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The reporting verticle")
class StatsReporterVerticleTest {

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
    JsonObject reply = await(vertx.eventBus().<JsonObject>request(StatsAddresses.QUERY, null)).body();
    assertThat(reply.getJsonObject("listeners")).isEmpty();
  }
}
