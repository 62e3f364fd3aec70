package dev.netserver.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The whole validated configuration. Built only by {@link #read}, which checks every rule and reports
 * every problem at once through {@link ConfigException}.
 *
 * @param nodeName  identifies this process in stats (and, clustered, among nodes)
 * @param transport the Netty transport asked for
 * @param tcp       TCP listeners, in configuration order
 * @param udp       UDP listeners, in configuration order
 * @param cluster   how to join a cluster, used only when started with {@code -cluster}
 * @param admin     the operator's HTTP port, or {@code null} when off (no {@code admin} object)
 * @param bridge    the TCP event bus bridge for other languages, or {@code null} when off (no {@code bridge} object)
 * @param reload    hot reload's settings (watching the file)
 */
public record NetserverConfig(
  String nodeName,
  TransportChoice transport,
  List<TcpListenerConfig> tcp,
  List<UdpListenerConfig> udp,
  StatsConfig stats,
  ShutdownConfig shutdown,
  ClusterConfig cluster,
  AdminConfig admin,
  BridgeConfig bridge,
  ReloadConfig reload) {

  /** The listeners used when the configuration has no {@code tcp} key: the textbook's port and the next. */
  public static final JsonArray DEFAULT_TCP = new JsonArray()
    .add(new JsonObject().put("name", "greeter").put("protocol", "greeting").put("port", 51423))
    .add(new JsonObject().put("name", "echo").put("protocol", "echo").put("port", 51424));
  /** The listener used when the configuration has no {@code udp} key. */
  public static final JsonArray DEFAULT_UDP = new JsonArray()
    .add(new JsonObject().put("name", "udp-echo").put("protocol", "echo").put("port", 51423));

  private static final int NODE_NAME_MAX_LENGTH = 255;
  private static final Pattern NODE_NAME = Pattern.compile("[^\\s\\p{Cntrl}]{1," + NODE_NAME_MAX_LENGTH + "}");

  public NetserverConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(transport, "transport");
    tcp = List.copyOf(tcp);
    udp = List.copyOf(udp);
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(shutdown, "shutdown");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(reload, "reload");
  }

  /**
   * Validates {@code json} and builds the configuration, or throws a {@link ConfigException} listing every
   * problem, each prefixed with {@code source} (the file name). May block: it looks up network interfaces
   * and resolves host names, so call it off the event loop.
   */
  public static NetserverConfig read(String source, JsonObject json) {
    return read(new Problems(source), json);
  }

  /** {@link #read(String, JsonObject)} after the problems already found in the text ({@link JsonText}). */
  static NetserverConfig read(Problems problems, JsonObject json) {
    ConfigReader root = new ConfigReader(problems, "", json);

    String nodeName = readNodeName(root.object("node"));
    TransportChoice transport = root.choice("transport", TransportChoice.AUTO, TransportChoice.SPELLINGS);

    List<ConfigReader> tcpReaders = root.objects("tcp");
    if (tcpReaders == null) {
      tcpReaders = new ConfigReader(problems, "", new JsonObject().put("tcp", DEFAULT_TCP.copy())).objects("tcp");
    }
    List<TcpListenerConfig> tcp = new ArrayList<>();
    for (ConfigReader r : tcpReaders) {
      tcp.add(TcpListenerConfig.read(r));
    }
    List<ConfigReader> udpReaders = root.objects("udp");
    if (udpReaders == null) {
      udpReaders = new ConfigReader(problems, "", new JsonObject().put("udp", DEFAULT_UDP.copy())).objects("udp");
    }
    List<UdpListenerConfig> udp = new ArrayList<>();
    for (ConfigReader r : udpReaders) {
      udp.add(UdpListenerConfig.read(r));
    }
    StatsConfig stats = StatsConfig.read(root.object("stats"));
    ShutdownConfig shutdown = ShutdownConfig.read(root.object("shutdown"));
    ClusterConfig cluster = ClusterConfig.read(root.object("cluster"));
    AdminConfig admin = AdminConfig.read(root);
    BridgeConfig bridge = BridgeConfig.read(root);
    ReloadConfig reload = ReloadConfig.read(root.object("reload"));
    root.finish();

    if (isEmptyArray(root.raw("tcp")) && isEmptyArray(root.raw("udp"))) {
      problems.add("tcp and udp are both empty, so nothing would listen: configure at least one listener"
        + " (or leave one key out to get its default listeners)");
    }
    checkNames(problems, tcp, udp);
    checkCollisions(problems, "tcp", tcp.stream().map(TcpListenerConfig::binding).toList());
    checkCollisions(problems, "udp", udp.stream().map(UdpListenerConfig::binding).toList());
    checkNativeOptions(problems, transport, tcp, udp);

    problems.throwIfAny();
    return new NetserverConfig(nodeName, transport, tcp, udp, stats, shutdown, cluster, admin, bridge, reload);
  }

  private static boolean isEmptyArray(Object value) {
    return value instanceof JsonArray array && array.isEmpty();
  }

  private static String readNodeName(ConfigReader r) {
    String name = r.string("name", null);
    r.finish();
    if (name != null && !NODE_NAME.matcher(name).matches()) {
      // the value may be cut short in the message, so a name that is only too long says so
      String rule = name.length() > NODE_NAME_MAX_LENGTH && NODE_NAME.matcher(name.substring(0, NODE_NAME_MAX_LENGTH)).matches()
        ? "must be at most " + NODE_NAME_MAX_LENGTH + " characters long, this one has " + name.length()
        : "must be 1 to " + NODE_NAME_MAX_LENGTH + " characters without spaces or control characters";
      r.problems().invalid(r.at("name"), rule, name);
      name = null;
    }
    return name != null ? name : hostName();
  }

  /** The machine's host name, the default node name. */
  static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && NODE_NAME.matcher(env).matches()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }

  private static void checkNames(Problems problems, List<TcpListenerConfig> tcp, List<UdpListenerConfig> udp) {
    Map<String, String> firstUse = new HashMap<>();
    for (int i = 0; i < tcp.size(); i++) {
      checkName(problems, firstUse, tcp.get(i).name(), "tcp[" + i + "]");
    }
    for (int i = 0; i < udp.size(); i++) {
      checkName(problems, firstUse, udp.get(i).name(), "udp[" + i + "]");
    }
  }

  private static void checkName(Problems problems, Map<String, String> firstUse, String name, String path) {
    if (name.isEmpty()) {
      return; // already reported as missing or malformed
    }
    String previous = firstUse.putIfAbsent(name, path);
    if (previous != null) {
      problems.invalid(path + ".name", "must be unique among listeners, but " + previous + " has it too", name);
    }
  }

  private static void checkCollisions(Problems problems, String kind, List<Binding> bindings) {
    for (int i = 0; i < bindings.size(); i++) {
      for (int j = 0; j < i; j++) {
        Binding.Collision c = bindings.get(i).collision(bindings.get(j));
        if (c != null) {
          problems.add(kind + "[" + i + "] would listen on " + Binding.hostAndPort(c.address(), bindings.get(i).port())
            + ", which collides with " + kind + "[" + j + "] on " + Binding.hostAndPort(c.otherAddress(), bindings.get(j).port()));
        }
      }
    }
  }

  private static void checkNativeOptions(Problems problems, TransportChoice transport,
                                         List<TcpListenerConfig> tcp, List<UdpListenerConfig> udp) {
    if (transport == TransportChoice.NIO) {
      for (int i = 0; i < tcp.size(); i++) {
        for (String key : tcp.get(i).socket().nativeOnlyOptionsInUse()) {
          problems.add("tcp[" + i + "].socket." + key + " needs a native transport (epoll or io_uring), but transport is \"nio\"");
        }
      }
      for (int i = 0; i < udp.size(); i++) {
        for (String key : udp.get(i).socket().nativeOnlyOptionsInUse()) {
          problems.add("udp[" + i + "].socket." + key + " needs a native transport (epoll or io_uring), but transport is \"nio\"");
        }
      }
    }
    for (int i = 0; i < udp.size(); i++) {
      UdpListenerConfig u = udp.get(i);
      if (u.instances() > 1 && (!u.socket().reusePort() || transport == TransportChoice.NIO)) {
        problems.invalid("udp[" + i + "].instances", "must be 1 unless socket.reusePort is true on a native transport"
          + " (epoll or io_uring): only SO_REUSEPORT lets several sockets share one UDP port", u.instances());
      }
    }
  }

  /** Every configured option that only a native transport honours, as JSON paths; for the NIO fallback warning. */
  public List<String> nativeOnlyOptionsInUse() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < tcp.size(); i++) {
      for (String key : tcp.get(i).socket().nativeOnlyOptionsInUse()) {
        paths.add("tcp[" + i + "].socket." + key);
      }
    }
    for (int i = 0; i < udp.size(); i++) {
      for (String key : udp.get(i).socket().nativeOnlyOptionsInUse()) {
        paths.add("udp[" + i + "].socket." + key);
      }
    }
    return paths;
  }
}
