package dev.netserver.config;

import io.netty.util.NetUtil;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a listener binds: the {@code host} or {@code interface} it was configured with, resolved at
 * validation time to the literal addresses that are actually bound (one socket per address), and the
 * port (0 = an ephemeral port chosen by the system).
 *
 * <p>Java has no {@code SO_BINDTODEVICE}; binding to an interface means binding to each of its
 * addresses. IPv6 link-local addresses are left out: they need a scope and are rarely what a server wants.
 *
 * @param host             the configured host ({@code null} when {@code interface} is used)
 * @param networkInterface the configured interface name, or {@code null}
 * @param addresses        literal IP addresses to bind, never empty
 * @param port             0..65535
 */
public record Binding(String host, String networkInterface, List<String> addresses, int port) {

  public static final String ALL_IPV4 = "0.0.0.0";

  private static final String NO_ADDRESS = "must name an interface that has an IP address (this one has none besides"
    + " IPv6 link-local ones)";
  /** What Linux allows as a card name (at most 15 bytes, no '/'), and not "." or "..", so it is safe in a path. */
  private static final Pattern LINUX_CARD_NAME = Pattern.compile("(?!\\.\\.?$)[A-Za-z0-9_.@-]{1,15}");

  public Binding {
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("a binding needs at least one address");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535");
    }
  }

  /** A binding of one literal address, as tests and tools build them. */
  public static Binding of(String address, int port) {
    return new Binding(address, null, List.of(address), port);
  }

  /** {@code 0.0.0.0:51423}, or {@code lo (127.0.0.1, ::1) port 51423} for an interface. */
  public String describe() {
    if (networkInterface != null) {
      return networkInterface + " (" + String.join(", ", addresses) + ") port " + port;
    }
    return hostAndPort(addresses.get(0), port);
  }

  /** {@code ip:port}, with brackets around IPv6 addresses. */
  public static String hostAndPort(String address, int port) {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }

  /**
   * Reads {@code host}, {@code interface} and {@code port} of a listener object. When they break a rule
   * the problem is recorded and a placeholder that can't collide with anything (port 0) comes back.
   */
  static Binding read(ConfigReader r) {
    String host = r.string("host", null);
    String iface = r.string("interface", null);
    int port = r.requiredInteger("port", 0, 65535);
    Problems problems = r.problems();
    List<String> addresses;
    if (r.has("host") && r.has("interface")) {
      problems.add(r.path() + " sets both \"host\" (" + Problems.render(r.raw("host")) + ") and \"interface\" ("
        + Problems.render(r.raw("interface")) + "); use one of them");
      addresses = List.of();
    } else if ((r.has("host") && host == null) || (r.has("interface") && iface == null)) {
      // already reported as of the wrong type; binding 0.0.0.0 instead would report collisions that aren't there
      addresses = List.of();
    } else if (iface != null) {
      addresses = interfaceAddresses(r, iface);
    } else {
      addresses = hostAddress(r, host == null ? ALL_IPV4 : host);
    }
    if (addresses.isEmpty()) {
      return of(ALL_IPV4, 0);
    }
    return new Binding(iface == null ? (host == null || host.isEmpty() ? ALL_IPV4 : host) : null, iface, addresses, port);
  }

  /** Whether {@code address}, a literal IP address, is a loopback address ({@code 127.0.0.0/8}, {@code ::1}). */
  static boolean isLoopback(String address) {
    try {
      return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(address)).isLoopbackAddress();
    } catch (UnknownHostException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The one address a single-address server (admin, bridge) binds for {@code host}, or {@code null} when
   * there is none: {@code host} was of the wrong type ({@code null}) or does not resolve to one address
   * (each reported already).
   */
  static String singleAddress(ConfigReader r, String host) {
    if (host == null) {
      return null;
    }
    List<String> addresses = hostAddress(r, host);
    return addresses.size() == 1 ? addresses.get(0) : null;
  }

  static List<String> hostAddress(ConfigReader r, String host) {
    if (host.isEmpty()) {
      return List.of(ALL_IPV4);
    }
    InetAddress address;
    try {
      address = NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)
        ? InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(host))
        : InetAddress.getByName(host);
    } catch (UnknownHostException | RuntimeException e) {
      r.problems().invalid(r.at("host"), "must be an IP address or a host name that resolves", host);
      return List.of();
    }
    if (!address.isAnyLocalAddress() && !address.isLoopbackAddress() && !isLocal(address)) {
      r.problems().invalid(r.at("host"), "must be an address of this machine (" + NetUtil.toAddressString(address)
        + " is not; this machine has " + String.join(", ", localAddresses()) + ")", host);
      return List.of();
    }
    return List.of(NetUtil.toAddressString(address));
  }

  private static List<String> interfaceAddresses(ConfigReader r, String name) {
    NetworkInterface nic;
    try {
      nic = name.isEmpty() ? null : NetworkInterface.getByName(name);
    } catch (SocketException e) {
      nic = null;
    }
    if (nic == null && isCardWithoutAddress(name)) {
      r.problems().invalid(r.at("interface"), NO_ADDRESS, name);
      return List.of();
    }
    if (nic == null) {
      r.problems().invalid(r.at("interface"), "must name a network interface of this machine (it has "
        + String.join(", ", interfaceNames()) + ")", name);
      return List.of();
    }
    List<String> addresses = new ArrayList<>();
    for (InetAddress a : Collections.list(nic.getInetAddresses())) {
      if (!(a instanceof Inet6Address && a.isLinkLocalAddress())) {
        addresses.add(NetUtil.toAddressString(a));
      }
    }
    if (addresses.isEmpty()) {
      r.problems().invalid(r.at("interface"), NO_ADDRESS, name);
    }
    // IPv4 first, as people read them
    addresses.sort((a, b) -> Boolean.compare(a.contains(":"), b.contains(":")));
    return addresses;
  }

  /**
   * Java lists only the cards that have an address, so a card without one looks like no card at all;
   * Linux still shows it under /sys/class/net, and "it has no address" is the better thing to report.
   */
  private static boolean isCardWithoutAddress(String name) {
    return LINUX_CARD_NAME.matcher(name).matches() && Files.isDirectory(Path.of("/sys/class/net", name));
  }

  private static boolean isLocal(InetAddress address) {
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static List<String> interfaceNames() {
    List<String> names = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        names.add(nic.getName());
      }
    } catch (SocketException ignored) {
      // no list to offer
    }
    Collections.sort(names);
    return names;
  }

  private static List<String> localAddresses() {
    List<String> out = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (!(a instanceof Inet6Address && a.isLinkLocalAddress())) {
            out.add(NetUtil.toAddressString(a));
          }
        }
      }
    } catch (SocketException ignored) {
      // nothing to list
    }
    return out;
  }

  /**
   * Whether two listeners of the same kind (both TCP or both UDP) would fight over an address: same
   * non-zero port, and the same address or a wildcard that covers the other ({@code ::} covers IPv4 too,
   * as Linux binds it dual-stack).
   */
  Collision collision(Binding other) {
    if (port == 0 || port != other.port) {
      return null;
    }
    for (String a : addresses) {
      for (String b : other.addresses) {
        if (overlaps(a, b)) {
          return new Collision(a, b);
        }
      }
    }
    return null;
  }

  record Collision(String address, String otherAddress) {
  }

  private static boolean overlaps(String a, String b) {
    if (Objects.equals(a, b) || a.equals("::") || b.equals("::")) {
      return true;
    }
    boolean aV6 = a.contains(":");
    boolean bV6 = b.contains(":");
    return aV6 == bV6 && (a.equals(ALL_IPV4) || b.equals(ALL_IPV4));
  }
}
