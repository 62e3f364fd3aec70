package dev.netserver;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("Hot reload of the packaged server")
class ReloadIT {

  private static final int CLIENTS = 100;

  @TempDir
  Path dir;

  @Test
  @DisplayName("100 clients hold echo connections while SIGHUP changes the greeting and adds a listener: none drops,"
    + " new greetings use the new text, the new listener answers")
  void reloadUnderLoad() throws IOException {
    Path file = dir.resolve("config.json");
    JsonObject config = NetserverIT.loopbackConfig();
    Files.writeString(file, config.encodePrettily());
    try (ServerProcess server = ServerProcess.jar("-conf", file.toString())) {
      int greeter = server.port("greeter");
      int echo = server.port("echo");
      List<TestClient> held = new ArrayList<>();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          TestClient c = TestClient.connect(echo);
          held.add(c);
          assertThat(c.send("before " + i + "\n").readUntil("\n")).isEqualTo("before " + i + "\n");
        }

        JsonObject next = config.copy();
        next.getJsonArray("tcp").getJsonObject(0).put("texts", new JsonObject().put("welcome", "Reloaded, {client}"));
        next.getJsonArray("tcp").add(new JsonObject().put("name", "echo2").put("protocol", "echo").put("host", "127.0.0.1").put("port", 0));
        Files.writeString(file, next.encodePrettily());
        server.signal("HUP");
        int echo2 = server.port("echo2");
        server.awaitLine("reload \\(SIGHUP\\): greeter changed in place \\(texts\\); echo2 started$");

        for (int i = 0; i < CLIENTS; i++) {
          assertThat(held.get(i).send("after " + i + "\n").readUntil("\n")).as("client %d", i).isEqualTo("after " + i + "\n");
        }
        try (TestClient c = TestClient.connect(greeter)) {
          assertThat(c.readUntil(": ")).isEqualTo("Reloaded, 127.0.0.1:" + c.localPort() + "\nPlease enter a string: ");
        }
        try (TestClient c = TestClient.connect(echo2)) {
          assertThat(c.send("new").read(3)).isEqualTo("new");
        }
      } finally {
        held.forEach(TestClient::close);
      }
      assertThat(server.terminate()).isEqualTo(143);
      assertThat(server.output()).doesNotContain("ERROR");
    }
  }
}
