package dev.netserver.config;

import java.util.Objects;

/**
 * One UDP listener.
 *
 * @param instances          sockets (event loops) serving the port; more than 1 needs {@code reusePort}
 *                           on a native transport
 * @param maxDatagramBytes   the largest datagram echoed; larger ones are dropped, never echoed truncated
 * @param blockedSourcePorts datagrams from these source ports are dropped (loop and reflection protection)
 * @param limits             rates of datagrams answered (issue 11)
 */
public record UdpListenerConfig(
  String name,
  UdpProtocol protocol,
  Binding binding,
  int instances,
  int maxDatagramBytes,
  PortSet blockedSourcePorts,
  UdpSocketConfig socket,
  UdpLimits limits) {

  public static final int DEFAULT_INSTANCES = 1;
  public static final int DEFAULT_MAX_DATAGRAM_BYTES = 8192;
  /** As OpenBSD's inetd refuses: privileged ports (other services) and NFS. */
  public static final String DEFAULT_BLOCKED_SOURCE_PORTS = "0-1023,2049";
  /** The largest UDP payload over IPv4 (65535 - 8 byte UDP header - 20 byte IP header). */
  public static final int MAX_UDP_PAYLOAD = 65_507;

  public UdpListenerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(blockedSourcePorts, "blockedSourcePorts");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(limits, "limits");
    if (instances < 1 || maxDatagramBytes < 1 || maxDatagramBytes > MAX_UDP_PAYLOAD) {
      throw new IllegalArgumentException("listener setting out of range");
    }
  }

  /** A listener with the default limits. */
  public UdpListenerConfig(String name, UdpProtocol protocol, Binding binding, int instances, int maxDatagramBytes,
                           PortSet blockedSourcePorts, UdpSocketConfig socket) {
    this(name, protocol, binding, instances, maxDatagramBytes, blockedSourcePorts, socket, UdpLimits.DEFAULT);
  }

  public static UdpListenerConfig of(String name, Binding binding) {
    return new UdpListenerConfig(name, UdpProtocol.ECHO, binding, DEFAULT_INSTANCES, DEFAULT_MAX_DATAGRAM_BYTES,
      PortSet.parse(DEFAULT_BLOCKED_SOURCE_PORTS), UdpSocketConfig.DEFAULT);
  }

  public UdpListenerConfig withMaxDatagramBytes(int bytes) {
    return new UdpListenerConfig(name, protocol, binding, instances, bytes, blockedSourcePorts, socket, limits);
  }

  public UdpListenerConfig withBlockedSourcePorts(PortSet ports) {
    return new UdpListenerConfig(name, protocol, binding, instances, maxDatagramBytes, ports, socket, limits);
  }

  public UdpListenerConfig withInstances(int n) {
    return new UdpListenerConfig(name, protocol, binding, n, maxDatagramBytes, blockedSourcePorts, socket, limits);
  }

  public UdpListenerConfig withSocket(UdpSocketConfig options) {
    return new UdpListenerConfig(name, protocol, binding, instances, maxDatagramBytes, blockedSourcePorts, options, limits);
  }

  public UdpListenerConfig withLimits(UdpLimits l) {
    return new UdpListenerConfig(name, protocol, binding, instances, maxDatagramBytes, blockedSourcePorts, socket, l);
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
    UdpLimits limits = UdpLimits.read(r.object("limits"));
    r.finish();
    return new UdpListenerConfig(name == null ? "" : name, protocol == null ? UdpProtocol.ECHO : protocol, binding,
      instances, max, blocked, socket, limits);
  }
}
