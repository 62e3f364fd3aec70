package dev.netserver.sockopts;

import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.tcp.TcpServerVerticle;
import dev.netserver.udp.UdpEchoVerticle;
import dev.netserver.vertx.VertxInsides;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.transport.Transport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Part two: for each configured listener, a socket made the way the server makes the real one (through
 * the very call it configures them with: {@link TcpServerVerticle#configure} on a Netty bootstrap,
 * {@link UdpEchoVerticle#configure} on a datagram channel) but bound to loopback port 0, so that a
 * running server is not disturbed; then, for every key, the value asked and the value read back.
 */
final class ListenerChecker {

  private final Probes probes;
  private final Transport transport;
  private final VertxMapping mapping;
  private final Map<String, VertxMapping> allMappings;

  /**
   * @param transport   the transport the sockets are made on
   * @param allMappings every available transport's mapping, to tell "ignored here" from "never an option"
   */
  ListenerChecker(Probes probes, Transport transport, Map<String, VertxMapping> allMappings) {
    this.probes = probes;
    this.transport = transport;
    this.mapping = allMappings.get(transport.name());
    this.allMappings = allMappings;
  }

  List<SocketCheck> checkAll(NetserverConfig config) {
    List<SocketCheck> checks = new ArrayList<>();
    for (int i = 0; i < config.tcp().size(); i++) {
      checks.addAll(checkTcp(i, config.tcp().get(i)));
    }
    for (int i = 0; i < config.udp().size(); i++) {
      checks.add(checkUdp(i, config.udp().get(i)));
    }
    return checks;
  }

  private List<SocketCheck> checkTcp(int index, TcpListenerConfig listener) {
    ServerBootstrap bootstrap = TcpServerVerticle.configure(VertxInsides.of(transport), new ServerBootstrap(), listener);
    Map<String, Object> asked = byName(bootstrap.config().options());
    Map<String, Object> childAsked = byName(bootstrap.config().childOptions());
    Map<String, NettyOptions.Observed> reported;
    Map<String, NettyOptions.Observed> childReported;
    try {
      Probes.TcpPair pair = probes.tcpPair(transport, bootstrap);
      reported = NettyOptions.snapshot(pair.listener());
      childReported = NettyOptions.snapshot(pair.accepted());
    } catch (Exception e) {
      String error = "could not make the socket: " + Probes.describe(e);
      return List.of(
        socket(index, listener, "tcp", "listener", List.of(), error),
        socket(index, listener, "tcp", "accepted", List.of(), error));
    }
    List<SocketCheck.Row> listenerRows = rows(SocketKind.TCP_LISTENER, ConfigKey.TCP, index,
      key -> key.valueIn(listener), (key, netty) -> asked.get(netty), reported);
    List<SocketCheck.Row> acceptedRows = rows(SocketKind.TCP_CONNECTION, ConfigKey.TCP, index,
      key -> key.valueIn(listener), (key, netty) -> childAsked.get(netty), childReported);
    return List.of(
      socket(index, listener, "tcp", "listener", listenerRows, null),
      socket(index, listener, "tcp", "accepted", acceptedRows, null));
  }

  private SocketCheck checkUdp(int index, UdpListenerConfig listener) {
    Map<String, NettyOptions.Observed> reported;
    try {
      DatagramChannel channel = probes.udp(transport,
        c -> UdpEchoVerticle.configure(VertxInsides.of(transport), c, listener, false));
      reported = NettyOptions.snapshot(channel);
    } catch (Exception e) {
      return socket(index, listener, List.of(), "could not make the socket: " + Probes.describe(e));
    }
    List<SocketCheck.Row> rows = rows(SocketKind.UDP, ConfigKey.UDP, index, key -> key.valueIn(listener),
      (key, netty) -> udpAsked(key == null ? null : key.valueIn(listener), netty, reported), reported);
    return socket(index, listener, rows, null);
  }

  /**
   * What Vert.x gives Netty for a UDP key. {@code Transport.configure(DatagramChannel, ...)} sets options
   * on the channel directly, so there is no bootstrap to read it from; but it passes each value through
   * unchanged and skips -1, and a Netty setting (the receive allocator it derives from the buffer size)
   * holds exactly what was set. For an option Vert.x sets by itself ({@code key} {@code null}), the value
   * it set is the one the channel holds.
   */
  private static Object udpAsked(Object config, String netty, Map<String, NettyOptions.Observed> reported) {
    if (Integer.valueOf(-1).equals(config)) {
      return null;
    }
    if (config == null || OptionDoc.NETTY.equals(OptionCatalog.describe(netty).osLevel())) {
      NettyOptions.Observed observed = reported.get(netty);
      return observed == null ? null : observed.value();
    }
    return config;
  }

  /** The rows of one socket: each key's options (or a row saying it is ignored), then what Vert.x sets by itself. */
  private List<SocketCheck.Row> rows(SocketKind kind, List<ConfigKey> keys, int index, Function<ConfigKey, Object> config,
                                     BiFunction<ConfigKey, String, Object> asked,
                                     Map<String, NettyOptions.Observed> reported) {
    List<SocketCheck.Row> rows = new ArrayList<>();
    for (ConfigKey key : keys) {
      List<String> options = mapping.options(kind, key);
      if (options.isEmpty()) {
        if (homeKind(key) == kind && !mapping.appliesAnywhere(key)) {
          rows.add(new SocketCheck.Row(key.at(index), config.apply(key), null, null, null, null, false, null,
            Notes.ignored(transport.name(), appliedElsewhere(key))));
        }
        continue;
      }
      for (String netty : options) {
        rows.add(row(key.at(index), config.apply(key), netty, asked.apply(key, netty), reported.get(netty)));
      }
    }
    for (String netty : mapping.setByVertxAlone(kind)) {
      rows.add(row(null, null, netty, asked.apply(null, netty), reported.get(netty)));
    }
    return rows;
  }

  private SocketCheck.Row row(String key, Object config, String netty, Object asked, NettyOptions.Observed observed) {
    OptionDoc doc = OptionCatalog.describe(netty);
    Object reported = observed == null ? null : observed.value();
    String note = Notes.of(netty, doc, asked, reported, observed != null, transport.name());
    if (key == null) {
      note = "set by netserver or Vert.x, not by a socket key" + (note.isEmpty() ? "" : "; " + note);
    }
    return new SocketCheck.Row(key, config, netty, doc, asked, reported, observed != null,
      effective(netty, reported, observed != null), note);
  }

  /** The value in force: the kernel caps a listen() backlog without saying so; other options report their own. */
  private static Object effective(String netty, Object reported, boolean hasValue) {
    if (!hasValue) {
      return null;
    }
    return netty.equals("SO_BACKLOG") && reported instanceof Integer backlog ? TcpListenerConfig.kernelBacklog(backlog) : reported;
  }

  /** Which socket a key belongs to: where this transport, or failing that any other, applies it. */
  private SocketKind homeKind(ConfigKey key) {
    List<VertxMapping> order = new ArrayList<>();
    order.add(mapping);
    order.addAll(allMappings.values());
    for (VertxMapping m : order) {
      for (SocketKind kind : SocketKind.values()) {
        if (kind.configSection().equals(key.section()) && !m.options(kind, key).isEmpty()) {
          return kind;
        }
      }
    }
    return key.section().equals("udp") ? SocketKind.UDP : SocketKind.TCP_LISTENER;
  }

  private boolean appliedElsewhere(ConfigKey key) {
    return allMappings.values().stream().anyMatch(m -> m.appliesAnywhere(key));
  }

  private SocketCheck socket(int index, TcpListenerConfig listener, String section, String socket,
                             List<SocketCheck.Row> rows, String error) {
    return new SocketCheck(listener.name(), section, index, listener.binding().describe(), transport.name(), socket, rows, error);
  }

  private SocketCheck socket(int index, UdpListenerConfig listener, List<SocketCheck.Row> rows, String error) {
    return new SocketCheck(listener.name(), "udp", index, listener.binding().describe(), transport.name(), "udp", rows, error);
  }

  private static Map<String, Object> byName(Map<ChannelOption<?>, Object> options) {
    Map<String, Object> byName = new LinkedHashMap<>();
    options.forEach((option, value) -> byName.put(NettyOptions.shortName(option), value));
    return byName;
  }
}
