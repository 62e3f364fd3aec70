package dev.netserver.reload;

import dev.netserver.config.NetserverConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A reload's comparison of the new configuration with the running one")
class ConfigChangesTest {

  private static final String SOURCE = "conf/config.json";

  static JsonObject base() {
    return new JsonObject()
      .put("node", new JsonObject().put("name", "n1"))
      .put("tcp", new JsonArray()
        .add(new JsonObject().put("name", "greeter").put("protocol", "greeting").put("host", "127.0.0.1").put("port", 7001))
        .add(new JsonObject().put("name", "echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 7002)))
      .put("udp", new JsonArray()
        .add(new JsonObject().put("name", "udp-echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 7001)));
  }

  private static ConfigChanges changes(Consumer<JsonObject> edit) {
    JsonObject next = base();
    edit.accept(next);
    return ConfigChanges.compare(SOURCE, NetserverConfig.read(SOURCE, base()), NetserverConfig.read(SOURCE, next));
  }

  private static JsonObject tcp(JsonObject config, int i) {
    return config.getJsonArray("tcp").getJsonObject(i);
  }

  @Test
  @DisplayName("the same configuration changes nothing and every listener is left alone")
  void same() {
    ConfigChanges c = changes(next -> { });
    assertThat(c.none()).isTrue();
    assertThat(c.unchanged()).containsExactly("greeter", "echo", "udp-echo");
    assertThat(c.refused()).isEmpty();
    assertThat(c.summary()).isEqualTo("nothing changed");
  }

  @Test
  @DisplayName("texts, limits, access lists and timeouts of a TCP listener change in place")
  void inPlace() {
    ConfigChanges c = changes(next -> {
      tcp(next, 0).put("texts", new JsonObject().put("welcome", "Hello, {client}!"));
      tcp(next, 0).put("idleTimeoutSeconds", 5).put("maxLineBytes", 100);
      tcp(next, 1).put("limits", new JsonObject().put("maxConnections", 10));
      tcp(next, 1).put("allow", new JsonArray().add("127.0.0.0/8"));
    });
    assertThat(c.inPlace()).containsOnlyKeys("greeter", "echo");
    assertThat(c.inPlace().get("greeter")).containsExactlyInAnyOrder("texts", "idleTimeoutSeconds", "maxLineBytes");
    assertThat(c.inPlace().get("echo")).containsExactly("guard");
    assertThat(c.rebind()).isEmpty();
    assertThat(c.unchanged()).containsExactly("udp-echo");
    assertThat(c.summary()).isEqualTo("echo changed in place (guard); greeter changed in place (idleTimeoutSeconds, maxLineBytes, texts)");
  }

  @Test
  @DisplayName("a changed port, address, engine, socket option or instance count rebinds, naming only the bind keys")
  void rebind() {
    ConfigChanges c = changes(next -> {
      tcp(next, 0).put("port", 7003).put("texts", new JsonObject().put("welcome", "Hi"));
      tcp(next, 1).put("engine", "vertx");
      next.getJsonArray("udp").getJsonObject(0).put("host", "127.0.0.2");
    });
    assertThat(c.rebind()).containsOnlyKeys("greeter", "echo", "udp-echo");
    assertThat(c.rebind().get("greeter")).containsExactly("binding");
    assertThat(c.rebind().get("echo")).containsExactly("engine");
    assertThat(c.inPlace()).isEmpty();
  }

  @Test
  @DisplayName("a UDP listener's limits and blocked source ports change in place; its maxDatagramBytes rebinds it")
  void udp() {
    ConfigChanges c = changes(next -> next.getJsonArray("udp").getJsonObject(0).put("blockedSourcePorts", "0-1023")
      .put("limits", new JsonObject().put("datagramsPerSecond", 10)));
    assertThat(c.inPlace()).containsEntry("udp-echo", List.of("blockedSourcePorts", "limits"));
    ConfigChanges size = changes(next -> next.getJsonArray("udp").getJsonObject(0).put("maxDatagramBytes", 100));
    assertThat(size.rebind()).containsEntry("udp-echo", List.of("maxDatagramBytes"));
  }

  @Test
  @DisplayName("a removed listener drains, a new one starts, and one that moved from TCP to UDP rebinds")
  void addedRemoved() {
    ConfigChanges c = changes(next -> {
      next.getJsonArray("tcp").remove(1);
      next.getJsonArray("tcp").add(new JsonObject().put("name", "echo2").put("protocol", "echo").put("host", "127.0.0.1").put("port", 7004));
      next.getJsonArray("udp").getJsonObject(0).put("name", "greeter-udp");
    });
    assertThat(c.removed()).containsExactly("echo", "udp-echo");
    assertThat(c.added()).containsExactly("echo2", "greeter-udp");
    assertThat(c.summary()).isEqualTo("echo2 started; greeter-udp started; echo drained; udp-echo drained");

    ConfigChanges kind = changes(next -> {
      next.getJsonArray("tcp").remove(1);
      next.getJsonArray("udp").add(new JsonObject().put("name", "echo").put("protocol", "echo").put("host", "127.0.0.1").put("port", 7002));
    });
    assertThat(kind.rebind()).containsEntry("echo", List.of("kind"));
  }

  @Test
  @DisplayName("keys that only a restart applies refuse the reload, one line each naming the file and the key")
  void refused() {
    ConfigChanges c = changes(next -> {
      next.put("node", new JsonObject().put("name", "n2"));
      next.put("shutdown", new JsonObject().put("graceSeconds", 9));
      next.put("admin", new JsonObject().put("port", 0));
      next.put("transport", "nio");
      next.put("bridge", new JsonObject().put("port", 0));
    });
    assertThat(c.refused()).containsExactlyInAnyOrder(
      "conf/config.json: node.name changed, which only a restart applies; the reload changes nothing (restart netserver, or put node.name back)",
      "conf/config.json: transport changed, which only a restart applies; the reload changes nothing (restart netserver, or put transport back)",
      "conf/config.json: shutdown changed, which only a restart applies; the reload changes nothing (restart netserver, or put shutdown back)",
      "conf/config.json: admin changed, which only a restart applies; the reload changes nothing (restart netserver, or put admin back)",
      "conf/config.json: bridge changed, which only a restart applies; the reload changes nothing (restart netserver, or put bridge back)");
  }

  @Test
  @DisplayName("the in-place sets: TCP texts, guard (limits, access lists, line timeout), idle timeout and line length; UDP limits and blocked source ports")
  void inPlaceSet() {
    assertThat(ConfigChanges.TCP_IN_PLACE).containsExactlyInAnyOrder("texts", "guard", "idleTimeoutSeconds", "maxLineBytes");
    assertThat(ConfigChanges.UDP_IN_PLACE).containsExactlyInAnyOrder("limits", "blockedSourcePorts");
  }
}
