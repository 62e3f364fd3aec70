package dev.netserver;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.cli.CliRun;
import dev.netserver.config.TcpListenerConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The listen backlog defaults to the kernel's own limit (net.core.somaxconn, which Netty also defaults to);
 * a backlog above it is capped by the kernel, and netserver says so at start, in check-config and in sockopts.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@DisplayName("The listen backlog")
class BacklogDefaultTest {

  private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

  @TempDir
  Path dir;

  private static JsonObject greeter(Integer backlog) {
    JsonObject listener = new JsonObject().put("name", "greeter").put("protocol", "greeting")
      .put("host", "127.0.0.1").put("port", 0);
    return backlog == null ? listener : listener.put("backlog", backlog);
  }

  private static JsonObject config(JsonObject listener) {
    return new JsonObject().put("node", new JsonObject().put("name", "backlog-test"))
      .put("tcp", new JsonArray().add(listener)).put("udp", new JsonArray())
      .put("stats", new JsonObject().put("logIntervalSeconds", 0));
  }

  private static int port(MainVerticle main) {
    String address = main.boundAddresses().get("greeter").get(0);
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  @Test
  @DisplayName("defaults to net.core.somaxconn as the kernel has it, which is Netty's default too")
  void defaultIsTheKernelLimit() throws Exception {
    assumeTrue(Files.isReadable(SOMAXCONN), "no /proc/sys/net/core/somaxconn: not Linux");
    // read line by line: Files.readString on a /proc file returned only its first byte here
    int somaxconn = Integer.parseInt(Files.readAllLines(SOMAXCONN).get(0).strip());
    assertThat(TcpListenerConfig.KERNEL_BACKLOG_LIMIT).isEqualTo(somaxconn);
    assertThat(TcpListenerConfig.DEFAULT_BACKLOG).isEqualTo(somaxconn);
    TcpListenerConfig read = dev.netserver.config.NetserverConfig.read("t", config(greeter(null))).tcp().get(0);
    assertThat(read.backlog()).isEqualTo(somaxconn);
    assertThat(read.backlogWarning()).isEmpty();
  }

  @Test
  @DisplayName("a running listener on the default backlog has an accept queue of net.core.somaxconn, with no warning")
  void defaultListens(Vertx vertx) throws Exception {
    assumeTrue(Ss.available(), "ss (iproute2) is not installed");
    try (LogCapture log = LogCapture.of(MainVerticle.class)) {
      MainVerticle main = new MainVerticle();
      await(vertx.deployVerticle(main, new DeploymentOptions().setConfig(config(greeter(null)))));
      int port = port(main);
      // For a listening socket, ss's Send-Q column is the accept queue's limit.
      assertThat(Ss.run("-ltn", "sport = :" + port))
        .matches("(?s)LISTEN\\s+0\\s+" + TcpListenerConfig.KERNEL_BACKLOG_LIMIT + "\\s+\\S*:" + port + "\\s.*");
      assertThat(log.atLeast(Level.WARN)).isEmpty();
    }
  }

  @Test
  @DisplayName("a backlog above the kernel's limit starts with a warning naming both numbers, and listens at the limit")
  void aboveTheLimitWarns(Vertx vertx) throws Exception {
    int limit = TcpListenerConfig.KERNEL_BACKLOG_LIMIT;
    assumeTrue(limit < 65535, "net.core.somaxconn is at the backlog's own maximum");
    try (LogCapture log = LogCapture.of(MainVerticle.class)) {
      MainVerticle main = new MainVerticle();
      await(vertx.deployVerticle(main, new DeploymentOptions().setConfig(config(greeter(limit + 1)))));
      List<String> warnings = log.atLeast(Level.WARN).stream().map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(warnings).containsExactly("greeter: backlog " + (limit + 1) + " is above the kernel's limit,"
        + " net.core.somaxconn = " + limit + ": the kernel caps the accept queue at " + limit + " (raise net.core.somaxconn for more)");
      if (Ss.available()) {
        assertThat(Ss.run("-ltn", "sport = :" + port(main))).matches("(?s)LISTEN\\s+0\\s+" + limit + "\\s.*");
      }
    }
  }

  @Test
  @DisplayName("check-config repeats that warning under its OK line and still exits 0")
  void checkConfigWarns() throws Exception {
    int limit = TcpListenerConfig.KERNEL_BACKLOG_LIMIT;
    assumeTrue(limit < 65535, "net.core.somaxconn is at the backlog's own maximum");
    Path conf = Files.writeString(dir.resolve("big.json"), config(greeter(65535)).encode());
    CliRun run = CliRun.of("check-config", "-conf", conf.toString());
    assertThat(run.exit()).as(run.printed()).isZero();
    assertThat(run.out().lines().toList()).hasSize(2).last().isEqualTo(conf + ": warning: greeter: backlog 65535 is above"
      + " the kernel's limit, net.core.somaxconn = " + limit + ": the kernel caps the accept queue at " + limit
      + " (raise net.core.somaxconn for more)");
  }

  @Test
  @DisplayName("sockopts shows the backlog in force: the default as asked, one above the limit capped at it")
  void sockoptsShowsTheEffectiveBacklog() throws Exception {
    int limit = TcpListenerConfig.KERNEL_BACKLOG_LIMIT;
    assumeTrue(limit < 65535, "net.core.somaxconn is at the backlog's own maximum");
    JsonObject conf = config(greeter(null));
    conf.getJsonArray("tcp").add(greeter(65535).put("name", "big").put("protocol", "echo"));
    Path file = Files.writeString(dir.resolve("two.json"), conf.encode());
    CliRun run = CliRun.of("sockopts", "-conf", file.toString(), "--json");
    assertThat(run.exit()).as(run.printed()).isZero();
    JsonObject byDefault = backlogRow(run.json(), "greeter");
    assertThat(byDefault.getInteger("config")).isEqualTo(limit);
    assertThat(byDefault.getInteger("effective")).isEqualTo(limit);
    JsonObject big = backlogRow(run.json(), "big");
    assertThat(big.getInteger("asked")).isEqualTo(65535);
    assertThat(big.getInteger("effective")).isEqualTo(limit);
    assertThat(big.getString("note")).contains("caps the queue at net.core.somaxconn = " + limit);
    CliRun text = CliRun.of("sockopts", "-conf", file.toString());
    assertThat(text.out()).containsPattern("tcp\\[1]\\.backlog\\s+65535\\s+listen\\(\\) backlog\\s+65535\\s+65535\\s+" + limit + "\\s");
  }

  private static JsonObject backlogRow(JsonObject report, String listener) {
    return report.getJsonArray("listeners").stream().map(JsonObject.class::cast)
      .filter(l -> l.getString("name").equals(listener) && l.getString("socket").equals("listener"))
      .flatMap(l -> l.getJsonArray("options").stream().map(JsonObject.class::cast))
      .filter(o -> "SO_BACKLOG".equals(o.getString("netty"))).findFirst()
      .orElseThrow(() -> new AssertionError("no backlog row for " + listener + " in " + report.encodePrettily()));
  }
}
