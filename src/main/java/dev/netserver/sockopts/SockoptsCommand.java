package dev.netserver.sockopts;

import dev.netserver.ConfigOption;
import dev.netserver.ExitCode;
import dev.netserver.config.ConfigException;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
import dev.netserver.config.NetserverConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code netserver sockopts [-conf FILE] [--json]}: the modern version of the textbook's "which socket
 * options does this platform support" program and its table. Part one lists, per transport and socket
 * kind, the options Netty reports on real loopback sockets, with OS name, meaning, expected value and
 * the netserver key that sets each; part two makes one socket per configured listener the way Vert.x
 * would (on loopback port 0, so a running server is not disturbed) and compares what the configuration
 * asks with what the socket reports back.
 */
@Command(name = "sockopts",
  description = {
    "List the socket options this machine supports, and what the configured listeners get",
    "",
    "Lists the socket options each transport here (nio, epoll, io_uring) supports for a TCP listener, an "
      + "accepted TCP connection and a UDP socket, as Netty reports them on real loopback sockets: OS name, "
      + "level, expected value, default and the configuration key that sets each. Then, for each configured "
      + "listener, makes a socket the way the server makes it (bound to 127.0.0.1 port 0, so a "
      + "running server is not disturbed) and shows each option as asked and as the system reports it back.",
    ""},
  sortOptions = false)
public final class SockoptsCommand implements Callable<Integer> {

  @Mixin
  private ConfigOption conf;

  @Option(names = "--json", description = "one JSON object instead of text tables")
  private boolean json;

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(out, err).code();
    } finally {
      out.flush();
      err.flush();
    }
  }

  private ExitCode run(PrintWriter out, PrintWriter err) {
    ConfigSource source = conf.source();
    NetserverConfig config;
    try {
      config = ConfigLoader.read(source);
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return ExitCode.CONFIG;
    }
    Report report;
    try {
      report = inspect(config, source.name());
    } catch (RuntimeException e) {
      err.println("sockopts: cannot inspect the transports' sockets: " + Probes.describe(e));
      return ExitCode.OS_REFUSED;
    }
    if (json) {
      out.println(JsonReport.toJson(report).encodePrettily());
    } else {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      TextReport.print(report, new PrintStream(text, true, StandardCharsets.UTF_8));
      out.print(text.toString(StandardCharsets.UTF_8));
    }
    if (!report.complete()) {
      err.println("sockopts: some sockets could not be made; the report says which");
      return ExitCode.OS_REFUSED;
    }
    return ExitCode.OK;
  }

  /**
   * Part two alone, as the JSON report's {@code listeners}: for each listener's sockets, every option asked and the
   * value the operating system reports, read back from a socket made the same way on loopback port 0. Makes
   * sockets: call it off the event loop. The admin's {@code GET /listeners} shows it.
   */
  public static JsonArray listenerOptions(NetserverConfig config) {
    try (Probes probes = new Probes()) {
      Map<String, VertxMapping> mappings = mappings();
      Transport transport = TransportChoices.resolve(config.transport()).transport();
      JsonArray listeners = new JsonArray();
      new ListenerChecker(probes, transport, mappings).checkAll(config).forEach(c -> listeners.add(JsonReport.listener(c)));
      return listeners;
    }
  }

  /** Both parts of the report, for a configuration already read. */
  static Report inspect(NetserverConfig config, String configSource) {
    try (Probes probes = new Probes()) {
      Map<String, VertxMapping> mappings = mappings();
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

  /** Every available transport's option mapping, by name. */
  private static Map<String, VertxMapping> mappings() {
    Map<String, VertxMapping> mappings = new LinkedHashMap<>();
    for (TransportChoices.Known known : TransportChoices.all()) {
      if (known.available()) {
        mappings.put(known.name(), VertxMapping.discover(known.transport()));
      }
    }
    return mappings;
  }
}
