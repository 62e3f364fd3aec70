package dev.netserver.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What `stats` does before it joins any cluster; joining and asking are in NetserverClusterIT. */
@DisplayName("The stats command")
class StatsCommandTest {

  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {

    static Run of(String... args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit;
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
           PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        exit = StatsCommand.run(args, o, e);
      }
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  @DisplayName("-h prints the usage on out and exits 0")
  void help() {
    Run run = Run.of("-h");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("Usage: netserver stats [-conf FILE] [-options FILE|JSON] [--node NAME] [--json] [--timeout SECONDS]");
  }

  @Test
  @DisplayName("an unknown flag, a flag without its value or a bad timeout prints the usage on err and exits 2")
  void usage() {
    assertThat(Run.of("--verbose")).satisfies(run -> {
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err()).startsWith("stats: unknown argument: --verbose").contains("Usage: netserver stats");
    });
    assertThat(Run.of("--node").err()).startsWith("stats: --node needs a node name");
    assertThat(Run.of("--timeout", "0").err())
      .startsWith("stats: --timeout must be a whole number of seconds in 1..3600 (was \"0\")");
  }

  @Test
  @DisplayName("a configuration problem, or a Hazelcast file that is missing, exits 78 before joining anything")
  void configProblems() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"transprt\": \"nio\"}");
    Run run = Run.of("-conf", bad.toString());
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.err()).isEqualTo(bad + ": transprt is not a known key (did you mean \"transport\"?)" + System.lineSeparator());

    Path missing = dir.resolve("nosuch.xml");
    Path conf = Files.writeString(dir.resolve("conf.json"), new JsonObject()
      .put("cluster", new JsonObject().put("config", missing.toString())).encode());
    run = Run.of("-conf", conf.toString());
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.err()).contains(missing + ": cannot read the Hazelcast configuration: it does not exist");
  }

  @Test
  @DisplayName("-options that are not a JSON object exit 78 before joining anything")
  void badOptions() throws IOException {
    Path conf = Files.writeString(dir.resolve("conf.json"), "{}");
    Run run = Run.of("-conf", conf.toString(), "-options", "{nope");
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.err()).startsWith("stats: -options: is not a JSON object: ");
    run = Run.of("-conf", conf.toString(), "-options", dir.resolve("nosuch.json").toString());
    assertThat(run.err()).startsWith("stats: -options: cannot read " + dir.resolve("nosuch.json"));
  }
}
