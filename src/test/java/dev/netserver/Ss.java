package dev.netserver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** iproute2's {@code ss}: the kernel's own view of sockets, for tests that check what the server asked for. */
public final class Ss {

  private Ss() {
  }

  /** Whether {@code ss} is on the PATH (.ci/run installs it). */
  public static boolean available() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, "ss"))) {
        return true;
      }
    }
    return false;
  }

  /** {@code ss -H args...}: its output, without the header line. */
  public static String run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ss", "-H"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }
}
