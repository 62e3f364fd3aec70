package dev.netserver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@DisplayName("Cidr: networks, membership and sources")
class CidrTest {

  /** An address from a literal (no lookup happens for a literal). */
  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({
    "10.0.0.0/8, 10.0.0.0/8",
    "192.168.1.7, 192.168.1.7/32",
    "0.0.0.0/0, 0.0.0.0/0",
    "2001:DB8:0:0::/32, 2001:db8::/32",
    "::1, ::1/128",
    "::/0, ::/0",
    "::ffff:10.0.0.0/104, 10.0.0.0/8",
    "::ffff:10.1.2.3, 10.1.2.3/32"})
  @DisplayName("parses IPv4 and IPv6 networks and bare addresses; an IPv4-mapped network is the IPv4 one")
  void parses(String text, String canonical) {
    assertThat(Cidr.parse(text)).hasToString(canonical).isEqualTo(Cidr.parse(canonical));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
    "10.0.0.0/33|its prefix length after / must be 0..32 for an IPv4 address",
    "::1/129|its prefix length after / must be 0..128 for an IPv6 address",
    "10.0.0.0/|its prefix length after / must be 0..32 for an IPv4 address",
    "10.0.0.0/-1|its prefix length after / must be 0..32 for an IPv4 address",
    "10.0.0.0/8/8|its prefix length after / must be 0..32 for an IPv4 address",
    "localhost|\"localhost\" is not an IP address (host names are not allowed)",
    "example.com/24|\"example.com\" is not an IP address (host names are not allowed)",
    "10.0.0|\"10.0.0\" is not an IP address (host names are not allowed)",
    "fe80::1%eth0|\"fe80::1%eth0\" is not an IP address (no zone index, no brackets)",
    "[::1]|\"[::1]\" is not an IP address (no zone index, no brackets)",
    "10.0.0.1/8|has bits set after its first 8: the network is 10.0.0.0/8",
    "2001:db8::1/64|has bits set after its first 64: the network is 2001:db8::/64"})
  @DisplayName("refuses bad prefixes, host names and addresses with host bits set, saying why")
  void refuses(String text, String why) {
    assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(text)).withMessage(why);
  }

  @Test
  @DisplayName("refuses the empty string")
  void refusesEmpty() {
    assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse("")).withMessage("is empty");
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.0, false",
    "10.0.0.0/8, ::ffff:10.9.9.9, true",
    "10.0.0.0/8, ::a09:909, false",
    "0.0.0.0/0, 203.0.113.5, true",
    "0.0.0.0/0, ::1, false",
    "::/0, 10.0.0.1, false",
    "::/0, 2001:db8::5, true",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "127.0.0.0/8, 127.0.0.2, true",
    "::1/128, ::1, true",
    "::1/128, ::2, false",
    "192.168.1.7, 192.168.1.7, true",
    "192.168.1.7, 192.168.1.8, false"})
  @DisplayName("contains the addresses of the same family under its prefix, an IPv4-mapped address as IPv4")
  void contains(String network, String address, boolean expected) {
    assertThat(Cidr.parse(network).contains(ip(address))).isEqualTo(expected);
  }

  @Test
  @DisplayName("contains a network when it holds all of that network's addresses")
  void containsNetwork() {
    assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("10.1.0.0/16"))).isTrue();
    assertThat(Cidr.parse("10.1.0.0/16").contains(Cidr.parse("10.0.0.0/8"))).isFalse();
    assertThat(Cidr.parse("::/0").contains(Cidr.parse("10.0.0.0/8"))).isFalse();
  }

  @ParameterizedTest(name = "{0} is source {1}")
  @CsvSource({
    "192.0.2.1, 192.0.2.1/32",
    "::ffff:192.0.2.1, 192.0.2.1/32",
    "2001:db8:1:2:aaaa::1, 2001:db8:1:2::/64",
    "::1, ::/64"})
  @DisplayName("a source is an IPv4 address or an IPv6 /64, an IPv4-mapped address counting as IPv4")
  void sourceKey(String address, String source) {
    assertThat(Cidr.sourceKey(ip(address))).isEqualTo(Cidr.parse(source));
  }

  @Test
  @DisplayName("two addresses of one IPv6 /64 are one source; of two /64s, two")
  void sourceKeyGroups() {
    assertThat(Cidr.sourceKey(ip("2001:db8::1"))).isEqualTo(Cidr.sourceKey(ip("2001:db8::ffff:2")))
      .hasSameHashCodeAs(Cidr.sourceKey(ip("2001:db8::ffff:2")));
    assertThat(Cidr.sourceKey(ip("2001:db8::1"))).isNotEqualTo(Cidr.sourceKey(ip("2001:db8:0:1::1")));
    assertThat(Cidr.sourceKey(ip("127.0.0.1"))).isNotEqualTo(Cidr.sourceKey(ip("127.0.0.2")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.0/8", "::1/128", "2001:db8::/32", "0.0.0.0/0"})
  @DisplayName("the text form reads back as the same network")
  void roundTrip(String text) {
    assertThat(Cidr.parse(Cidr.parse(text).toString())).isEqualTo(Cidr.parse(text));
  }

  @Test
  @DisplayName("contains agrees with comparing the first prefix bits of two numbers, on 500 random networks and addresses")
  void containsIsPrefixComparison() throws UnknownHostException {
    int[] outcomes = new int[2];
    // one seed per try, named in every message: a failure is rerun by calling containsIsPrefixComparison(seed)
    for (long seed = 1; seed <= 500; seed++) {
      outcomes[containsIsPrefixComparison(seed) ? 1 : 0]++;
    }
    assertThat(outcomes).as("tries where the address lay outside and inside the network").doesNotContain(0);
  }

  /** One try: whether the address lay in the network. */
  private static boolean containsIsPrefixComparison(long seed) throws UnknownHostException {
    SplittableRandom random = new SplittableRandom(seed);
    int width = random.nextBoolean() ? 32 : 128;
    int bits = Math.min(random.nextInt(129), width);
    byte[] address = randomBytes(random, width / 8);
    // the network shares its first sharedBits bits with the address, so both outcomes come up
    byte[] network = copyBits(address, randomBytes(random, width / 8), Math.min(random.nextInt(129), width));
    BigInteger mask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE)
      .xor(BigInteger.ONE.shiftLeft(width - bits).subtract(BigInteger.ONE));
    boolean expected = new BigInteger(1, network).and(mask).equals(new BigInteger(1, address).and(mask));
    Cidr cidr = Cidr.of(network, bits);
    InetAddress client = InetAddress.getByAddress(address);
    // a random IPv6 address is IPv4-mapped (and so compared as IPv4) once in 2^96 tries, and these seeds give none
    assertThat(cidr.isIpv4()).as("seed %d: %s is IPv4", seed, cidr).isEqualTo(client.getAddress().length == 4);
    assertThat(cidr.contains(client)).as("seed %d: %s contains %s", seed, cidr, client).isEqualTo(expected);
    assertThat(Cidr.parse(cidr.toString())).as("seed %d: %s read back", seed, cidr).isEqualTo(cidr);
    return expected;
  }

  private static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  /** {@code to} with its first {@code bits} bits taken from {@code from}. */
  private static byte[] copyBits(byte[] from, byte[] to, int bits) {
    byte[] out = to.clone();
    for (int bit = 0; bit < bits; bit++) {
      int m = 0x80 >>> (bit % 8);
      out[bit / 8] = (byte) ((out[bit / 8] & ~m) | (from[bit / 8] & m));
    }
    return out;
  }
}
