package dev.netserver.admin;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.LogCapture;
import dev.netserver.MainVerticle;
import dev.netserver.cli.CliRun;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("netserver run with an admin object")
class AdminStartTest {

  @Test
  @DisplayName("refuses an admin port on a non-loopback address without a token: exit 78, before anything is bound")
  void nonLoopbackWithoutToken(@TempDir Path dir) throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // a port nobody uses, to prove it stays unbound
    }
    JsonObject config = AdminVerticleTest.config(new JsonObject().put("host", "0.0.0.0").put("port", 0));
    config.getJsonArray("tcp").getJsonObject(0).put("port", port);
    Path file = Files.writeString(dir.resolve("config.json"), config.encodePrettily());
    try (LogCapture log = LogCapture.of(MainVerticle.class)) {
      CliRun run = CliRun.of("-conf", file.toString());
      assertThat(run.exit()).as(run.printed()).isEqualTo(78);
      assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        file + ": admin.host is \"0.0.0.0\", not a loopback address: anyone who can reach it could read the server's"
          + " state, so admin.token is required (every request then needs \"Authorization: Bearer <token>\")",
        "netserver did not start: the configuration has a problem; nothing was bound");
    }
    try (ServerSocket stillFree = new ServerSocket(port)) {
      assertThat(stillFree.getLocalPort()).isEqualTo(port);
    }
  }
}
