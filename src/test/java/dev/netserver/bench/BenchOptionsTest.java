package dev.netserver.bench;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("bench: command line, defaults and refusals")
@Timeout(30)
class BenchOptionsTest {

  /** The options a command line gives, read by picocli and checked by BenchOptions, as the jar does. */
  private static BenchOptions parse(String... args) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command).parseArgs(args);
    return command.options();
  }

  @Test
  @DisplayName("has the documented defaults, with port and window by mode")
  void defaults() {
    BenchOptions greet = parse("greet");
    assertThat(greet.host()).isEqualTo("127.0.0.1");
    assertThat(greet.port()).isEqualTo(51423);
    assertThat(greet.connections()).isEqualTo(50);
    assertThat(greet.durationSeconds()).isEqualTo(10);
    assertThat(greet.warmupSeconds()).isEqualTo(2);
    assertThat(greet.size()).isEqualTo(64);
    assertThat(greet.window()).isEqualTo(1);
    assertThat(greet.timeoutMillis()).isEqualTo(5000);
    assertThat(greet.udpTimeoutMillis()).isEqualTo(1000);
    assertThat(greet.threads()).isEqualTo(1);
    assertThat(greet.json()).isNull();
    assertThat(parse("echo").port()).isEqualTo(51424);
    BenchOptions stream = parse("stream");
    assertThat(stream.port()).isEqualTo(51424);
    assertThat(stream.window()).isEqualTo(8);
    BenchOptions udp = parse("udp");
    assertThat(udp.port()).isEqualTo(51423);
    assertThat(udp.window()).isEqualTo(8);
    BenchOptions hold = parse("hold");
    assertThat(hold.port()).isEqualTo(51423);
    assertThat(hold.holdSeconds()).isEqualTo(10);
  }

  @Test
  @DisplayName("reads every option, short and long, with a separate or an = value")
  void everyOption() {
    BenchOptions o = parse("udp", "--host", "localhost", "--port=9", "-c", "3", "-d", "4",
      "--warmup", "0", "-s", "1400", "-w", "16", "--hold", "7", "--timeout", "300", "--udp-timeout=200",
      "--threads", "2", "--transport", "nio", "--label", "peer x", "-q", "--allow-remote");
    assertThat(o).isEqualTo(new BenchOptions(Mode.UDP, "localhost", true, 9, 3, 4, 0, 1400, 16, 7, 300, 200, 2,
      "nio", "peer x", null, true, false));
    BenchOptions longNames = parse("greet", "--connections", "5", "--duration", "6",
      "--size", "0", "--window", "1", "--quiet");
    assertThat(longNames.connections()).isEqualTo(5);
    assertThat(longNames.durationSeconds()).isEqualTo(6);
    assertThat(longNames.size()).isZero();
    assertThat(longNames.quiet()).isTrue();
  }

  @Test
  @DisplayName("refuses bad arguments with exit status 2, saying which, and the usage on err")
  void badArguments() {
    List<List<String>> cases = List.of(
      List.of(),
      List.of("flood"),
      List.of("greet", "--verbose"),
      List.of("greet", "-c"),
      List.of("greet", "-c", "0"),
      List.of("greet", "-c", "100001"),
      List.of("echo", "-d", "ten"),
      List.of("echo", "-s", "0"),
      List.of("udp", "-s", "7"),
      List.of("udp", "-s", "65508"),
      List.of("greet", "-w", "4"),
      List.of("hold", "-w", "2"),
      List.of("echo", "--transport", "kqueue"),
      List.of("echo", "--port", "70000"),
      List.of("echo", "--json", "/nonexistent-dir/x.json"),
      List.of("echo", "--quiet=yes"));
    for (List<String> args : cases) {
      BenchRun run = BenchRun.of(args.toArray(String[]::new));
      assertThat(run.exit()).as(args + ": " + run.printed()).isEqualTo(2);
      assertThat(run.err()).as(args.toString()).startsWith("netserver bench: ").contains("Usage: netserver bench")
        .contains("Try 'netserver bench --help'");
      assertThat(run.out()).isEmpty();
    }
  }

  @Test
  @DisplayName("names the problem: udp sizes below the id, -w for greet, a value out of range, an unknown flag, a missing value")
  void messages() {
    assertThatThrownBy(() -> parse("udp", "-s", "4"))
      .hasMessage("--size for udp must be in 8..65507 (a datagram carries an 8-byte id to match its reply) (was 4)");
    assertThatThrownBy(() -> parse("greet", "-w", "4"))
      .hasMessageStartingWith("--window applies to echo, stream and udp");
    assertThatThrownBy(() -> parse("greet", "-c", "0")).hasMessage("--connections must be in 1..100000 (was 0)");
    assertThatThrownBy(() -> parse("echo", "--transport", "kqueue"))
      .hasMessage("--transport must be one of auto, epoll, nio (was \"kqueue\")");
    assertThatThrownBy(() -> parse("echo", "--nope")).hasMessage("Unknown option: '--nope'");
    assertThatThrownBy(() -> parse("echo", "--port")).hasMessage("Missing required parameter for option '--port' (P)");
    assertThatThrownBy(() -> parse("echo", "-d", "ten")).hasMessage("Invalid value for option '--duration': 'ten' is not an int");
    assertThatThrownBy(() -> parse()).hasMessage("no mode given (expected one of greet, echo, stream, udp, hold, or chart)");
  }

  @Test
  @DisplayName("refuses a host that is not loopback without --allow-remote (exit 2), before any connection")
  void remoteRefused() {
    BenchRun run = BenchRun.of("echo", "--host", "192.0.2.1", "-d", "1");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--host 192.0.2.1 is not a loopback address (192.0.2.1); load against another"
      + " machine needs --allow-remote");
    assertThat(BenchCommand.resolve(parse("echo", "--host", "192.0.2.1", "--allow-remote"))
      .getAddress().getHostAddress()).isEqualTo("192.0.2.1");
    assertThat(BenchCommand.resolve(parse("echo", "--host", "localhost"))
      .getAddress().isLoopbackAddress()).isTrue();
    assertThat(BenchCommand.resolve(parse("echo", "--host", "::1"))
      .getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  @DisplayName("-h and --help print the usage on out and exit 0, with every option of the contract")
  void help() {
    for (String flag : List.of("-h", "--help")) {
      BenchRun run = BenchRun.of("greet", flag);
      assertThat(run.exit()).isZero();
      assertThat(run.out()).startsWith("Usage: netserver bench (greet|echo|stream|udp|hold) [OPTIONS]");
      assertThat(run.err()).isEmpty();
    }
    assertThat(BenchRun.of("--help").out()).contains("--host=H", "--allow-remote", "--port=P", "-c, --connections=N",
      "-d, --duration=S", "--warmup=S", "-s, --size=B", "-w, --window=N", "--hold=S", "--timeout=MS",
      "--udp-timeout=MS", "--threads=N", "--transport=T", "--label=TEXT", "--json=FILE", "-q, --quiet", "-h, --help",
      "bench chart --out=FILE.png", "Modes:", "  hold    opens CONNECTIONS idle connections", "1   failed");
  }
}
