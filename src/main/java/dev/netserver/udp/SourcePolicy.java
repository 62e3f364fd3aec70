package dev.netserver.udp;

import dev.netserver.config.PortSet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * Which senders a UDP echo refuses to answer. Echoing to a privileged port (another echo or chargen
 * service) starts an endless ping-pong between two servers; echoing to a broadcast, multicast or
 * unspecified source address, which no real sender has, reflects traffic at a whole network; and echoing
 * a datagram whose source is one of this process's own UDP listeners (a local address and a port in
 * {@link OwnPorts}) loops forever, between two listeners or a listener and itself.
 *
 * <p>Only UDP listener ports count as own: a TCP listener never sends a datagram, and a local UDP client
 * that happens to use a TCP listener's port number is an ordinary client.
 */
final class SourcePolicy {

  enum Verdict { ACCEPT, BLOCKED_PORT, INVALID_ADDRESS, OWN_SOURCE }

  /**
   * What the host's interfaces say, read once when a listener starts: its addresses (any of which a
   * listener bound to the wildcard may send from) and the directed broadcast address of each IPv4 subnet.
   */
  record Host(Set<InetAddress> local, Set<InetAddress> broadcast) {
    Host {
      local = Set.copyOf(local);
      broadcast = Set.copyOf(broadcast);
    }

    /** Reads the interfaces; blocking. 255.255.255.255 is always a broadcast address. */
    static Host scan() {
      Set<InetAddress> local = new HashSet<>();
      Set<InetAddress> broadcast = new HashSet<>();
      broadcast.add(LIMITED_BROADCAST);
      try {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
            local.add(ia.getAddress());
            if (ia.getBroadcast() != null) {
              broadcast.add(ia.getBroadcast());
            }
          }
        }
      } catch (SocketException e) {
        // loopback is still local and the limited broadcast address still refused
      }
      return new Host(local, broadcast);
    }
  }

  private static final InetAddress LIMITED_BROADCAST = ipv4(255, 255, 255, 255);

  private final PortSet blockedPorts;
  private final Host host;
  private final OwnPorts ownPorts;

  SourcePolicy(PortSet blockedPorts, Host host, OwnPorts ownPorts) {
    this.blockedPorts = blockedPorts;
    this.host = host;
    this.ownPorts = ownPorts;
  }

  Verdict judge(InetSocketAddress sender) {
    int port = sender.getPort();
    if (blockedPorts.contains(port)) {
      return Verdict.BLOCKED_PORT;
    }
    InetAddress address = sender.getAddress();
    if (address == null || address.isAnyLocalAddress() || address.isMulticastAddress()
      || (address instanceof Inet4Address && host.broadcast().contains(address))) {
      return Verdict.INVALID_ADDRESS;
    }
    // the port first: one array read for almost every datagram
    if (ownPorts.contains(port) && (address.isLoopbackAddress() || host.local().contains(address))) {
      return Verdict.OWN_SOURCE;
    }
    return Verdict.ACCEPT;
  }

  private static InetAddress ipv4(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
