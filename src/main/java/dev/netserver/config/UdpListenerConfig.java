package dev.netserver.config;

import java.util.Objects;

/**
 * One UDP listener.
 *
 * @param instances          sockets (event loops) serving the port; more than 1 needs {@code reusePort}
 *                           on a native transport
 * @param maxDatagramBytes   the largest datagram echoed; larger ones are dropped, never echoed truncated
 * @param blockedSourcePorts datagrams from these source ports are dropped (loop and reflection protection)
 * @param engine             as configured; {@link #engineInUse()} is the one that serves the listener
 * @param limits             rates of datagrams answered
 */
public record UdpListenerConfig(
  String name,
  UdpProtocol protocol,
  Binding binding,
  int instances,
  int maxDatagramBytes,
  PortSet blockedSourcePorts,
  UdpSocketConfig socket,
  Engine engine,
  UdpLimits limits) {

  public static final int DEFAULT_INSTANCES = 1;
  public static final int DEFAULT_MAX_DATAGRAM_BYTES = 8192;
  /** As OpenBSD's inetd refuses: privileged ports (other services) and NFS. */
  public static final String DEFAULT_BLOCKED_SOURCE_PORTS = "0-1023,2049";
  /** The largest UDP payload over IPv4 (65535 - 8 byte UDP header - 20 byte IP header). */
  public static final int MAX_UDP_PAYLOAD = 65_507;
  /**
   * The engine {@code vertx}'s receiveBufferSize when none is configured. Vert.x makes receiveBufferSize both
   * SO_RCVBUF and the size of every read buffer (without it, a 2 KiB buffer that truncates silently). Any
   * datagram fits in 256 KiB, so none can be echoed truncated; and as SO_RCVBUF it queues 8 senders x 16
   * datagrams without loss, where 64 KiB lost some under that load (docs/DESIGN.md).
   */
  public static final int VERTX_DEFAULT_RECEIVE_BUFFER_SIZE = 256 * 1024;

  public UdpListenerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(blockedSourcePorts, "blockedSourcePorts");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(limits, "limits");
    if (instances < 1 || maxDatagramBytes < 1 || maxDatagramBytes > MAX_UDP_PAYLOAD) {
      throw new IllegalArgumentException("listener setting out of range");
    }
  }

  public static UdpListenerConfig of(String name, Binding binding) {
    return new UdpListenerConfig(name, UdpProtocol.ECHO, binding, DEFAULT_INSTANCES, DEFAULT_MAX_DATAGRAM_BYTES,
      PortSet.parse(DEFAULT_BLOCKED_SOURCE_PORTS), UdpSocketConfig.DEFAULT, Engine.AUTO, UdpLimits.DEFAULT);
  }

  /**
   * The engine that serves this listener: the configured one, and for {@code auto} the direct path, as a UDP
   * echo asks for nothing that only Vert.x's DatagramSocket has.
   */
  public Engine engineInUse() {
    return engine == Engine.AUTO ? Engine.DIRECT : engine;
  }

  /**
   * The receive buffer size of engine {@code vertx}, which is also the size of each of its read buffers: the
   * configured one, else {@link #VERTX_DEFAULT_RECEIVE_BUFFER_SIZE}. At least {@code maxDatagramBytes + 1}
   * (checked when read), so a datagram over the limit arrives with more than the limit and is recognised.
   */
  public int vertxReceiveBufferSize() {
    return socket.receiveBufferSize() > 0 ? socket.receiveBufferSize() : Math.max(VERTX_DEFAULT_RECEIVE_BUFFER_SIZE, maxDatagramBytes + 1);
  }

  public UdpListenerConfig withMaxDatagramBytes(int bytes) {
    return new UdpListenerConfig(name, protocol, binding, instances, bytes, blockedSourcePorts, socket, engine, limits);
  }

  public UdpListenerConfig withBlockedSourcePorts(PortSet ports) {
    return new UdpListenerConfig(name, protocol, binding, instances, maxDatagramBytes, ports, socket, engine, limits);
  }

  public UdpListenerConfig withInstances(int n) {
    return new UdpListenerConfig(name, protocol, binding, n, maxDatagramBytes, blockedSourcePorts, socket, engine, limits);
  }

  public UdpListenerConfig withSocket(UdpSocketConfig options) {
    return new UdpListenerConfig(name, protocol, binding, instances, maxDatagramBytes, blockedSourcePorts, options, engine, limits);
  }

  public UdpListenerConfig withLimits(UdpLimits l) {
    return new UdpListenerConfig(name, protocol, binding, instances, maxDatagramBytes, blockedSourcePorts, socket, engine, l);
  }

  public UdpListenerConfig withEngine(Engine e) {
    return new UdpListenerConfig(name, protocol, binding, instances, maxDatagramBytes, blockedSourcePorts, socket, e, limits);
  }

  static UdpListenerConfig read(ConfigReader r) {
    String name = ListenerNames.read(r);
    UdpProtocol protocol = r.requiredChoice("protocol", UdpProtocol.SPELLINGS);
    Binding binding = Binding.read(r);
    int instances = r.integer("instances", DEFAULT_INSTANCES, 1, 1024);
    int max = r.integer("maxDatagramBytes", DEFAULT_MAX_DATAGRAM_BYTES, 1, MAX_UDP_PAYLOAD);
    String portsText = r.string("blockedSourcePorts", DEFAULT_BLOCKED_SOURCE_PORTS);
    PortSet blocked = portsText == null ? PortSet.parse(DEFAULT_BLOCKED_SOURCE_PORTS)
      : PortSet.parse(portsText, problem -> r.problems().invalid(r.at("blockedSourcePorts"),
        "must be ports and ranges like \"0-1023,2049\" or \"\" for none: " + problem, portsText));
    UdpSocketConfig socket = UdpSocketConfig.read(r.object("socket"));
    Engine engine = r.choice("engine", Engine.AUTO, Engine.SPELLINGS);
    UdpLimits limits = UdpLimits.read(r.object("limits"));
    r.finish();
    UdpListenerConfig config = new UdpListenerConfig(name == null ? "" : name, protocol == null ? UdpProtocol.ECHO : protocol,
      binding, instances, max, blocked, socket, engine, limits);
    config.checkEngine(r);
    return config;
  }

  /** Settings the engine in use cannot honour: each a problem naming the key and the engine, never ignored. */
  private void checkEngine(ConfigReader r) {
    int receiveBuffer = socket.receiveBufferSize();
    if (engineInUse() == Engine.VERTX && receiveBuffer > 0 && receiveBuffer <= maxDatagramBytes) {
      r.problems().invalid(ConfigReader.child(r.at("socket"), "receiveBufferSize"), "must be more than maxDatagramBytes ("
        + maxDatagramBytes + ") with engine \"vertx\": Vert.x's DatagramSocket reads every datagram into a buffer of"
        + " that size, so a larger one would be echoed truncated", receiveBuffer);
    }
  }
}
