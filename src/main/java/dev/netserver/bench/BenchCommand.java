package dev.netserver.bench;

import dev.netserver.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code netserver bench <mode> [options]}: the load generator, or {@code bench chart} to draw its results. The
 * command line is read here; {@link BenchOptions} checks the values.
 */
@Command(name = "bench",
  description = {
    "Load generator for netserver's protocols; `bench chart` draws its results",
    "",
    "Runs the warm-up, then the measured duration, then stops sending, waits up to --timeout for the "
      + "replies still due, closes everything and exits. Every reply is checked; a wrong one is an error.",
    "",
    "Modes:",
    "  greet   each connection loops: connect, read the welcome line and the prompt, send SIZE 'x' and a",
    "          newline, expect exactly \"You entered SIZE characters.\\n\" and the server's close",
    "  echo    each connection sends a SIZE-byte message and waits for the same bytes back (ping-pong)",
    "  stream  each connection keeps WINDOW messages of SIZE bytes in flight",
    "  udp     each socket keeps WINDOW datagrams of SIZE bytes outstanding, matched by an id in the",
    "          payload; one without a reply after --udp-timeout is counted lost and replaced",
    "  hold    opens CONNECTIONS idle connections, holds them --hold seconds, reports how many stayed up",
    "",
    "Options:"},
  customSynopsis = {
    "netserver bench (greet|echo|stream|udp|hold) [OPTIONS]",
    "       netserver bench chart --out=FILE.png [--title=TEXT] [--width=PX] [--height=PX] RESULT.json..."},
  subcommands = ChartCommand.class,
  sortOptions = false)
public final class BenchCommand implements Callable<Integer> {

  /** Beyond the connections: the JVM's own jars, the event loops' epoll and wake-up descriptors, stdio. */
  static final int SPARE_FILE_DESCRIPTORS = 64;

  // Optional for picocli, so that `bench chart` does not need one; call() insists.
  @Parameters(index = "0", arity = "0..1", paramLabel = "MODE", converter = ModeConverter.class, hidden = true)
  private Mode mode;

  @Option(names = "--host", paramLabel = "H", defaultValue = BenchOptions.DEFAULT_HOST,
    description = "server address (default ${DEFAULT-VALUE}); anything but loopback needs --allow-remote")
  private String host;

  @Option(names = "--allow-remote", description = "allow a --host that is not a loopback address")
  private boolean allowRemote;

  @Option(names = "--port", paramLabel = "P", description = "default: greet 51423, echo and stream 51424, udp 51423, hold 51423")
  private Integer port;

