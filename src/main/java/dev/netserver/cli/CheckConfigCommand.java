package dev.netserver.cli;

import dev.netserver.ConfigOption;
import dev.netserver.ExitCode;
import dev.netserver.cluster.ClusterSetup;
import dev.netserver.config.ConfigException;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.UdpListenerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code netserver check-config [-conf FILE]}: the checks {@code run} makes before it starts anything, and nothing
 * else, like {@code nginx -t}: the configuration, then the Hazelcast file its {@code cluster.config} names. No
 * Vert.x, no socket.
 */
@Command(name = "check-config",
  description = {
    "Check the configuration and the Hazelcast file it names, then exit (like nginx -t)",
    "",
    "Reads the configuration as `run` does and checks every rule; when its cluster.config names a "
      + "Hazelcast file, reads and checks that too. Binds nothing and starts nothing. Valid: one line per "
      + "file on standard output, naming it and what it sets up. Not valid: one line per problem on standard "
      + "error, each naming the file, the key, the rule and the value, and exit status 78.",
    ""})
final class CheckConfigCommand implements Callable<Integer> {

  @Mixin
  private ConfigOption conf;

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ConfigSource source = conf.source();
    List<String> valid = new ArrayList<>();
    try {
      NetserverConfig config = ConfigLoader.read(source);
      valid.add(source.name() + ": OK: node " + config.nodeName() + ", transport " + config.transport().configName()
        + ", listeners " + listeners(config));
      config.tcp().forEach(tcp -> tcp.backlogWarning().ifPresent(w -> valid.add(source.name() + ": warning: " + w)));
      if (config.cluster().configured()) {
        ClusterSetup.Source from = ClusterSetup.choose(config.cluster());
        valid.add(from.name() + ": OK: " + ClusterSetup.describe(ClusterSetup.load(from)));
      }
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      err.flush();
      return ExitCode.CONFIG.code();
    }
    valid.forEach(out::println);
    out.flush();
    return ExitCode.OK.code();
  }

  /** {@code greeter (TCP greeting on 0.0.0.0:51423, direct engine), ...}, in configuration order. */
  private static String listeners(NetserverConfig config) {
    List<String> all = new ArrayList<>();
    for (TcpListenerConfig tcp : config.tcp()) {
      all.add(tcp.name() + " (TCP " + tcp.protocolName() + " on " + tcp.binding().describe() + ", "
        + tcp.engineInUse().configName() + " engine"
        + (tcp.tls() != null ? ", TLS by " + tcp.tls().provider().configName() : "") + ")");
    }
    for (UdpListenerConfig udp : config.udp()) {
      all.add(udp.name() + " (UDP " + udp.protocol().configName() + " on " + udp.binding().describe() + ", "
        + udp.engineInUse().configName() + " engine)");
    }
    return all.isEmpty() ? "none" : String.join(", ", all);
  }
}
