package dev.netserver.sockopts;

import dev.netserver.config.Binding;
import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.tcp.TcpServerVerticle;
import dev.netserver.udp.UdpEchoVerticle;
import dev.netserver.vertx.VertxInsides;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which configuration key ends up as which Netty option on one transport, found by asking Vert.x rather
 * than by a table: for each key, a listener configuration that differs from the defaults in that key
 * only goes through netserver's reader and the call the server configures its sockets with
 * ({@link TcpServerVerticle#configure}, {@link UdpEchoVerticle#configure}: Vert.x's own mapping), and
 * whatever option comes out different belongs to that key. TCP compares the options Vert.x puts on a
 * {@link ServerBootstrap} (listening socket) and its child options (accepted sockets); UDP compares the
 * options of real, unbound datagram channels before and after.
 *
 * <p>This is how the listing knows, for instance, that {@code reusePort} is ignored on NIO (although the
 * JDK offers {@code SO_REUSEPORT}) and that {@code receiveBufferSize} also fixes Netty's read size.
 */
final class VertxMapping {

  private final Map<SocketKind, Map<ConfigKey, List<String>>> optionsByKey = new EnumMap<>(SocketKind.class);
  private final Map<SocketKind, Set<String>> setByVertxAlone = new EnumMap<>(SocketKind.class);

  private VertxMapping() {
    for (SocketKind kind : SocketKind.values()) {
      optionsByKey.put(kind, new LinkedHashMap<>());
      setByVertxAlone.put(kind, new LinkedHashSet<>());
    }
  }

  /** The Netty options (short names) that {@code key} sets on sockets of this kind; empty if none. */
  List<String> options(SocketKind kind, ConfigKey key) {
    return optionsByKey.get(kind).getOrDefault(key, List.of());
  }

  /** The keys that set this Netty option on sockets of this kind; empty if none does. */
  List<ConfigKey> keys(SocketKind kind, String option) {
    List<ConfigKey> keys = new ArrayList<>();
    optionsByKey.get(kind).forEach((key, options) -> {
      if (options.contains(option)) {
        keys.add(key);
      }
    });
    return keys;
  }

  /** Whether the key sets anything at all on this transport. */
  boolean appliesAnywhere(ConfigKey key) {
    for (SocketKind kind : SocketKind.values()) {
      if (!options(kind, key).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Options Vert.x changes on sockets of this kind whatever the configuration says. */
  Set<String> setByVertxAlone(SocketKind kind) {
    return setByVertxAlone.get(kind);
  }

  /** The mapping of one of Vert.x's transports, which must be available. */
  static VertxMapping discover(Transport transport) {
    VertxMapping mapping = new VertxMapping();
    NetserverConfig probes = probeConfig();
    VertxInsides insides = VertxInsides.of(transport);
    mapping.discoverTcp(insides, probes.tcp());
    mapping.discoverUdp(insides, probes.udp());
    return mapping;
  }

  private void discoverTcp(VertxInsides insides, List<TcpListenerConfig> probes) {
    ServerBootstrap base = TcpServerVerticle.configure(insides, new ServerBootstrap(), probes.get(0));
    Map<String, String> baseOptions = rendered(base.config().options());
    Map<String, String> baseChildOptions = rendered(base.config().childOptions());
    for (int i = 0; i < ConfigKey.TCP.size(); i++) {
      ServerBootstrap probe = TcpServerVerticle.configure(insides, new ServerBootstrap(), probes.get(i + 1));
      record(SocketKind.TCP_LISTENER, ConfigKey.TCP.get(i), changed(baseOptions, rendered(probe.config().options())));
      record(SocketKind.TCP_CONNECTION, ConfigKey.TCP.get(i), changed(baseChildOptions, rendered(probe.config().childOptions())));
    }
    addUnclaimed(SocketKind.TCP_LISTENER, baseOptions.keySet());
    addUnclaimed(SocketKind.TCP_CONNECTION, baseChildOptions.keySet());
  }

  private void discoverUdp(VertxInsides insides, List<UdpListenerConfig> probes) {
    DatagramChannel base = insides.datagramChannel(false);
    try {
      Map<String, String> fresh = rendered(base);
      UdpEchoVerticle.configure(insides, base, probes.get(0), false);
      Map<String, String> baseOptions = rendered(base);
      for (int i = 0; i < ConfigKey.UDP.size(); i++) {
        DatagramChannel probe = insides.datagramChannel(false);
        try {
          UdpEchoVerticle.configure(insides, probe, probes.get(i + 1), false);
          record(SocketKind.UDP, ConfigKey.UDP.get(i), changed(baseOptions, rendered(probe)));
        } finally {
          probe.unsafe().closeForcibly();
        }
      }
      addUnclaimed(SocketKind.UDP, changed(fresh, baseOptions));
    } finally {
      base.unsafe().closeForcibly();
    }
  }

  private void record(SocketKind kind, ConfigKey key, List<String> options) {
    if (!options.isEmpty()) {
      List<String> sorted = new ArrayList<>(options);
      // the socket option first, then what Netty derives from the same key
      sorted.sort(Comparator.comparing((String option) -> OptionCatalog.describe(option).level().equals("netty"))
        .thenComparing(Comparator.naturalOrder()));
      optionsByKey.get(kind).put(key, List.copyOf(sorted));
    }
  }

  private void addUnclaimed(SocketKind kind, Iterable<String> options) {
    for (String option : options) {
      if (keys(kind, option).isEmpty()) {
        setByVertxAlone.get(kind).add(option);
      }
    }
  }

  /**
   * One listener with every default, then, per key, one that differs from the defaults in that key only,
   * read by netserver's own configuration reader.
   */
  static NetserverConfig probeConfig() {
    TcpListenerConfig tcpDefaults = TcpListenerConfig.of("defaults", TcpProtocol.ECHO, Binding.of(Probes.LOOPBACK, 0));
    UdpListenerConfig udpDefaults = UdpListenerConfig.of("defaults", Binding.of(Probes.LOOPBACK, 0));
    JsonArray tcp = new JsonArray().add(probeListener("tcp-base").put("protocol", "echo"));
    for (ConfigKey key : ConfigKey.TCP) {
      JsonObject listener = probeListener("tcp-" + tcp.size()).put("protocol", "echo");
      key.putInto(listener, differentFrom(key.valueIn(tcpDefaults)));
      tcp.add(listener);
    }
    JsonArray udp = new JsonArray().add(probeListener("udp-base").put("protocol", "echo"));
    for (ConfigKey key : ConfigKey.UDP) {
      JsonObject listener = probeListener("udp-" + udp.size()).put("protocol", "echo");
      key.putInto(listener, differentFrom(key.valueIn(udpDefaults)));
      udp.add(listener);
    }
    JsonObject json = new JsonObject()
      .put("node", new JsonObject().put("name", "sockopts-probe"))
      .put("transport", "auto")
      .put("tcp", tcp)
      .put("udp", udp);
    return NetserverConfig.read("sockopts probes", json);
  }

  private static JsonObject probeListener(String name) {
    return new JsonObject().put("name", name).put("host", Probes.LOOPBACK).put("port", 0);
  }

  /** A valid value unlike the default: the other boolean, or 16 (a size, a TOS byte, seconds, a backlog). */
  private static Object differentFrom(Object defaultValue) {
    if (defaultValue instanceof Boolean b) {
      return !b;
    }
    if (defaultValue instanceof Integer n) {
      return n == 16 ? 17 : 16;
    }
    throw new IllegalStateException("no probe value for a " + defaultValue.getClass().getSimpleName() + " key");
  }

  private static Map<String, String> rendered(Map<ChannelOption<?>, Object> options) {
    Map<String, String> out = new LinkedHashMap<>();
    options.forEach((option, value) -> out.put(NettyOptions.shortName(option), NettyOptions.render(value)));
    return out;
  }

  private static Map<String, String> rendered(DatagramChannel channel) {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      NettyOptions.snapshot(channel).forEach((name, observed) -> out.put(name, observed.rendered()));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the options of " + channel.getClass().getSimpleName() + ": " + e, e);
    }
    return out;
  }

  /** Options whose value differs between two renderings, or that only one of them has. */
  private static List<String> changed(Map<String, String> before, Map<String, String> after) {
    Set<String> names = new LinkedHashSet<>(after.keySet());
    names.addAll(before.keySet());
    List<String> changed = new ArrayList<>();
    for (String name : names) {
      if (!Objects.equals(before.get(name), after.get(name))) {
        changed.add(name);
      }
    }
    return changed;
  }
}
