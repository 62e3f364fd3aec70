package dev.netserver;

import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.UdpListenerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code reusePort} lets a second process bind a port that one already serves, and the kernel then spreads
 * the clients over both: a stale instance, or another program, quietly takes part of the traffic. Before the
 * listeners bind, this looks for such a socket and warns.
 *
 * <p>How: the kernel's own socket tables, {@code /proc/net/tcp}, {@code tcp6}, {@code udp} and {@code udp6}
 * (Linux; where SO_REUSEPORT works across processes), read before netserver binds anything, so every socket
 * found there on the port is another process's (or another network namespace's, which does not share). A
 * TCP socket counts when it listens (state {@code 0A}); a UDP one when it is bound and not connected (state
 * {@code 07}). Chosen over a probe bind without SO_REUSEPORT because reading changes nothing: a probe would
 * hold the port for a moment, and fail for other reasons (privileged ports, an address not yet up).
 */
final class PortSharing {

  private static final Logger LOG = LoggerFactory.getLogger(PortSharing.class);
  private static final String TCP_LISTEN = "0A";
  private static final String UDP_UNCONNECTED = "07";

  private PortSharing() {
  }

  /** Logs a warning per listener whose port another process already serves; Linux only, silent elsewhere. */
  static void warn(NetserverConfig config) {
    warnings(config, Path.of("/proc/net")).forEach(LOG::warn);
  }

  static List<String> warnings(NetserverConfig config, Path procNet) {
    List<String> out = new ArrayList<>();
    for (TcpListenerConfig tcp : config.tcp()) {
      if (tcp.socket().reusePort() && tcp.binding().port() != 0) {
        check(out, tcp.name(), "TCP", tcp.binding().port(), sockets(procNet, "tcp", TCP_LISTEN));
      }
    }
    for (UdpListenerConfig udp : config.udp()) {
      if (udp.socket().reusePort() && udp.binding().port() != 0) {
        check(out, udp.name(), "UDP", udp.binding().port(), sockets(procNet, "udp", UDP_UNCONNECTED));
      }
    }
    return out;
  }

  private static void check(List<String> out, String name, String kind, int port, List<String[]> sockets) {
    Set<String> addresses = new LinkedHashSet<>();
    for (String[] socket : sockets) {
      if (Integer.parseInt(socket[1], 16) == port) {
        addresses.add(socket[0]);
      }
    }
    if (!addresses.isEmpty()) {
      out.add(name + ": " + kind + " port " + port + " is already served by another process (on " + String.join(", ", addresses)
        + "); with reusePort both will bind it and the kernel will share the traffic between them");
    }
  }

  /** The sockets of {@code tcp}/{@code tcp6} (or udp) in {@code state}, as {address, hex port}. */
  private static List<String[]> sockets(Path procNet, String table, String state) {
    List<String[]> out = new ArrayList<>();
    for (String file : new String[] {table, table + "6"}) {
      List<String> lines;
      try {
        lines = Files.readAllLines(procNet.resolve(file));
      } catch (IOException | RuntimeException e) {
        continue; // not Linux, or no IPv6: nothing to say
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 3 && fields[3].equals(state)) {
          String[] local = fields[1].split(":");
          if (local.length == 2) {
            out.add(new String[] {address(local[0]), local[1]});
          }
        }
      }
    }
    return out;
  }

  /**
   * An address as /proc/net prints it (hex, in 32-bit words of host order, little-endian here), made readable;
   * an IPv4-mapped IPv6 address (Java's dual-stack sockets) reads as IPv4.
   */
  static String address(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int word = 0; word < b.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = word * 8 + (3 - i) * 2;
        b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      InetAddress address = InetAddress.getByAddress(b);
      return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    } catch (UnknownHostException e) {
      return hex;
    }
  }
}
