package dev.netserver.sockopts;

import dev.netserver.config.ConfigSource;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("netserver sockopts: command line, output formats and exit codes")
@Timeout(60)
class SockoptsCommandTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("an unknown flag prints the usage on err and exits 2")
  void unknownFlag() {
    CommandRun run = CommandRun.of("--verbose");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("netserver sockopts: Unknown option: '--verbose'").contains("Usage: netserver sockopts");
    assertThat(run.out()).isEmpty();
  }

  @Test
  @DisplayName("-conf without a file name is a usage error")
  void confWithoutFile() {
    CommandRun run = CommandRun.of("-conf");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("netserver sockopts: Missing required parameter for option '--conf' (FILE|JSON)");
  }

  @Test
  @DisplayName("-h and --help print the usage with its options and exit statuses on out and exit 0")
  void help() {
    for (String flag : List.of("-h", "--help")) {
      CommandRun run = CommandRun.of(flag);
      assertThat(run.exit()).isZero();
      assertThat(run.out()).startsWith("Usage: netserver sockopts [-h] [--json] [-conf=FILE|JSON]")
        .contains("--json", "one JSON object instead of text tables", "71   the system refused", "78   configuration problem");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  @DisplayName("a configuration with a bad value exits 78 with the problem, naming the file, on err")
  void badConfig() throws IOException {
    Path conf = Files.writeString(dir.resolve("bad.json"),
      "{ \"tcp\": [ { \"name\": \"x\", \"protocol\": \"echo\", \"port\": 70000 } ] }");
    CommandRun run = CommandRun.of("-conf", conf.toString());
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.err()).contains(conf + ": tcp[0].port").contains("70000");
    assertThat(run.out()).isEmpty();
  }

  @Test
  @DisplayName("a configuration file that does not exist exits 78 and says so")
  void missingConfig() {
    Path missing = dir.resolve("nope.json");
    CommandRun run = CommandRun.of("-conf", missing.toString(), "--json");
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.err()).contains(missing + ": cannot read the configuration file: it does not exist");
  }

  @Test
  @DisplayName("--json prints one JSON object with transports, notes, config and listeners in the documented shape")
  void jsonShape() throws IOException {
    Path conf = Files.writeString(dir.resolve("small.json"),
      "{ \"tcp\": [ { \"name\": \"one\", \"protocol\": \"echo\", \"port\": 0 } ],"
        + " \"udp\": [ { \"name\": \"two\", \"protocol\": \"echo\", \"port\": 0 } ] }");
    CommandRun run = CommandRun.of("--json", "-conf", conf.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    JsonObject report = run.json();
    assertThat(report.fieldNames()).containsExactlyInAnyOrder("transports", "notes", "config", "listeners");

    JsonObject nio = CommandRun.transport(report, "nio");
    assertThat(nio.getBoolean("available")).isTrue();
    assertThat(nio.getJsonObject("channels").getString("tcpListener")).isEqualTo("NioServerSocketChannel");
    for (String kind : List.of("tcpListener", "tcpConnection", "udp")) {
      for (JsonObject option : CommandRun.options(report, "nio", kind)) {
        assertThat(option.fieldNames()).containsExactlyInAnyOrder("option", "netty", "nettyConstant", "level", "osLevel",
          "meaning", "value", "default", "configKey", "configNote");
      }
    }

    assertThat(report.getJsonObject("config").getString("source")).isEqualTo(conf.toString());
    assertThat(report.getJsonObject("config").getString("transport")).isEqualTo("auto");
    assertThat(CommandRun.objects(report.getJsonArray("listeners")).map(l -> l.getString("name") + "/" + l.getString("socket")))
      .containsExactly("one/listener", "one/accepted", "two/udp");
    JsonObject accepted = CommandRun.socket(report, "one", "accepted");
    assertThat(accepted.fieldNames()).contains("name", "kind", "index", "configured", "transport", "socket", "options");
    assertThat(accepted.getString("kind")).isEqualTo("tcp");
    CommandRun.objects(accepted.getJsonArray("options")).forEach(o ->
      assertThat(o.fieldNames()).containsExactlyInAnyOrder("key", "config", "option", "netty", "level", "asked", "reported", "effective", "note"));
  }

  @Test
  @DisplayName("plain text lines each table's columns up and carries the SO_BINDTODEVICE note")
  void textTablesAreAligned() throws IOException {
    Path conf = Files.writeString(dir.resolve("text.json"),
      "{ \"tcp\": [ { \"name\": \"one\", \"protocol\": \"echo\", \"port\": 0, \"socket\": { \"trafficClass\": 16 } } ], \"udp\": [] }");
    CommandRun run = CommandRun.of("-conf", conf.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    String text = run.out();
    assertThat(text).contains("Note: SO_BINDTODEVICE is not available in Java/Netty");
    assertThat(text).contains("nio, TCP connection (accepted) (NioSocketChannel)");
    assertThat(text).contains("one (tcp[0], 0.0.0.0:0), accepted socket on ");

    List<String> lines = text.lines().toList();
    int row = lines.indexOf(lines.stream().filter(l -> l.startsWith("  TCP_NODELAY ")).findFirst().orElseThrow());
    int header = row;
    while (!lines.get(header).startsWith("  OPTION ")) {
      header--;
    }
    int keyColumn = lines.get(header).indexOf("CONFIG KEY");
    assertThat(lines.get(row).substring(keyColumn)).startsWith("tcp[].socket.tcpNoDelay ");
    assertThat(lines.get(row).charAt(keyColumn - 1)).isEqualTo(' ');

    String tos = lines.stream().filter(l -> l.startsWith("  tcp[0].socket.trafficClass ")).findFirst().orElseThrow();
    assertThat(tos.split("\\s+")).containsSubsequence("tcp[0].socket.trafficClass", "16", "IP_TOS", "16", "16");
  }

  @Test
  @DisplayName("without -conf it checks conf/config.json when there is one, else the built-in defaults")
  void defaultConfig() {
    CommandRun run = CommandRun.of("--json");
    assertThat(run.exit()).as(run.err()).isZero();
    String expected = Files.isRegularFile(ConfigSource.DEFAULT_FILE) ? ConfigSource.DEFAULT_FILE.toString()
      : ConfigSource.BUILT_IN;
    assertThat(run.json().getJsonObject("config").getString("source")).isEqualTo(expected);
    assertThat(CommandRun.objects(run.json().getJsonArray("listeners")).map(l -> l.getString("name")))
      .contains("greeter", "echo", "udp-echo");
  }
}
