package dev.netserver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static dev.netserver.config.Configs.tcpListener;
import static dev.netserver.config.Configs.tcpProblems;
import static dev.netserver.config.Configs.withTcp;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A TCP listener with a custom protocol (handler:ClassName)")
class HandlerConfigTest {

  private static final String UPPER = "handler:dev.netserver.plugins.UpperEcho";

  @Test
  @DisplayName("names its class and options, and runs on the vertx engine when auto")
  void read() {
    TcpListenerConfig t = Configs.read(withTcp(tcpListener("{'protocol': '" + UPPER + "', 'options': {'greeting': 'hi'}}"))).tcp().get(0);
    assertThat(t.protocol()).isEqualTo(TcpProtocol.HANDLER);
    assertThat(t.handler()).isEqualTo(new HandlerProtocol("dev.netserver.plugins.UpperEcho", Configs.json("{'greeting': 'hi'}")));
    assertThat(t.protocolName()).isEqualTo(UPPER);
    assertThat(t.engine()).isEqualTo(Engine.AUTO);
    assertThat(t.engineInUse()).isEqualTo(Engine.VERTX);
    assertThat(t.vertxOnlySettings()).containsExactly("protocol");
  }

  @Test
  @DisplayName("a class with a no-argument constructor needs no options")
  void noOptions() {
    TcpListenerConfig t = Configs.read(withTcp(tcpListener("{'protocol': 'handler:dev.netserver.plugins.Silent', 'engine': 'vertx'}"))).tcp().get(0);
    assertThat(t.handler().options()).isNull();
    assertThat(t.engineInUse()).isEqualTo(Engine.VERTX);
  }

  @Test
  @DisplayName("on the direct engine is an error naming the key and the engine")
  void directRefused() {
    assertThat(tcpProblems("{'protocol': '" + UPPER + "', 'engine': 'direct'}")).containsExactly(
      "conf/config.json: tcp[0].protocol needs \"engine\": \"vertx\" (or \"auto\"); the \"direct\" engine cannot honour it");
  }

  @Test
  @DisplayName("a class not on the class path is an error naming the listener's path")
  void missingClass() {
    assertThat(tcpProblems("{'protocol': 'handler:com.example.Nowhere'}")).containsExactly(
      "conf/config.json: tcp[0].protocol names class com.example.Nowhere, which is not on the class path (add its jar to plugins/)");
  }

  @Test
  @DisplayName("a class that is no Handler<NetSocket> is an error, found without initialising the class")
  void wrongType() {
    assertThat(tcpProblems("{'protocol': 'handler:dev.netserver.plugins.NotAHandler'}")).containsExactly(
      "conf/config.json: tcp[0].protocol names class dev.netserver.plugins.NotAHandler, which is not a concrete class"
        + " implementing io.vertx.core.Handler<NetSocket>");
  }

  @Test
  @DisplayName("a class without a usable constructor is an error")
  void noConstructor() {
    assertThat(tcpProblems("{'protocol': 'handler:dev.netserver.plugins.NoUsableConstructor'}")).containsExactly(
      "conf/config.json: tcp[0].protocol names class dev.netserver.plugins.NoUsableConstructor, which has no public"
        + " constructor taking no argument or a JsonObject");
  }

  @Test
  @DisplayName("options for a class without a JsonObject constructor are an error")
  void optionsWithoutJsonConstructor() {
    assertThat(tcpProblems("{'protocol': 'handler:dev.netserver.plugins.Silent', 'options': {'a': 1}}")).containsExactly(
      "conf/config.json: tcp[0].protocol names class dev.netserver.plugins.Silent, which has no public constructor"
        + " taking a JsonObject (the listener has \"options\")");
  }

  @Test
  @DisplayName("options on a built-in protocol are an error; options must be an object")
  void optionsMisplaced() {
    assertThat(tcpProblems("{'protocol': 'echo', 'options': {'a': 1}}")).containsExactly(
      "conf/config.json: tcp[0].options applies only to a \"handler:ClassName\" protocol (this listener's protocol is built in)");
    assertThat(tcpProblems("{'protocol': '" + UPPER + "', 'options': 3}")).containsExactly(
      "conf/config.json: tcp[0].options must be an object (was 3)");
  }

  @Test
  @DisplayName("handler: without a class, or the bare word handler, is an error")
  void noClassName() {
    assertThat(tcpProblems("{'protocol': 'handler:'}")).containsExactly(
      "conf/config.json: tcp[0].protocol names no class (write \"handler:com.example.MyHandler\")");
    assertThat(tcpProblems("{'protocol': 'handler'}")).containsExactly(
      "conf/config.json: tcp[0].protocol must be one of greeting, echo (was \"handler\")");
  }

  @Test
  @DisplayName("greeting-only settings are refused on a handler protocol")
  void greetingOnly() {
    assertThat(tcpProblems("{'protocol': '" + UPPER + "', 'maxLineBytes': 10}")).containsExactly(
      "conf/config.json: tcp[0].maxLineBytes applies only to protocol \"greeting\" (this listener's protocol is \"" + UPPER + "\")");
  }
}