  @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_CONNECTIONS,
    description = "connections (udp: sockets), 1.." + BenchOptions.MAX_CONNECTIONS + " (default ${DEFAULT-VALUE})")
  private int connections;

  @Option(names = {"-d", "--duration"}, paramLabel = "S", defaultValue = "" + BenchOptions.DEFAULT_DURATION_SECONDS,
    description = "measured seconds (default ${DEFAULT-VALUE}; not used by hold)")
  private int durationSeconds;

  @Option(names = "--warmup", paramLabel = "S", defaultValue = "" + BenchOptions.DEFAULT_WARMUP_SECONDS,
    description = "seconds before the measurement, whose results are discarded (default ${DEFAULT-VALUE}; not used by hold)")
  private int warmupSeconds;

  @Option(names = {"-s", "--size"}, paramLabel = "B", defaultValue = "" + BenchOptions.DEFAULT_SIZE,
    description = "bytes per line, message or datagram (default ${DEFAULT-VALUE}; greet 0.., echo and stream 1.., udp "
      + Payload.ID_BYTES + ".." + Mode.MAX_UDP_SIZE + ")")
  private int size;

  @Option(names = {"-w", "--window"}, paramLabel = "N",
    description = "in flight per connection or socket (default 8 for stream and udp, 1 for echo; greet and hold take only 1)")
  private Integer window;

  @Option(names = "--hold", paramLabel = "S", defaultValue = "" + BenchOptions.DEFAULT_HOLD_SECONDS,
    description = "hold: seconds to hold the connections once open (default ${DEFAULT-VALUE})")
  private int holdSeconds;

  @Option(names = "--timeout", paramLabel = "MS", defaultValue = "" + BenchOptions.DEFAULT_TIMEOUT_MILLIS,
    description = "a connect, exchange or reply taking longer is an error (default ${DEFAULT-VALUE})")
  private int timeoutMillis;

  @Option(names = "--udp-timeout", paramLabel = "MS", defaultValue = "" + BenchOptions.DEFAULT_UDP_TIMEOUT_MILLIS,
    description = "udp: a datagram without a reply after this is lost (default ${DEFAULT-VALUE})")
  private int udpTimeoutMillis;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_THREADS,
    description = "client event loops (default ${DEFAULT-VALUE})")
  private int threads;

  @Option(names = "--transport", paramLabel = "T", defaultValue = BenchOptions.DEFAULT_TRANSPORT,
    description = "auto, epoll or nio (default ${DEFAULT-VALUE}: epoll where available, else nio)")
  private String transport;

  @Option(names = "--source", paramLabel = "ADDRS",
    description = "local addresses to connect from, in turn: IPs or ranges like 127.0.0.1-8, comma-separated"
      + " (default: the system picks); one address has one ephemeral port range per server port")
  private String source;

  @Option(names = "--label", paramLabel = "TEXT", defaultValue = BenchOptions.DEFAULT_LABEL,
    description = "free text copied into the JSON, e.g. the server's name")
  private String label;

  @Option(names = "--json", paramLabel = "FILE",
    description = "also write the results to FILE as one JSON object (its directory must exist)")
  private Path json;

  @Option(names = {"-q", "--quiet"}, description = "no progress line (it is shown only on a terminal anyway)")
  private boolean quiet;

  @Option(names = "--tls", description = "speak TLS to a tls listener (the server's certificate is not checked);"
    + " every connection makes a full handshake, so greet measures handshakes/s")
  private boolean tls;

  @Spec
  private CommandSpec spec;

  /** The command line's values, checked. */
  BenchOptions options() {
    if (mode == null) {
      throw new IllegalArgumentException("no mode given (expected one of " + Mode.names() + ", or chart)");
    }
    return new BenchOptions(mode, host, allowRemote, port != null ? port : mode.defaultPort(), connections,
      durationSeconds, mode == Mode.HOLD ? 0 : warmupSeconds, size, window != null ? window : mode.defaultWindow(),
      holdSeconds, timeoutMillis, udpTimeoutMillis, threads, transport, label, json, quiet, tls, SourceAddresses.parse(source));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BenchOptions options;
    InetSocketAddress remote;
    ClientTransport clientTransport;
    try {
      options = options();
      if (options.json() != null) {
        Path parent = options.json().toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
          throw new IllegalArgumentException("--json " + options.json() + ": the directory " + parent + " does not exist");
        }
      }
      remote = resolve(options);
      clientTransport = ClientTransport.choose(options.transport());
      String fds = ProcessCpu.fileDescriptorProblem(options.connections() + SPARE_FILE_DESCRIPTORS,
        "-c " + options.connections());
      if (fds != null) {
        throw new IllegalArgumentException(fds);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      return run(options, clientTransport, remote, out, err).code();
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static ExitCode run(BenchOptions options, ClientTransport transport, InetSocketAddress remote,
                              PrintWriter out, PrintWriter err) {
    Progress progress = new Progress(err, options.mode(), Progress.wanted(options));
    Result result;
    try {
      result = options.mode() == Mode.HOLD
        ? new HoldRun(options, transport, remote, progress).run()
        : new LoadRun(options, transport, remote, progress).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("bench: interrupted");
      return ExitCode.FAILURE;
    } catch (RuntimeException e) {
      err.println("bench: the run failed: " + Client.describe(e));
      return ExitCode.FAILURE;
    }
    Summary.print(result, out);
    if (options.json() != null) {
      try {
        Files.writeString(options.json(), result.toJson().encodePrettily() + System.lineSeparator());
      } catch (IOException e) {
        err.println("bench: cannot write " + options.json() + ": " + Client.describe(e));
        return ExitCode.FAILURE;
      }
    }
    return result.exitCode();
  }

  /**
   * The server's address. Every address the host name has must be loopback unless {@code --allow-remote}:
   * a load generator pointed at someone else's machine by a typo is an attack.
   */
  static InetSocketAddress resolve(BenchOptions options) {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(options.host());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--host " + options.host() + ": cannot resolve it");
    }
    if (!options.allowRemote()) {
      for (InetAddress address : all) {
        if (!address.isLoopbackAddress()) {
          throw new IllegalArgumentException("--host " + options.host() + " is not a loopback address ("
            + address.getHostAddress() + "); load against another machine needs --allow-remote");
        }
      }
    }
    return new InetSocketAddress(all[0], options.port());
  }

  /** The mode by its command-line name, with the list of names when it is none of them. */
  static final class ModeConverter implements ITypeConverter<Mode> {

    @Override
    public Mode convert(String value) {
      try {
        return Mode.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
