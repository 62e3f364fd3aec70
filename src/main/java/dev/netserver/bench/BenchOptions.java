package dev.netserver.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The command line of {@code netserver bench <mode>}, parsed and checked. Every default is a constant
 * here and in {@link #USAGE}; {@link Mode} holds the ones that differ by mode.
 *
 * @param port        the server's port ({@link Mode#defaultPort()} unless given)
 * @param connections TCP connections, or UDP sockets
 * @param window      messages (UDP: datagrams) in flight per connection
 * @param json        where to write the results as JSON, or {@code null}
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
  boolean quiet) {

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
  static final String DEFAULT_LABEL = "";

  static final String USAGE = String.join(System.lineSeparator(),
    "Usage: netserver bench <greet|echo|stream|udp|hold> [options]",
    "       netserver bench chart --out FILE.png [--title TEXT] [--width PX] [--height PX] RESULT.json...",
    "",
    "Load generator for netserver's protocols. Runs the warm-up, then the measured duration, then stops",
    "sending, waits up to --timeout for the replies still due, closes everything and exits. Every reply is",
    "checked; a wrong one is an error.",
    "",
    "Modes:",
    "  greet   each connection loops: connect, read the welcome line and the prompt, send SIZE 'x' and a",
    "          newline, expect exactly \"You entered SIZE characters.\\n\" and the server's close",
    "  echo    each connection sends a SIZE-byte message and waits for the same bytes back (ping-pong)",
    "  stream  each connection keeps WINDOW messages of SIZE bytes in flight",
    "  udp     each socket keeps WINDOW datagrams of SIZE bytes outstanding, matched by an id in the",
    "          payload; one without a reply after --udp-timeout is counted lost and replaced",
    "  hold    opens CONNECTIONS idle connections, holds them --hold seconds, reports how many stayed up",
    "  chart   renders result files (--json) as one PNG: throughput and p99 latency per mode and label",
    "",
    "Options:",
    "  --host H             server address (default " + DEFAULT_HOST + "); anything but loopback needs",
    "                       --allow-remote",
    "  --allow-remote       allow a --host that is not a loopback address",
    "  --port P             default: greet 51423, echo and stream 51424, udp 51423, hold 51423",
    "  -c, --connections N  connections (udp: sockets), 1.." + MAX_CONNECTIONS + " (default " + DEFAULT_CONNECTIONS + ")",
    "  -d, --duration S     measured seconds (default " + DEFAULT_DURATION_SECONDS + "; not used by hold)",
    "  --warmup S           seconds before the measurement, whose results are discarded (default "
      + DEFAULT_WARMUP_SECONDS + ";",
    "                       not used by hold)",
    "  -s, --size B         bytes per line, message or datagram (default " + DEFAULT_SIZE + "; greet 0.., echo and",
    "                       stream 1.., udp " + Payload.ID_BYTES + ".." + Mode.MAX_UDP_SIZE + ")",
    "  -w, --window N       in flight per connection or socket (default 8 for stream and udp, 1 for echo;",
    "                       greet and hold take only 1)",
    "  --hold S             hold: seconds to hold the connections once open (default " + DEFAULT_HOLD_SECONDS + ")",
    "  --timeout MS         a connect, exchange or reply taking longer is an error (default " + DEFAULT_TIMEOUT_MILLIS + ")",
    "  --udp-timeout MS     udp: a datagram without a reply after this is lost (default " + DEFAULT_UDP_TIMEOUT_MILLIS + ")",
    "  --threads N          client event loops (default " + DEFAULT_THREADS + ")",
    "  --transport T        auto, epoll or nio (default auto: epoll where available, else nio)",
    "  --label TEXT         free text copied into the JSON, e.g. the server's name",
    "  --json FILE          also write the results to FILE as one JSON object (its directory must exist)",
    "  -q, --quiet          no progress line (it is shown only on a terminal anyway)",
    "  -h, --help           this text",
    "",
    "Exit status: 0 no errors; 1 errors, or for udp more than 1% of the datagrams lost; 2 bad arguments.");

  /** {@code -h} anywhere: print the usage and do nothing else. */
  static boolean wantsHelp(String[] args) {
    for (String arg : args) {
      if (arg.equals("-h") || arg.equals("--help")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses {@code <mode> [options]}; {@code --name=value} works as well as {@code --name value}.
   *
   * @throws IllegalArgumentException naming the first bad argument
   */
  static BenchOptions parse(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("no mode given (expected one of " + Mode.names() + ", or chart)");
    }
    Mode mode = Mode.parse(args[0]);
    String host = DEFAULT_HOST;
    boolean allowRemote = false;
    Integer port = null;
    int connections = DEFAULT_CONNECTIONS;
    int duration = DEFAULT_DURATION_SECONDS;
    int warmup = DEFAULT_WARMUP_SECONDS;
    int size = DEFAULT_SIZE;
    Integer window = null;
    int hold = DEFAULT_HOLD_SECONDS;
    int timeout = DEFAULT_TIMEOUT_MILLIS;
    int udpTimeout = DEFAULT_UDP_TIMEOUT_MILLIS;
    int threads = DEFAULT_THREADS;
    String transport = DEFAULT_TRANSPORT;
    String label = DEFAULT_LABEL;
    Path json = null;
    boolean quiet = false;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      if (name.equals("--allow-remote") || name.equals("-q") || name.equals("--quiet")) {
        if (inline != null) {
          throw new IllegalArgumentException(name + " takes no value");
        }
        if (name.equals("--allow-remote")) {
          allowRemote = true;
        } else {
          quiet = true;
        }
        continue;
      }
      String value;
      if (inline != null) {
        value = inline;
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(isKnown(name) ? name + " needs a value" : "unknown argument: " + arg);
      }
      switch (name) {
        case "--host" -> host = nonEmpty(name, value);
        case "--port" -> port = integer(name, value, 1, 65535);
        case "-c", "--connections" -> connections = integer(name, value, 1, MAX_CONNECTIONS);
        case "-d", "--duration" -> duration = integer(name, value, 1, 86_400);
        case "--warmup" -> warmup = integer(name, value, 0, 3600);
        case "-s", "--size" -> size = integer(name, value, 0, Integer.MAX_VALUE);
        case "-w", "--window" -> window = integer(name, value, 1, MAX_WINDOW);
        case "--hold" -> hold = integer(name, value, 1, 86_400);
        case "--timeout" -> timeout = integer(name, value, 1, 600_000);
        case "--udp-timeout" -> udpTimeout = integer(name, value, 1, 600_000);
        case "--threads" -> threads = integer(name, value, 1, 256);
        case "--transport" -> transport = oneOf(name, value, "auto", "epoll", "nio");
        case "--label" -> label = value;
        case "--json" -> json = Path.of(nonEmpty(name, value));
        default -> throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    if (size < mode.minSize() || size > mode.maxSize()) {
      String why = mode == Mode.UDP ? " (a datagram carries an " + Payload.ID_BYTES + "-byte id to match its reply)" : "";
      throw new IllegalArgumentException("--size for " + mode.cliName() + " must be in " + mode.minSize() + ".."
        + mode.maxSize() + why + " (was " + size + ")");
    }
    if (window != null && window != 1 && !mode.windowed()) {
      throw new IllegalArgumentException("--window applies to echo, stream and udp; " + mode.cliName()
        + " has one exchange per connection at a time (use -c for more)");
    }
    if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        throw new IllegalArgumentException("--json " + json + ": the directory " + parent + " does not exist");
      }
    }
    return new BenchOptions(mode, host, allowRemote, port != null ? port : mode.defaultPort(), connections,
      duration, mode == Mode.HOLD ? 0 : warmup, size, window != null ? window : mode.defaultWindow(), hold,
      timeout, udpTimeout, threads, transport, label, json, quiet);
  }

  private static boolean isKnown(String name) {
    return switch (name) {
      case "--host", "--port", "-c", "--connections", "-d", "--duration", "--warmup", "-s", "--size", "-w",
           "--window", "--hold", "--timeout", "--udp-timeout", "--threads", "--transport", "--label",
           "--json" -> true;
      default -> false;
    };
  }

  private static int integer(String name, String value, int min, int max) {
    long n;
    try {
      n = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer (was \"" + value + "\")");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be in " + min + ".." + max + " (was " + value + ")");
    }
    return (int) n;
  }

  private static String nonEmpty(String name, String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }

  private static String oneOf(String name, String value, String... allowed) {
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed) + " (was \"" + value + "\")");
  }

  /** The seconds the tool runs for, bounded: warm-up and duration, or the hold time. */
  int measuredSeconds() {
    return mode == Mode.HOLD ? holdSeconds : durationSeconds;
  }
}
