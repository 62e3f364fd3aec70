package dev.netserver.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the load generator does, with the defaults that differ by mode. */
enum Mode {

  /** Connect, read the welcome and the prompt, send a line, check the answer and the close; repeat. */
  GREET(51423, 1, 0, "exchanges"),
  /** Ping-pong: a message goes out, the same bytes come back, the next one goes out. */
  ECHO(51424, 1, 1, "round trips"),
  /** Echo with a window of messages in flight per connection. */
  STREAM(51424, 8, 1, "messages"),
  /** Datagrams with an id, a window outstanding per socket; no reply within the UDP timeout is a loss. */
  UDP(51423, 8, Payload.ID_BYTES, "datagrams"),
  /** Idle connections opened, held, and counted at the end. */
  HOLD(51423, 1, 0, "connections");

  /** The largest UDP payload over IPv4. */
  static final int MAX_UDP_SIZE = 65_507;
  /** Any larger greet line is refused by the server's default maxLineBytes anyway; echo messages are bounded too. */
  static final int MAX_TCP_SIZE = 16 << 20;

  private final int defaultPort;
  private final int defaultWindow;
  private final int minSize;
  private final String unit;

  Mode(int defaultPort, int defaultWindow, int minSize, String unit) {
    this.defaultPort = defaultPort;
    this.defaultWindow = defaultWindow;
    this.minSize = minSize;
    this.unit = unit;
  }

  /** What one completion is called in the output: exchanges, round trips, messages, datagrams, connections. */
  String unit() {
    return unit;
  }

  /** The name on the command line and in the JSON. */
  String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  int defaultPort() {
    return defaultPort;
  }

  int defaultWindow() {
    return defaultWindow;
  }

  int minSize() {
    return minSize;
  }

  int maxSize() {
    return this == UDP ? MAX_UDP_SIZE : MAX_TCP_SIZE;
  }

  /** Whether {@code -w} means something here: greet and hold have one exchange (or none) per connection. */
  boolean windowed() {
    return this == ECHO || this == STREAM || this == UDP;
  }

  static Mode parse(String name) {
    for (Mode mode : values()) {
      if (mode.cliName().equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown mode: " + name + " (expected one of " + names() + ", or chart)");
  }

  static String names() {
    return Arrays.stream(values()).map(Mode::cliName).collect(Collectors.joining(", "));
  }
}
