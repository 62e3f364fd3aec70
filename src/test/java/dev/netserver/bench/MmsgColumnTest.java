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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * report.py's column for the C UDP echo (peer mmsg), issue 10's yardstick: the direct engine's UDP rate over
 * mmsg's, against the 0.9x target, in the default table and in the scaling series, on made-up results.
 */
@DisplayName("bench/report.py: the mmsg column")
@Timeout(60)
class MmsgColumnTest {

  @TempDir
  Path dir;

  @BeforeAll
  static void python() throws Exception {
    Process p = new ProcessBuilder("python3", "--version").start();
    assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "python3 is not installed");
  }

  record Ran(int exit, String out) {
  }

  private static Ran report(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("python3", "bench/report.py", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Ran(p.exitValue(), out);
  }

  private void summary(String peer, String load, double rate) throws IOException {
    JsonObject medians = new JsonObject()
      .put("throughputPerSecond", new JsonObject().put("median", rate).put("min", rate).put("max", rate).put("values", new JsonArray().add(rate)));
    Files.writeString(dir.resolve(peer + "-" + load + ".json"), new JsonObject().put("label", peer).put("load", load)
      .put("mode", "udp").put("rounds", 1).put("medians", medians).put("throughputPerSecond", rate)
      .put("latencyMicros", new JsonObject().put("p99", 1000.0)).put("errors", 0).put("lost", 0).encodePrettily());
  }

  @Test
  @DisplayName("the default table: direct / mmsg (C) on the UDP loads, marked against 0.9x on udp 64 B")
  void defaultTable() throws Exception {
    summary("netserver", "udp64", 144_000);
    summary("mmsg", "udp64", 180_000);
    summary("netserver", "udp1400", 120_000);
    summary("mmsg", "udp1400", 100_000);
    Ran ran = report(dir);
    assertThat(ran.exit()).as(ran.out()).isZero();
    List<String> rows = ran.out().lines().filter(l -> l.startsWith("| ")).toList();
    assertThat(rows.get(0)).isEqualTo("| load | mmsg | netserver | direct / mmsg (C) |");
    assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| udp 64 B, 8 x 16 |").endsWith("| 0.80x (✗ ≥0.9x) |"));
    assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| udp 1400 B, 8 x 16 |").endsWith("| 1.20x |"));
  }

  @Test
  @DisplayName("the scaling table: direct / mmsg (C) per UDP point")
  void scalingTable() throws Exception {
    summary("netserver", "udp-s8", 90_000);
    summary("mmsg", "udp-s8", 100_000);
    Ran ran = report(dir);
    assertThat(ran.exit()).as(ran.out()).isZero();
    List<String> rows = ran.out().lines().filter(l -> l.startsWith("| ")).toList();
    assertThat(rows.get(0)).isEqualTo("| point | mmsg | netserver | netserver / netty | direct / mmsg (C) | targets (direct) |");
    assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| udp 64 B, 16 out per socket, 8 sockets |").contains("| - | 0.90x |"));
  }
}
