package dev.netserver.bench;

import dev.netserver.TestCerts;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TlsConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TLS series' Python steps (bench/run.sh tls) on made-up results: harness.py's netserver configuration
 * with TLS, which netserver itself must accept, its sampler over two processes, and report.py's columns and
 * targets. (Running the series itself is `SMOKE=1 bench/run.sh tls`: a minute, not a unit test.)
 */
@DisplayName("bench/run.sh tls: the harness and the report")
@Timeout(60)
class TlsSeriesTest {

  @TempDir
  Path dir;

  @BeforeAll
  static void python() throws Exception {
    assumeTrue(run("python3", "--version").exit() == 0, "python3 is not installed");
  }

  record Ran(int exit, String out) {
  }

  private static Ran run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Ran(p.exitValue(), out);
  }

  @Test
  @DisplayName("harness.py puts a tls object with the provider on every TCP listener, recorded under the label, and netserver accepts it")
  void tlsConfiguration() throws Exception {
    TestCerts.Pair pair = new TestCerts(dir).selfSigned("bench", "localhost", 7);
    Path out = dir.resolve("netserver-openssl.json");
    Path runJson = dir.resolve("run.json");
    Ran ran = run("python3", "bench/harness.py", "netserver-conf", "conf/config.json", out.toString(), runJson.toString(),
      "1", "2", "3", "4096", "", "", "label=netserver-openssl", "tls=" + pair.certPath() + ":" + pair.keyPath() + ":openssl");
    assertThat(ran.exit()).as(ran.out()).isZero();

    NetserverConfig config = ConfigLoader.read(ConfigSource.file(out));
    assertThat(config.tcp()).hasSize(2).allSatisfy(t -> {
      assertThat(t.tls()).isEqualTo(TlsConfig.pem(pair.certPath(), pair.keyPath()).withProvider(TlsConfig.Provider.OPENSSL));
      assertThat(t.binding().port()).isIn(1, 2);
    });
    JsonArray changes = new JsonObject(Files.readString(runJson)).getJsonObject("netserverConfig-netserver-openssl").getJsonArray("changes");
    assertThat(changes.encode()).contains("tcp[0] (greeter).tls: (default) -> ").contains("TLS terminated by netserver, openssl provider");

    ran = run("python3", "bench/harness.py", "netserver-conf", "conf/config.json", out.toString(), runJson.toString(),
      "1", "2", "3", "4096", "", "", "tsl=x");
    assertThat(ran.exit()).isNotZero();
    assertThat(ran.out()).contains("unknown ['tsl']");
  }

  @Test
  @DisplayName("harness.py samples the CPU and RSS of two processes as one server (HAProxy and the netserver behind it)")
  void samplesTwoProcesses() throws Exception {
    Process a = new ProcessBuilder("sleep", "30").start();
    Process b = new ProcessBuilder("sleep", "30").start();
    Process sampler = new ProcessBuilder("python3", "bench/harness.py", "sample", a.pid() + "," + b.pid(),
      dir.resolve("samples").toString()).start();
    try {
      // the sampler stops by itself once one of the processes is gone
      while (!Files.exists(dir.resolve("samples")) || Files.readAllLines(dir.resolve("samples")).isEmpty()) {
        assertThat(sampler.isAlive()).isTrue();
        Thread.onSpinWait();
      }
      a.destroy();
      assertThat(sampler.waitFor(10, TimeUnit.SECONDS)).isTrue();
      String first = Files.readAllLines(dir.resolve("samples")).get(0);
      long rssA = rss(a.pid()), rssB = rss(b.pid());
      assertThat(Long.parseLong(first.split(" ")[2])).isGreaterThan(Math.max(rssA, rssB));
    } finally {
      a.destroyForcibly();
      b.destroyForcibly();
      sampler.destroyForcibly();
    }
  }

  /** A live process's RSS in KiB, or 0 when it is gone (the sum must then exceed the other alone). */
  private static long rss(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0);
    } catch (IOException gone) {
      return 0;
    }
  }

  private void summary(String peer, String load, double rate) throws IOException {
    JsonObject medians = new JsonObject()
      .put("throughputPerSecond", new JsonObject().put("median", rate).put("min", rate).put("max", rate).put("values", new JsonArray().add(rate)));
    Files.writeString(dir.resolve(peer + "-" + load + ".json"), new JsonObject().put("label", peer).put("load", load)
      .put("mode", load.replace("tls-", "")).put("rounds", 1).put("medians", medians).put("throughputPerSecond", rate)
      .put("errors", 0).put("lost", 0).encodePrettily());
  }

  @Test
  @DisplayName("report.py: a column per TLS server, each netserver's ratio to HAProxy against issue 12's targets, openssl against jdk")
  void report() throws Exception {
    summary("netserver-jdk", "tls-greet", 1_000);
    summary("netserver-openssl", "tls-greet", 2_600);
    summary("haproxy", "tls-greet", 2_000);
    summary("netserver-jdk", "tls-stream", 4_000);
    summary("netserver-openssl", "tls-stream", 9_000);
    summary("haproxy", "tls-stream", 10_000);
    Ran ran = run("python3", "bench/report.py", dir.toString());
    assertThat(ran.exit()).as(ran.out()).isZero();
    List<String> rows = ran.out().lines().filter(l -> l.startsWith("| ")).toList();
    assertThat(rows.get(0)).isEqualTo("| load | netserver-jdk | netserver-openssl | haproxy | netserver-jdk / haproxy"
      + " | netserver-openssl / haproxy | openssl / jdk |");
    assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| TLS greet (handshakes), 50 conn |")
      .endsWith("| 0.50x (✗ ≥1.3x) | 1.30x (✓ ≥1.3x) | 2.60x |"));
    assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| TLS stream 16 KiB, 8 x 8 |")
      .endsWith("| 0.40x (✗ ≥0.9x) | 0.90x (✓ ≥0.9x) | 2.25x |"));
  }
}
