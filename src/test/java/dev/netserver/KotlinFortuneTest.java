package dev.netserver;

import dev.netserver.config.NetserverConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/kotlin-fortune, compiled by the build (kotlin-maven-plugin, test-compile phase), served from its own
 * configuration file: a protocol written in Kotlin, plugged in by class name, as a user would.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("The Kotlin fortune example")
class KotlinFortuneTest {

  @Test
  @DisplayName("served from its configuration: one fortune, lines echoed in upper case, closed on quit, counted")
  void servesFortune(Vertx vertx) throws IOException {
    JsonObject json = new JsonObject(Files.readString(Path.of("examples/kotlin-fortune/config.json")));
    json.getJsonArray("tcp").getJsonObject(0).put("port", 0);
    json.put("stats", new JsonObject().put("publishIntervalMs", 20).put("logIntervalSeconds", 0));
    MainVerticle main = new MainVerticle(NetserverConfig.read("examples/kotlin-fortune/config.json", json), "examples/kotlin-fortune/config.json", 0);
    await(vertx.deployVerticle(main, new DeploymentOptions()));
    try (StatsProbe probe = new StatsProbe(vertx)) {
      try (TestClient client = TestClient.connect(MainVerticleTest.port(main, "fortune"))) {
        assertThat(client.readUntil("\n")).isEqualTo("Fortune favours the event loop.\n");
        client.send("hello kotlin\r\nagain\n");
        assertThat(client.readUntil("AGAIN\n")).isEqualTo("HELLO KOTLIN\nAGAIN\n");
        client.send("quit\n");
        assertThat(client.readToEnd()).isEmpty();
      }
      assertThat(probe.awaitCounter("fortune", "connectionsClosed", 1).counter("errors")).isZero();
    }
  }
}
