package dev.netserver.config;

import java.util.BitSet;

/**
 * A set of UDP/TCP ports written as {@code "0-1023,2049"}: comma-separated ports and inclusive ranges.
 * The empty string is the empty set. Membership is one bit test, cheap enough for every datagram.
 */
public final class PortSet {

  public static final PortSet NONE = new PortSet(new BitSet(), "");

  private final BitSet ports;
  private final String text;

  private PortSet(BitSet ports, String text) {
    this.ports = ports;
    this.text = text;
  }

  /** Parses the text form; throws {@link IllegalArgumentException} naming the bad item. */
  public static PortSet parse(String text) {
    BitSet ports = new BitSet(65536);
    if (text.isBlank()) {
      return NONE;
    }
    for (String item : text.split(",", -1)) {
      String trimmed = item.strip();
      if (trimmed.isEmpty()) {
        throw new IllegalArgumentException("empty item (a stray comma?)");
      }
      int dash = trimmed.indexOf('-');
      int from;
      int to;
      if (dash < 0) {
        from = to = port(trimmed);
      } else {
        String low = trimmed.substring(0, dash).strip();
        String high = trimmed.substring(dash + 1).strip();
        if (low.isEmpty() || high.isEmpty()) {
          // "-1" is a negative port to whoever wrote it, not a range missing its start
          throw new IllegalArgumentException("range \"" + trimmed + "\" needs a port on each side of the dash");
        }
        from = port(low);
        to = port(high);
        if (from > to) {
          throw new IllegalArgumentException("range \"" + trimmed + "\" runs backwards");
        }
      }
      ports.set(from, to + 1);
    }
    return new PortSet(ports, text.strip());
  }

  private static int port(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("\"" + s + "\" is not a port");
    }
    int port = Integer.parseInt(s);
    if (port > 65535) {
      throw new IllegalArgumentException(port + " is not a port (0..65535)");
    }
    return port;
  }

  public boolean contains(int port) {
    return ports.get(port);
  }

  public boolean isEmpty() {
    return ports.isEmpty();
  }

  /** The text this set was parsed from. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PortSet other && ports.equals(other.ports);
  }

  @Override
  public int hashCode() {
    return ports.hashCode();
  }
}
