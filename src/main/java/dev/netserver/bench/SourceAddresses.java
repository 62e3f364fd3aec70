package dev.netserver.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local addresses connections are made from ({@code --source}), taken in turn; none given, the system
 * picks. One source address has one ephemeral port range (net.ipv4.ip_local_port_range: 28,232 ports by
 * default) towards one server port, so tens of thousands of connections need several: on Linux every
 * 127.x.y.z is a loopback address with nothing to set up. Each connection binds port 0 of its address.
 */
final class SourceAddresses {

  /** {@code 127.0.0.1-8}: the first three parts, then a range of the last one. */
  private static final Pattern RANGE = Pattern.compile("(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.)(\\d{1,3})-(\\d{1,3})");
  static final int MAX_ADDRESSES = 1024;

  private final List<InetSocketAddress> addresses;
  private int next;

  private SourceAddresses(List<InetSocketAddress> addresses) {
    this.addresses = addresses;
  }

  /** One per event loop: each loop takes the addresses in turn on its own. */
  static SourceAddresses of(List<String> literals) {
    List<InetSocketAddress> all = new ArrayList<>();
    for (String literal : literals) {
      try {
        all.add(new InetSocketAddress(InetAddress.getByName(literal), 0));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("--source " + literal + ": not an address", e);
      }
    }
    return new SourceAddresses(List.copyOf(all));
  }

  /** The next connection's local address, or {@code null} to let the system pick. */
  InetSocketAddress next() {
    if (addresses.isEmpty()) {
      return null;
    }
    InetSocketAddress a = addresses.get(next);
    next = (next + 1) % addresses.size();
    return a;
  }

  /**
   * {@code --source}'s value as address literals: a comma-separated list whose items are IP literals
   * ({@code 127.0.0.2}) or ranges of the last IPv4 part ({@code 127.0.0.1-8}). Host names are refused: a
   * source is a local address, not something to look up.
   *
   * @throws IllegalArgumentException naming the item that is neither
   */
  static List<String> parse(String value) {
    List<String> literals = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return literals;
    }
    for (String item : value.split(",")) {
      String s = item.strip();
      Matcher m = RANGE.matcher(s);
      if (m.matches()) {
        int from = Integer.parseInt(m.group(2));
        int to = Integer.parseInt(m.group(3));
        if (from > to || to > 255) {
          throw new IllegalArgumentException("--source " + s + ": the range must go up, within 0..255");
        }
        for (int i = from; i <= to; i++) {
          literals.add(m.group(1) + i);
        }
      } else if (isLiteral(s)) {
        literals.add(s);
      } else {
        throw new IllegalArgumentException("--source " + (s.isEmpty() ? "(an empty item)" : s)
          + ": expected IP addresses or a range like 127.0.0.1-8, separated by commas");
      }
      if (literals.size() > MAX_ADDRESSES) {
        throw new IllegalArgumentException("--source: at most " + MAX_ADDRESSES + " addresses");
      }
    }
    return List.copyOf(literals);
  }

  /** An IPv4 literal with every part in 0..255, or anything with a colon that Java reads as IPv6 (no lookup). */
  private static boolean isLiteral(String s) {
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return java.util.Arrays.stream(s.split("\\.")).allMatch(part -> Integer.parseInt(part) <= 255);
    }
    try {
      return s.contains(":") && s.matches("[0-9a-fA-F:.]+") && InetAddress.getByName(s) != null;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
