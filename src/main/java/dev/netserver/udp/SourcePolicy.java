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
 * unspecified source address, which no real sender has, reflects traffic at a whole network.
 */
final class SourcePolicy {

  enum Verdict { ACCEPT, BLOCKED_PORT, INVALID_ADDRESS }

  private static final InetAddress LIMITED_BROADCAST = ipv4(255, 255, 255, 255);

  private final PortSet blockedPorts;
  private final Set<InetAddress> broadcastAddresses;

  SourcePolicy(PortSet blockedPorts, Set<InetAddress> broadcastAddresses) {
    this.blockedPorts = blockedPorts;
    this.broadcastAddresses = Set.copyOf(broadcastAddresses);
  }

  Verdict judge(InetSocketAddress sender) {
    if (blockedPorts.contains(sender.getPort())) {
      return Verdict.BLOCKED_PORT;
    }
    InetAddress address = sender.getAddress();
    if (address == null || address.isAnyLocalAddress() || address.isMulticastAddress()
      || (address instanceof Inet4Address && broadcastAddresses.contains(address))) {
      return Verdict.INVALID_ADDRESS;
    }
    return Verdict.ACCEPT;
  }

  /** 255.255.255.255 and the directed broadcast address of every local IPv4 subnet. Blocking: reads the interfaces. */
  static Set<InetAddress> broadcastAddresses() {
    Set<InetAddress> addresses = new HashSet<>();
    addresses.add(LIMITED_BROADCAST);
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
          if (ia.getBroadcast() != null) {
            addresses.add(ia.getBroadcast());
          }
        }
      }
    } catch (SocketException e) {
      // the limited broadcast address is still refused
    }
    return addresses;
  }

  private static InetAddress ipv4(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
