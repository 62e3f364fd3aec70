package dev.netserver.bench;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scaling series' Python steps on made-up results: bench/report.py's table, targets and chart, and
 * bench/harness.py lifting netserver's connection limit for a large hold. (Running the series itself is
 * `SMOKE=1 bench/run.sh scaling`: minutes, not a unit test.)
 */
@DisplayName("bench/run.sh scaling: the report and the harness")
@Timeout(60)
class ScalingReportTest {

  @TempDir
  Path dir;

  @BeforeAll
  static void python() {
    assumeTrue(run(Path.of("."), Map.of(), "python3", "--version").exit == 0, "python3 is not installed");
  }

  record Ran(int exit, String out) {
  }

  private static Ran run(Path cwd, Map<String, String> env, String... command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      return new Ran(p.exitValue(), out);
    } catch (IOException e) {
      return new Ran(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void summary(String peer, String load, double rate, double p99Micros, int errors) throws IOException {
    JsonObject medians = new JsonObject()
      .put("throughputPerSecond", new JsonObject().put("median", rate).put("min", rate).put("max", rate).put("values", new JsonArray().add(rate)))
      .put("p99Micros", new JsonObject().put("median", p99Micros).put("min", p99Micros).put("max", p99Micros).put("values", new JsonArray().add(p99Micros)));
    write(peer + "-" + load + ".json", new JsonObject().put("label", peer).put("load", load).put("mode", load.replaceAll("-.*", ""))
      .put("rounds", 1).put("medians", medians).put("throughputPerSecond", rate)
      .put("latencyMicros", new JsonObject().put("p99", p99Micros)).put("errors", errors).put("lost", 0));
  }

  private void hold(String peer, int connections, int held, double kib) throws IOException {
    write(peer + "-hold-c" + connections + ".json", new JsonObject().put("label", peer).put("load", "hold-c" + connections)
      .put("mode", "hold").put("connections", connections).put("held", held).put("errors", 0)
      .put("serverKiBPerConnection", kib).put("latencyMicros", new JsonObject().put("p99", 20_000.0)));
  }

  private void write(String name, JsonObject json) throws IOException {
    Files.writeString(dir.resolve(name), json.encodePrettily());
  }

  @Test
  @DisplayName("report.py: a row per point, netserver's ratio to Netty, the targets met and missed, a fitted hold, and scaling.svg")
  void report() throws IOException {
    summary("netserver", "greet-c50", 16_000, 6_000, 0);
    summary("netty", "greet-c50", 16_000, 6_500, 0);
    summary("netserver", "greet-c5000", 15_000, 900_000, 12);
    summary("netty", "greet-c5000", 16_000, 800_000, 0);
    hold("netserver", 19_000, 19_000, 2.28);
    hold("netty", 19_000, 19_000, 2.6);
    write("run.json", new JsonObject().put("holdFitted-50000",
      new JsonObject().put("asked", 50_000).put("held", 19_000).put("fileDescriptorLimit", 20_000)));
    Ran ran = run(Path.of("."), Map.of(), "python3", "bench/report.py", dir.toString());
    assertThat(ran.exit()).as(ran.out()).isZero();
    List<String> rows = new ArrayList<>(ran.out().lines().filter(l -> l.startsWith("| ")).toList());
    assertThat(rows.get(0)).isEqualTo("| point | netty | netserver | netserver / netty | targets (direct) |");
    assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| greet, 50 conn |").endsWith("| 1.00x | 0 err ✓, ≥0.95x netty ✓ |"));
    assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| greet, 5,000 conn |").contains("**12 err**")
      .endsWith("| 0.94x | 12 err ✗, ≥0.95x netty ✗ |"));
    assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| hold idle, 19,000 conn |").contains("2.28 KiB/conn")
      .endsWith("| 0 err ✓, ≤2 KiB ✗ |"));
    assertThat(ran.out()).contains("**Hold at 50,000 could not run here:** the descriptor limit was 20,000")
      .contains("- greet, netty: peak 16,000/s at 50; at 5,000: 16,000/s (1.00 of the peak), p99 800.0 ms");
    String svg = Files.readString(dir.resolve("scaling.svg"));
    assertThat(svg).startsWith("<svg").contains("greet: rate /s").contains("hold idle: KiB / conn").endsWith("</svg>\n");
    assertThat(svg.split("<path ", -1)).hasSizeGreaterThan(4);
  }

  @Test
  @DisplayName("harness.py lifts netserver's maxConnections for a hold above it, and records the change; not below it")
  void liftsTheConnectionLimit() throws IOException {
    Path out = dir.resolve("netserver.json");
    Path runJson = dir.resolve("run.json");
    Ran ran = run(Path.of("."), Map.of("HOLD_MOST", "50000"), "python3", "bench/harness.py", "netserver-conf",
      "conf/config.json", out.toString(), runJson.toString(), "1", "2", "3", "4096");
    assertThat(ran.exit()).as(ran.out()).isZero();
    JsonObject conf = new JsonObject(Files.readString(out));
    assertThat(conf.getJsonArray("tcp").getJsonObject(0).getJsonObject("limits").getInteger("maxConnections")).isZero();
    assertThat(new JsonObject(Files.readString(runJson)).getJsonObject("netserverConfig").getJsonArray("changes").encode())
      .contains("limits.maxConnections: (default) -> 0 (the series holds 50,000 connections; no peer has a limit)");
    ran = run(Path.of("."), Map.of("HOLD_MOST", "5000"), "python3", "bench/harness.py", "netserver-conf",
      "conf/config.json", out.toString(), runJson.toString(), "1", "2", "3", "4096");
    assertThat(ran.exit()).as(ran.out()).isZero();
    assertThat(new JsonObject(Files.readString(out)).getJsonArray("tcp").getJsonObject(0).containsKey("limits")).isFalse();
  }
}
