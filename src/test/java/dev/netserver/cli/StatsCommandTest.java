package dev.netserver.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What `stats` does before it joins any cluster; joining and asking are in NetserverClusterIT. */
@DisplayName("The stats command")
class StatsCommandTest {

  @TempDir
  Path dir;

  private static CliRun stats(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "stats";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.of(all);
  }

  @Test
  @DisplayName("-h prints the usage with every option on out and exits 0")
  void help() {
    CliRun run = stats("-h");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("Usage: netserver stats ")
      .contains("-conf, --conf=FILE|JSON", "-options, --options=FILE|JSON", "--node=NAME", "--json", "--timeout=SECONDS",
        "1..3600 (default 10)", "69   no node answered");
  }

  @Test
  @DisplayName("an unknown flag, a flag without its value or a bad timeout is a usage error (2), on err")
  void usage() {
    assertThat(stats("--verbose")).satisfies(run -> {
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err()).startsWith("netserver stats: Unknown option: '--verbose'").contains("Usage: netserver stats");
    });
    assertThat(stats("--node").err()).startsWith("netserver stats: Missing required parameter for option '--node' (NAME)");
    for (String timeout : new String[] {"0", "3601"}) {
      CliRun run = stats("--timeout", timeout);
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err()).startsWith("netserver stats: --timeout must be a whole number of seconds in 1..3600 (was " + timeout + ")");
    }
    assertThat(stats("--timeout", "ten").err()).startsWith("netserver stats: Invalid value for option '--timeout': 'ten' is not an int");
  }

  @Test
  @DisplayName("a configuration problem, or a Hazelcast file that is missing, exits 78 before joining anything")
  void configProblems() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"transprt\": \"nio\"}");
    CliRun run = stats("-conf", bad.toString());
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.err()).startsWith(bad + ": transprt is not a known key").hasLineCount(1);

    Path missing = dir.resolve("nosuch.xml");
    Path conf = Files.writeString(dir.resolve("conf.json"), new JsonObject()
      .put("cluster", new JsonObject().put("config", missing.toString())).encode());
    run = stats("-conf", conf.toString());
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.err()).contains(missing + ": cannot read the Hazelcast configuration: it does not exist");
  }

  @Test
  @DisplayName("-options that are not a JSON object exit 78 before joining anything")
  void badOptions() throws IOException {
    Path conf = Files.writeString(dir.resolve("conf.json"), "{}");
    CliRun run = stats("-conf", conf.toString(), "-options", "{nope");
    assertThat(run.exit()).isEqualTo(78);
    assertThat(run.err()).startsWith("stats: -options: is not a JSON object: ");
    run = stats("-conf", conf.toString(), "-options", dir.resolve("nosuch.json").toString());
    assertThat(run.err()).startsWith("stats: -options: cannot read " + dir.resolve("nosuch.json"));
  }
}
