package dev.netserver.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code netserver bench <mode>} runs, checked: every value is validated here, and a bad one is an
 * {@link IllegalArgumentException} naming the option. Every default is a constant here; {@link Mode} holds the
 * ones that differ by mode. {@link BenchCommand} reads the command line into it.
 *
 * @param port        the server's port
 * @param connections TCP connections, or UDP sockets
 * @param window      messages (UDP: datagrams) in flight per connection
 * @param json        where to write the results as JSON, or {@code null}
 * @param sources     local addresses to connect from, in turn ({@link SourceAddresses}); empty: the system picks
 */
record BenchOptions(
  Mode mode,
  String host,
  boolean allowRemote,
  int port,
  int connections,
  int durationSeconds,
  int warmupSeconds,
  int size,
  int window,
  int holdSeconds,
  int timeoutMillis,
  int udpTimeoutMillis,
  int threads,
  String transport,
  String label,
  Path json,
  boolean quiet,
  boolean tls,
  List<String> sources) {

  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_CONNECTIONS = 50;
  static final int MAX_CONNECTIONS = 100_000;
  static final int DEFAULT_DURATION_SECONDS = 10;
  static final int DEFAULT_WARMUP_SECONDS = 2;
  static final int DEFAULT_SIZE = 64;
  static final int MAX_WINDOW = 65_536;
  static final int DEFAULT_HOLD_SECONDS = 10;
  static final int DEFAULT_TIMEOUT_MILLIS = 5000;
  static final int DEFAULT_UDP_TIMEOUT_MILLIS = 1000;
  static final int DEFAULT_THREADS = 1;
  static final String DEFAULT_TRANSPORT = "auto";
  static final List<String> TRANSPORTS = List.of("auto", "epoll", "nio");
  static final String DEFAULT_LABEL = "";

  BenchOptions {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(label, "label");
    sources = List.copyOf(sources);
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("--host must not be empty");
    }
    within("--port", port, 1, 65535);
    within("--connections", connections, 1, MAX_CONNECTIONS);
    within("--duration", durationSeconds, 1, 86_400);
    within("--warmup", warmupSeconds, 0, 3600);
    within("--window", window, 1, MAX_WINDOW);
    within("--hold", holdSeconds, 1, 86_400);
    within("--timeout", timeoutMillis, 1, 600_000);
    within("--udp-timeout", udpTimeoutMillis, 1, 600_000);
    within("--threads", threads, 1, 256);
    if (!TRANSPORTS.contains(transport)) {
      throw new IllegalArgumentException("--transport must be one of " + String.join(", ", TRANSPORTS)
        + " (was \"" + transport + "\")");
    }
    if (size < mode.minSize() || size > mode.maxSize()) {
      String why = mode == Mode.UDP ? " (a datagram carries an " + Payload.ID_BYTES + "-byte id to match its reply)" : "";
      throw new IllegalArgumentException("--size for " + mode.cliName() + " must be in " + mode.minSize() + ".."
        + mode.maxSize() + why + " (was " + size + ")");
    }
    if (tls && mode == Mode.UDP) {
      throw new IllegalArgumentException("--tls applies to the TCP modes (greet, echo, stream, hold), not udp");
    }
    if (window != 1 && !mode.windowed()) {
      throw new IllegalArgumentException("--window applies to echo, stream and udp; " + mode.cliName()
        + " has one exchange per connection at a time (use -c for more)");
    }
  }

  /** No source addresses: as tests build them. */
  BenchOptions(Mode mode, String host, boolean allowRemote, int port, int connections, int durationSeconds,
               int warmupSeconds, int size, int window, int holdSeconds, int timeoutMillis, int udpTimeoutMillis,
               int threads, String transport, String label, Path json, boolean quiet, boolean tls) {
    this(mode, host, allowRemote, port, connections, durationSeconds, warmupSeconds, size, window, holdSeconds,
      timeoutMillis, udpTimeoutMillis, threads, transport, label, json, quiet, tls, List.of());
  }

  private static void within(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in " + min + ".." + max + " (was " + value + ")");
    }
  }

  /** The seconds the tool runs for, bounded: warm-up and duration, or the hold time. */
  int measuredSeconds() {
    return mode == Mode.HOLD ? holdSeconds : durationSeconds;
  }
}
