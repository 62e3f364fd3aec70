package dev.netserver.config;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

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

  /** Parses the text form; throws {@link IllegalArgumentException} naming every bad item. */
  public static PortSet parse(String text) {
    List<String> problems = new ArrayList<>();
    PortSet ports = parse(text, problems::add);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return ports;
  }

  /**
   * Parses the text form, handing each bad item's problem to {@code problems}, in the order written; the
   * set returned holds the good items.
   */
  static PortSet parse(String text, Consumer<String> problems) {
    if (text.isBlank()) {
      return NONE;
    }
    BitSet ports = new BitSet(65536);
    for (String item : text.split(",", -1)) {
      add(item.strip(), ports, problems);
    }
    return new PortSet(ports, text.strip());
  }

  private static void add(String item, BitSet ports, Consumer<String> problems) {
    if (item.isEmpty()) {
      problems.accept("empty item (a stray comma?)");
      return;
    }
    int dash = item.indexOf('-');
    if (dash < 0) {
      int port = port(item, problems);
      if (port >= 0) {
        ports.set(port);
      }
      return;
    }
    String low = item.substring(0, dash).strip();
    String high = item.substring(dash + 1).strip();
    if (low.isEmpty() || high.isEmpty()) {
      // "-1" is a negative port to whoever wrote it, not a range missing its start
      problems.accept("range \"" + item + "\" needs a port on each side of the dash");
      return;
    }
    int from = port(low, problems);
    int to = port(high, problems);
    if (from < 0 || to < 0) {
      return;
    }
    if (from > to) {
      problems.accept("range \"" + item + "\" runs backwards");
      return;
    }
    ports.set(from, to + 1);
  }

  /** The port {@code s} spells, or -1 once its problem is handed to {@code problems}. */
  private static int port(String s, Consumer<String> problems) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      problems.accept("\"" + s + "\" is not a port");
      return -1;
    }
    int port = Integer.parseInt(s);
    if (port > 65535) {
      problems.accept(port + " is not a port (0..65535)");
      return -1;
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
