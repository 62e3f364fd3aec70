package dev.netserver.tcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.read.ListAppender;
import dev.netserver.LogCapture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The access line's format: its escaping, its duration, its outcomes of a failure, JSON lines, and the default. */
@DisplayName("The access line's format")
class AccessLogFormatTest {

  @Test
  @DisplayName("escapes control characters (C0, DEL, C1), backslash and double quote; leaves other text, UTF-8 included")
  void escape() {
    assertThat(AccessLog.escape("127.0.0.1:5000")).isEqualTo("127.0.0.1:5000");
    assertThat(AccessLog.escape("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
    assertThat(AccessLog.escape("\u0000\u001b[31m\u007f\u0085")).isEqualTo("\\x00\\x1b[31m\\x7f\\x85");
    assertThat(AccessLog.escape("say \"hi\" \\ bye")).isEqualTo("say \\\"hi\\\" \\\\ bye");
    assertThat(AccessLog.escape("héllo.例え")).isEqualTo("héllo.例え");
  }

  @Test
  @DisplayName("gives the duration in milliseconds with three decimals")
  void millis() {
    assertThat(AccessLog.millis(0)).isEqualTo("0.000");
    assertThat(AccessLog.millis(412_345)).isEqualTo("0.412");
    assertThat(AccessLog.millis(12_005_000)).isEqualTo("12.005");
    assertThat(AccessLog.millis(3_050_000_000L)).isEqualTo("3050.000");
  }

  @Test
  @DisplayName("names a client's reset 'reset' (ECONNRESET on a read, EPIPE on a write) and anything else 'error'")
  void failureOutcomes() {
    assertThat(AccessLog.outcome(new SocketException("Connection reset"))).isEqualTo("reset");
    assertThat(AccessLog.outcome(new IOException("recvAddress(..) failed: Connection reset by peer"))).isEqualTo("reset");
    assertThat(AccessLog.outcome(new IOException("writevAddresses(..) failed: Broken pipe"))).isEqualTo("reset");
    assertThat(AccessLog.outcome(new IOException("Connection timed out"))).isEqualTo("error");
    assertThat(AccessLog.outcome(new IllegalStateException("Connection reset"))).isEqualTo("error");
    assertThat(AccessLog.outcome(Refusal.BUSY)).isEqualTo("refused:busy");
    assertThat(AccessLog.outcome(Refusal.LINE_TIMEOUT)).isEqualTo("lineTimeout");
  }

  @Test
  @DisplayName("through logback's JsonEncoder is one JSON object a line, each field a JSON field, client bytes escaped")
  void jsonLines() {
    ILoggingEvent event;
    try (LogCapture access = LogCapture.of(AccessLog.LOGGER)) {
      AccessLog.refused("greeter", InetSocketAddress.createUnresolved("evil\n{\"x\":1}\u0007", 7), "denied", 5);
      assertThat(access.events()).hasSize(1);
      event = access.events().get(0);
    }
    LoggerContext context = new LoggerContext();
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.start();
    String json = new String(encoder.encode(event), StandardCharsets.UTF_8);
    assertThat(json.strip()).doesNotContain("\n").doesNotContain("\r");
    JsonObject line = new JsonObject(json);
    assertThat(line.getString("loggerName")).isEqualTo("netserver.access");
    assertThat(line.getString("level")).isEqualTo("INFO");
    assertThat(line.getLong("timestamp")).isEqualTo(event.getTimeStamp());
    Map<String, Object> fields = new LinkedHashMap<>();
    JsonArray pairs = line.getJsonArray("kvpList");
    for (int i = 0; i < pairs.size(); i++) {
      fields.putAll(pairs.getJsonObject(i).getMap());
    }
    // an unresolved address shows as Java prints it (GreetingProtocol.clientText)
    assertThat(fields).containsOnly(
      Map.entry("listener", "greeter"),
      Map.entry("client", "evil\\n{\\\"x\\\":1}\\x07/<unresolved>:7"),
      Map.entry("durationMs", "0.000"),
      Map.entry("bytesIn", "0"),
      Map.entry("bytesOut", "5"),
      Map.entry("outcome", "refused:denied"));
  }

  @Test
  @DisplayName("conf/logback-access-json.xml writes JSON lines to its file, and nothing of the access log to the server log")
  void jsonConfiguration(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("access.json");
    LoggerContext context = new LoggerContext();
    // as SLF4J's provider does for the context it makes
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.putProperty("access.file", file.toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new File("conf/logback-access-json.xml"));
    ListAppender<ILoggingEvent> serverLog = new ListAppender<>();
    serverLog.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(serverLog);
    AccessLog.write(context.getLogger(AccessLog.LOGGER), "echo", "127.0.0.1:4000", 2_000_000, 3, 3, "closed", null);
    AccessLog.write(context.getLogger(AccessLog.LOGGER), "echo", "127.0.0.1:4001", 0, 0, 0, "refused:rate", null);
    context.stop();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(2);
    JsonObject first = new JsonObject(lines.get(0));
    assertThat(first.getString("loggerName")).isEqualTo("netserver.access");
    assertThat(first.containsKey("message")).isFalse();
    assertThat(pairs(first)).containsExactly("{\"listener\":\"echo\"}", "{\"client\":\"127.0.0.1:4000\"}",
      "{\"durationMs\":\"2.000\"}", "{\"bytesIn\":\"3\"}", "{\"bytesOut\":\"3\"}", "{\"outcome\":\"closed\"}");
    assertThat(pairs(new JsonObject(lines.get(1)))).contains("{\"outcome\":\"refused:rate\"}");
    assertThat(serverLog.list).isEmpty();
  }

  /** A JSON line's kvpList, each pair as JSON text. */
  private static List<String> pairs(JsonObject line) {
    return line.getJsonArray("kvpList").stream().map(pair -> ((JsonObject) pair).encode()).toList();
  }

  @Test
  @DisplayName("is off in the shipped logback.xml")
  void offByDefault() throws Exception {
    LoggerContext shipped = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(shipped);
    configurator.doConfigure(getClass().getResource("/logback.xml"));
    assertThat(shipped.getLogger(AccessLog.LOGGER).getEffectiveLevel()).isEqualTo(Level.OFF);
    assertThat(shipped.getLogger(AccessLog.LOGGER).isInfoEnabled()).isFalse();
    shipped.stop();
  }
}
