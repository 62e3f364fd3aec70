package dev.netserver.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.netserver.LogCapture;
import dev.netserver.MainVerticle;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
@DisplayName("netserver's command line")
class CliTest {

  /** Every command with the one-line description the top-level help shows for it. */
  static final Map<String, String> COMMANDS = Map.of(
    "run", "Start the server (the default command)",
    "check-config", "Check the configuration and the Hazelcast file it names, then exit (like nginx -t)",
    "sockopts", "List the socket options this machine supports, and what the configured listeners get",
    "stats", "Ask a running cluster for its stats",
    "bench", "Load generator for netserver's protocols; `bench chart` draws its results");

  @TempDir
  Path dir;

  private Path file(String name, JsonObject json) throws IOException {
    return Files.writeString(dir.resolve(name), json.encodePrettily());
  }

  @Test
  @DisplayName("--help lists every command with its one-line description, and the exit statuses")
  void topLevelHelp() {
    for (String flag : List.of("--help", "-h")) {
      CliRun run = CliRun.of(flag);
      assertThat(run.exit()).as(run.printed()).isZero();
      assertThat(run.out()).startsWith("Usage: netserver [-h] [COMMAND]");
      COMMANDS.forEach((command, line) -> assertThat(run.out()).containsPattern("(?m)^  " + command + " +\\Q" + line + "\\E$"));
      assertThat(run.out()).contains("Exit status:").containsPattern("(?m)^  78 +configuration problem")
        .containsPattern("(?m)^  129/130/143 +stopped by SIGHUP, SIGINT \\(Ctrl-C\\) or SIGTERM");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  @DisplayName("COMMAND --help prints that command's usage and exit statuses on out and exits 0")
  void commandHelp() {
    for (String command : COMMANDS.keySet()) {
      CliRun run = CliRun.of(command, "--help");
      assertThat(run.exit()).as(run.printed()).isZero();
      assertThat(run.out()).as(command).startsWith("Usage: netserver " + command + " ")
        .contains(COMMANDS.get(command)).contains("-h, --help").contains("Exit status:");
      assertThat(run.err()).isEmpty();
    }
    assertThat(CliRun.of("bench", "chart", "--help").out()).startsWith("Usage: netserver bench chart ");
  }

  @Test
  @DisplayName("run --help lists netserver's flags and every flag of Vert.x's launcher")
  void runHelp() {
    CliRun run = CliRun.of("run", "--help");
    assertThat(run.out()).contains("-conf, --conf=FILE", "-instances, --instances=N",
      "Vert.x launcher options", "-options, --options, -vertx-options, --vertx-options=FILE|JSON",
      "-c, -cluster, --cluster", "-cluster-host, --cluster-host=HOST", "-cluster-port, --cluster-port=PORT",
      "-cluster-public-host, --cluster-public-host=HOST", "-cluster-public-port, --cluster-public-port=PORT",
      "-deployment-options, --deployment-options=FILE|JSON", "-w, -worker, --worker",
      "-vt, -virtual-thread, --virtual-thread");
    assertThat(CliRun.of("-help").out()).as("the launcher's own spelling").isEqualTo(run.out());
  }

  @Test
  @DisplayName("a flag without its value is a usage error (2), naming the command and the flag, not a configuration error")
  void flagWithoutValue() {
    for (List<String> args : List.of(List.of("-conf"), List.of("run", "-instances"), List.of("check-config", "-conf"),
      List.of("sockopts", "-conf"), List.of("stats", "--node"), List.of("bench", "greet", "--port"))) {
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.exit()).as(args + ": " + run.printed()).isEqualTo(2);
      assertThat(run.err()).as(args.toString()).containsPattern("^netserver \\S+( \\S+)?: Missing required parameter for option '")
        .contains("Try 'netserver ");
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  @DisplayName("an unknown command or flag is a usage error (2); a near miss gets a suggestion")
  void unknownCommandOrFlag() {
    CliRun unknown = CliRun.of("serve");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("netserver: Unmatched argument at index 0: 'serve'");
    assertThat(CliRun.of("stat").err()).contains("Did you mean", "stats");
    CliRun flag = CliRun.of("-verbose");
    assertThat(flag.exit()).isEqualTo(2);
    assertThat(flag.err()).startsWith("netserver run: Unknown option: '-verbose'");
    assertThat(CliRun.of("run", "-instances", "0").err()).startsWith("netserver run: -instances must be a positive integer (was 0)");
  }

  @Test
  @DisplayName("without a command the arguments go to run, whose flags are case-insensitive as the launcher's")
  void runIsTheDefault() throws IOException {
    assertThat(CliRun.of("-instances", "x").err()).startsWith("netserver run: Invalid value for option '--instances': 'x'");
    assertThat(CliRun.of("-INSTANCES", "0").err()).startsWith("netserver run: -instances must be a positive integer");

    Path bad = file("bad.json", new JsonObject().put("tcp", new JsonArray().add(new JsonObject()
      .put("name", "t").put("protocol", "echo").put("host", "127.0.0.1").put("port", 70000))));
    Logger logger = (Logger) LoggerFactory.getLogger(MainVerticle.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      CliRun run = CliRun.of("-conf", bad.toString(), "-cluster");
      assertThat(run.exit()).as("read before Vert.x or a cluster starts").isEqualTo(78);
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        bad + ": tcp[0].port must be an integer in 0..65535 (was 70000)",
        "netserver did not start: the configuration has a problem; nothing was bound");
    } finally {
      logger.detachAppender(lines);
    }
  }

  @Test
  @DisplayName("run reads -options and -deployment-options before anything starts: not a JSON object is one line and 78")
  void runJsonArguments() throws IOException {
    Path good = file("good.json", new JsonObject().put("udp", new JsonArray()));
    try (LogCapture log = LogCapture.of(MainVerticle.class)) {
      assertThat(CliRun.of("-conf", good.toString(), "-options", "{nope").exit()).isEqualTo(78);
      assertThat(CliRun.of("-conf", good.toString(), "-deployment-options", Files.writeString(dir.resolve("x.json"), "[1]").toString()).exit())
        .isEqualTo(78);
      assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(l -> assertThat(l).startsWith("-options: is not a JSON object: "))
        .anySatisfy(l -> assertThat(l).startsWith("-deployment-options: is not a JSON object: "));
    }
  }

  @Test
  @DisplayName("check-config on a valid file prints one OK line naming it and its listeners, and exits 0")
  void checkConfigValid() throws IOException {
    Path good = file("good.json", new JsonObject()
      .put("node", new JsonObject().put("name", "n1"))
      .put("tcp", new JsonArray().add(new JsonObject().put("name", "greeter").put("protocol", "greeting")
        .put("host", "127.0.0.1").put("port", 5000)))
      .put("udp", new JsonArray().add(new JsonObject().put("name", "udp-echo").put("protocol", "echo")
        .put("host", "127.0.0.1").put("port", 5001))));
    CliRun run = CliRun.of("check-config", "-conf", good.toString());
    assertThat(run.exit()).as(run.printed()).isZero();
    assertThat(run.out()).isEqualTo(good + ": OK: node n1, transport auto, listeners greeter (TCP greeting on"
      + " 127.0.0.1:5000, direct engine), udp-echo (UDP echo on 127.0.0.1:5001, direct engine)" + System.lineSeparator());
    assertThat(run.err()).isEmpty();
  }

  @Test
  @DisplayName("check-config names a TLS listener's provider")
  void checkConfigTlsProvider() throws IOException {
    dev.netserver.TestCerts.Pair pair = new dev.netserver.TestCerts(dir).selfSigned("cli", "localhost", 9);
    Path tls = file("tls.json", new JsonObject()
      .put("node", new JsonObject().put("name", "n1"))
      .put("tcp", new JsonArray().add(new JsonObject().put("name", "secure").put("protocol", "greeting")
        .put("host", "127.0.0.1").put("port", 5000)
        .put("tls", new JsonObject().put("certPath", pair.certPath()).put("keyPath", pair.keyPath()).put("provider", "jdk"))))
      .put("udp", new JsonArray()));
    CliRun run = CliRun.of("check-config", "-conf", tls.toString());
    assertThat(run.exit()).as(run.printed()).isZero();
    assertThat(run.out()).isEqualTo(tls + ": OK: node n1, transport auto, listeners secure (TCP greeting on"
      + " 127.0.0.1:5000, vertx engine, TLS by jdk)" + System.lineSeparator());
  }

  @Test
  @DisplayName("check-config takes JSON text for -conf, as Vert.x's launcher does, and names it -conf")
  void checkConfigText() {
    CliRun run = CliRun.of("check-config", "-conf", "{\"node\": {\"name\": \"n1\"}, \"tcp\": [], \"udp\": [{\"name\": \"u\","
      + " \"protocol\": \"echo\", \"host\": \"127.0.0.1\", \"port\": 5001}]}");
    assertThat(run.exit()).as(run.printed()).isZero();
    assertThat(run.out()).startsWith("-conf: OK: node n1");
    run = CliRun.of("check-config", "-conf", "{\"transport\": \"quic\"}");
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.err()).startsWith("-conf: transport must be one of");
  }

  @Test
  @DisplayName("check-config on a file with three mistakes prints three lines naming file, key, rule and value, and exits 78")
  void checkConfigThreeMistakes() throws IOException {
    Path bad = file("bad.json", new JsonObject()
      .put("transport", "quic")
      .put("tcp", new JsonArray().add(new JsonObject().put("name", "greeter").put("protocol", "greeting")
        .put("host", "127.0.0.1").put("port", 70000)))
      .put("udp", new JsonArray().add(new JsonObject().put("name", "udp-echo").put("protocol", "echo")
        .put("host", "127.0.0.1").put("port", 0).put("instances", 0))));
    CliRun run = CliRun.of("check-config", "-conf", bad.toString());
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.out()).isEmpty();
    List<String> lines = run.err().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(bad + ": transport must be").endsWith("(was \"quic\")"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(bad + ": tcp[0].port must be").endsWith("(was 70000)"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(bad + ": udp[0].instances must be").endsWith("(was 0)"));
  }

  @Test
  @DisplayName("check-config also reads the Hazelcast file cluster.config names: missing, it is one line and 78")
  void checkConfigHazelcastFile() throws IOException {
    Path missing = dir.resolve("nosuch.xml");
    Path conf = file("conf.json", new JsonObject().put("cluster", new JsonObject().put("config", missing.toString())));
    CliRun run = CliRun.of("check-config", "-conf", conf.toString());
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.err()).isEqualTo(missing + ": cannot read the Hazelcast configuration: it does not exist" + System.lineSeparator());

    Path xml = Path.of("conf", "cluster.xml").toAbsolutePath(); // the shipped loopback configuration
    conf = file("conf2.json", new JsonObject().put("cluster", new JsonObject().put("config", xml.toString())));
    run = CliRun.of("check-config", "-conf", conf.toString());
    assertThat(run.exit()).as(run.printed()).isZero();
    assertThat(run.out().lines().toList()).hasSize(2)
      .last().asString().startsWith(xml + ": OK: cluster name ").contains("join tcp-ip [127.0.0.1]");
  }
}
