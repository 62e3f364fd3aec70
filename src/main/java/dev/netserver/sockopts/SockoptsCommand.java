package dev.netserver.sockopts;

import dev.netserver.config.ConfigException;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
import dev.netserver.config.NetserverConfig;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code netserver sockopts [-conf FILE] [--json]}: the modern version of the textbook's "which socket
 * options does this platform support" program and its table. Part one lists, per transport and socket
 * kind, the options Netty reports on real loopback sockets, with OS name, meaning, expected value and
 * the netserver key that sets each; part two makes one socket per configured listener the way Vert.x
 * would (on loopback port 0, so a running server is not disturbed) and compares what the configuration
 * asks with what the socket reports back.
 */
public final class SockoptsCommand {

  /** sysexits.h EX_USAGE is 64, but a bad flag exits 2 like the launcher's own. */
  public static final int EXIT_USAGE = 2;
  /** sysexits.h EX_CONFIG, as for the server. */
  public static final int EXIT_CONFIG = 78;
  /** sysexits.h EX_OSERR: a loopback socket could not be made; the report says which. */
  public static final int EXIT_PROBE_FAILED = 71;

  private static final int CONFIG_TIMEOUT_SECONDS = 30;

  static final String USAGE = String.join(System.lineSeparator(),
    "Usage: netserver sockopts [-conf FILE] [--json]",
    "",
    "Lists the socket options each transport here (nio, epoll, io_uring) supports for a TCP listener, an",
    "accepted TCP connection and a UDP socket, as Netty reports them on real loopback sockets: OS name,",
    "level, expected value, default and the configuration key that sets each. Then, for each configured",
    "listener, makes a socket with the options Vert.x would give it (bound to 127.0.0.1 port 0, so a",
    "running server is not disturbed) and shows each option as asked and as the system reports it back.",
    "",
    "  -conf FILE  the configuration to check (default: conf/config.json if it exists, else the built-in",
    "              defaults)",
    "  --json      one JSON object instead of text tables",
    "  -h, --help  this text",
    "",
    "Exit status: 0 done, 2 bad arguments, 71 a socket could not be made, 78 configuration problem.");

  private SockoptsCommand() {
  }

  /** Runs the command; returns the exit status. Writes only to {@code out} and {@code err}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("sockopts: " + e.getMessage());
      err.println(USAGE);
      return EXIT_USAGE;
    }
    if (arguments.help()) {
      out.println(USAGE);
      return 0;
    }
    ConfigSource source = ConfigSource.forCommand(arguments.conf());
    NetserverConfig config;
    try {
      config = load(source);
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return EXIT_CONFIG;
    }
    Report report;
    try {
      report = inspect(config, source.name());
    } catch (RuntimeException e) {
      err.println("sockopts: cannot inspect the transports' sockets: " + Probes.describe(e));
      return EXIT_PROBE_FAILED;
    }
    if (arguments.json()) {
      out.println(JsonReport.toJson(report).encodePrettily());
    } else {
      TextReport.print(report, out);
    }
    if (!report.complete()) {
      err.println("sockopts: some sockets could not be made; the report says which");
      return EXIT_PROBE_FAILED;
    }
    return 0;
  }

  /** Both parts of the report, for a configuration already read. */
  static Report inspect(NetserverConfig config, String configSource) {
    try (Probes probes = new Probes()) {
      Map<String, VertxMapping> mappings = new LinkedHashMap<>();
      for (TransportChoices.Known known : TransportChoices.all()) {
        if (known.available()) {
          mappings.put(known.name(), VertxMapping.discover(known.transport()));
        }
      }
      TransportChoices.Resolved resolved = TransportChoices.resolve(config.transport());
      Transport transport = resolved.transport();
      return new Report(
        new OptionLister(probes, mappings).listAll(),
        configSource,
        config.transport().configName(),
        transport.name(),
        resolved.note(),
        new ListenerChecker(probes, transport, mappings).checkAll(config));
    }
  }

  /** Reads and validates the configuration with the server's own loader, on a short-lived Vert.x. */
  static NetserverConfig load(ConfigSource source) {
    Vertx vertx = Vertx.vertx();
    try {
      return ConfigLoader.load(vertx, source).toCompletionStage().toCompletableFuture()
        .get(CONFIG_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ConfigException problems) {
        throw problems;
      }
      throw new ConfigException(source.name() + ": cannot read the configuration: " + e.getCause());
    } catch (TimeoutException e) {
      throw new ConfigException(source.name() + ": reading the configuration took more than " + CONFIG_TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException(source.name() + ": interrupted while reading the configuration");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(Probes.STEP_SECONDS, TimeUnit.SECONDS)
        .exceptionally(e -> null).join();
    }
  }

  /** The parsed command line. */
  record Arguments(String conf, boolean json, boolean help) {

    static Arguments parse(String[] args) {
      String conf = null;
      boolean json = false;
      boolean help = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "-conf", "--conf" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(args[i] + " needs a file name");
            }
            conf = args[++i];
          }
          case "--json" -> json = true;
          case "-h", "--help" -> help = true;
          default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
      }
      return new Arguments(conf, json, help);
    }
  }
}
