package dev.netserver.config;

import io.netty.util.NetUtil;
import io.vertx.core.json.JsonArray;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network written as {@code "10.0.0.0/8"} or {@code "2001:db8::/32"}; a bare address is a
 * network of one ({@code /32}, {@code /128}). IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) count as
 * the IPv4 address they carry, in networks and in the addresses tested, so a dual-stack socket's clients
 * match the IPv4 entries written for them.
 *
 * <p>The address part is parsed by Netty's {@link NetUtil}, which accepts IP literals only and never looks a
 * name up: a host name is a configuration error, not a DNS query at startup.
 *
 * <p>Immutable, with value equality, so it is also the key of per-source accounting: {@link #sourceKey}.
 */
public final class Cidr {

  /** Bits of an IPv6 client address that name its source: one /64 is one site's subnet, as SLAAC hands out. */
  public static final int IPV6_SOURCE_PREFIX = 64;

  private final boolean ipv4;
  /** The address as a 128-bit number (IPv4 in the low 32 bits), host bits cleared. */
  private final long high;
  private final long low;
  private final int prefix;

  private Cidr(boolean ipv4, long high, long low, int prefix) {
    this.ipv4 = ipv4;
    this.prefix = prefix;
    int bits = ipv4 ? prefix + 96 : prefix;
    this.high = high & mask(bits);
    this.low = low & mask(bits - 64);
  }

  /** Parses the text form; throws {@link IllegalArgumentException} saying what is wrong with it. */
  public static Cidr parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("is empty");
    }
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (address.indexOf('%') >= 0 || address.indexOf('[') >= 0) {
      throw new IllegalArgumentException("\"" + address + "\" is not an IP address (no zone index, no brackets)");
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      throw new IllegalArgumentException("\"" + address + "\" is not an IP address (host names are not allowed)");
    }
    int width = bytes.length * 8;
    int prefix = width;
    if (slash >= 0) {
      prefix = prefixLength(text.substring(slash + 1), width);
    }
    Cidr cidr = of(bytes, prefix);
    if (!hostBitsClear(bytes, prefix)) {
      throw new IllegalArgumentException("has bits set after its first " + prefix + ": the network is " + cidr);
    }
    return cidr;
  }

  /** The network of one address, or of the first {@code prefix} bits of it. */
  static Cidr of(byte[] address, int prefix) {
    if (address.length == 4) {
      return new Cidr(true, 0, Integer.toUnsignedLong(toInt(address, 0)), prefix);
    }
    long high = toLong(address, 0);
    long low = toLong(address, 8);
    if (high == 0 && (low >>> 32) == 0xFFFFL && prefix >= 96) {
      return new Cidr(true, 0, low & 0xFFFF_FFFFL, prefix - 96);
    }
    return new Cidr(false, high, low, prefix);
  }

  /**
   * The source a client address belongs to for per-source limits: an IPv4 address, or the /64 of an IPv6
   * address; an IPv4-mapped IPv6 address is its IPv4 address.
   */
  public static Cidr sourceKey(InetAddress address) {
    byte[] bytes = address.getAddress();
    Cidr exact = of(bytes, bytes.length * 8);
    return exact.ipv4 ? exact : new Cidr(false, exact.high, exact.low, IPV6_SOURCE_PREFIX);
  }

  /** Whether {@code address} lies in this network (an IPv4-mapped IPv6 address as its IPv4 address). */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return contains(of(bytes, bytes.length * 8));
  }

  /** Whether {@code address} lies in one of {@code networks}. */
  public static boolean anyContains(List<Cidr> networks, InetAddress address) {
    for (Cidr c : networks) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Whether every address of {@code other} lies in this network. */
  public boolean contains(Cidr other) {
    if (other.ipv4 != ipv4 || other.prefix < prefix) {
      return false;
    }
    int bits = ipv4 ? prefix + 96 : prefix;
    return (other.high & mask(bits)) == high && (other.low & mask(bits - 64)) == low;
  }

  public boolean isIpv4() {
    return ipv4;
  }

  public int prefixLength() {
    return prefix;
  }

  /** Reads an array of CIDR strings; each bad element is a problem naming its path ({@code tcp[0].allow[1]}). */
  static List<Cidr> list(ConfigReader r, String key, List<Cidr> def) {
    if (!r.has(key)) {
      return def;
    }
    Object value = r.raw(key);
    if (!(value instanceof JsonArray array)) {
      r.problems().invalid(r.at(key), "must be an array of networks like [\"10.0.0.0/8\", \"2001:db8::/32\"]", value);
      return def;
    }
    List<Cidr> cidrs = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String path = ConfigReader.element(r.at(key), i);
      Object item = array.getValue(i);
      if (!(item instanceof String text)) {
        r.problems().invalid(path, "must be a network like \"10.0.0.0/8\" or \"2001:db8::/32\", or one address", item);
        continue;
      }
      try {
        cidrs.add(parse(text));
      } catch (IllegalArgumentException e) {
        r.problems().invalid(path, "must be a network like \"10.0.0.0/8\" or \"2001:db8::/32\", or one address, but "
          + e.getMessage(), text);
      }
    }
    return List.copyOf(cidrs);
  }

  private static boolean hostBitsClear(byte[] address, int prefix) {
    for (int bit = prefix; bit < address.length * 8; bit++) {
      if ((address[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        return false;
      }
    }
    return true;
  }

  private static int prefixLength(String text, int width) {
    String rule = "its prefix length after / must be 0.." + width + " for an " + (width == 32 ? "IPv4" : "IPv6")
      + " address";
    if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(rule);
    }
    int prefix = Integer.parseInt(text);
    if (prefix > width) {
      throw new IllegalArgumentException(rule);
    }
    return prefix;
  }

  /** A mask of the first {@code bits} bits of a 64-bit word ({@code bits} may be below 0 or above 64). */
  private static long mask(int bits) {
    if (bits <= 0) {
      return 0;
    }
    return bits >= 64 ? -1L : -1L << (64 - bits);
  }

  private static int toInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static long toLong(byte[] b, int at) {
    return Integer.toUnsignedLong(toInt(b, at)) << 32 | Integer.toUnsignedLong(toInt(b, at + 4));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.ipv4 == ipv4 && c.high == high && c.low == low && c.prefix == prefix;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(high * 31 + low) * 31 + prefix * 2 + (ipv4 ? 1 : 0);
  }

  /** The canonical text form: {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
  @Override
  public String toString() {
    byte[] bytes = new byte[ipv4 ? 4 : 16];
    for (int i = 0; i < bytes.length; i++) {
      int bit = (ipv4 ? 96 : 0) + i * 8;
      long word = bit < 64 ? high : low;
      bytes[i] = (byte) (word >>> (56 - bit % 64));
    }
    return NetUtil.bytesToIpAddress(bytes) + "/" + prefix;
  }

}
