package dev.netserver.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.netserver.config.Configs.SOURCE;
import static dev.netserver.config.Configs.json;
import static dev.netserver.config.Configs.problems;
import static dev.netserver.config.Configs.read;
import static dev.netserver.config.Configs.tcpListener;
import static dev.netserver.config.Configs.withTcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The admin configuration")
class AdminConfigTest {

  private static JsonObject withAdmin(String admin) {
    return withTcp(tcpListener("{}")).put("admin", json(admin));
  }

  @Test
  @DisplayName("is off when the configuration has no admin object")
  void offWhenAbsent() {
    assertThat(read(withTcp(tcpListener("{}"))).admin()).isNull();
  }

  @Test
  @DisplayName("an empty admin object listens on 127.0.0.1:9323 without a token")
  void defaults() {
    AdminConfig admin = read(withAdmin("{}")).admin();
    assertThat(admin).isEqualTo(new AdminConfig("127.0.0.1", "127.0.0.1", 9323, null));
    assertThat(admin.requiresToken()).isFalse();
  }

  @Test
  @DisplayName("a host name resolves; any loopback address needs no token")
  void loopbackNames() {
    assertThat(read(withAdmin("{'host': 'localhost', 'port': 0}")).admin().address()).isIn("127.0.0.1", "::1");
    assertThat(read(withAdmin("{'host': '::1'}")).admin().address()).isEqualTo("::1");
  }

  @Test
  @DisplayName("binding anything but loopback without a token is a configuration problem that says why")
  void nonLoopbackNeedsToken() {
    assertThat(problems(withAdmin("{'host': '0.0.0.0'}"))).containsExactly(SOURCE + ": admin.host is \"0.0.0.0\", not a"
      + " loopback address: anyone who can reach it could read the server's state, so admin.token is required (every"
      + " request then needs \"Authorization: Bearer <token>\")");
    assertThat(read(withAdmin("{'host': '0.0.0.0', 'token': 's3cret-Token_1'}")).admin().token()).isEqualTo("s3cret-Token_1");
    assertThatThrownBy(() -> new AdminConfig("0.0.0.0", "0.0.0.0", 9323, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a bad token is a problem that never shows the value; nor does toString")
  void tokenNeverShown() {
    assertThat(problems(withAdmin("{'token': 'has space-secret'}"))).singleElement().asString()
      .startsWith(SOURCE + ": admin.token must be a non-empty string").doesNotContain("secret");
    assertThat(problems(withAdmin("{'token': 12345678}"))).singleElement().asString().doesNotContain("12345678");
    assertThat(problems(withAdmin("{'token': ''}"))).hasSize(1);
    assertThat(new AdminConfig("127.0.0.1", "127.0.0.1", 1, "topsecret").toString()).doesNotContain("topsecret");
  }

  @Test
  @DisplayName("port, host and unknown keys are checked like every other object's")
  void strict() {
    assertThat(problems(withAdmin("{'port': 70000, 'hots': 'x'}"))).containsExactly(
      SOURCE + ": admin.port must be an integer in 0..65535 (was 70000)",
      SOURCE + ": admin.hots is not a known key (did you mean \"host\"?)");
    assertThat(problems(withTcp(tcpListener("{}")).put("admin", "on"))).containsExactly(
      SOURCE + ": admin must be an object (was \"on\")");
    assertThat(problems(withAdmin("{'host': '192.0.2.1', 'token': 'abc'}"))).singleElement().asString()
      .startsWith(SOURCE + ": admin.host must be an address of this machine");
  }
}
