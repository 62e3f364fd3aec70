package dev.netserver.config;

import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Cidr and TokenBucket checked against plain definitions, on random inputs. */
@Label("Guard building blocks")
class GuardProperties {

  @Property(tries = 500)
  @Label("Cidr.contains agrees with comparing the first prefix bits of two numbers")
  void cidrContainsIsPrefixComparison(@ForAll @Size(16) List<Byte> network, @ForAll @Size(16) List<Byte> address,
                                      @ForAll @IntRange(min = 0, max = 128) int prefix, @ForAll boolean ipv4,
                                      @ForAll @IntRange(min = 0, max = 128) int sharedBits) throws Exception {
    int width = ipv4 ? 32 : 128;
    int bits = Math.min(prefix, width);
    byte[] a = bytes(address, width / 8);
    // the address shares its first sharedBits bits with the network, so both outcomes come up
    byte[] n = copyBits(a, bytes(network, width / 8), Math.min(sharedBits, width));
    BigInteger mask = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE)
      .xor(BigInteger.ONE.shiftLeft(width - bits).subtract(BigInteger.ONE));
    boolean expected = new BigInteger(1, n).and(mask).equals(new BigInteger(1, a).and(mask));
    Cidr cidr = Cidr.of(n, bits);
    InetAddress client = InetAddress.getByAddress(a);
    if (cidr.isIpv4() == (client.getAddress().length == 4)) {
      assertThat(cidr.contains(client)).as("%s contains %s", cidr, client).isEqualTo(expected);
    }
    assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
  }

  @Property(tries = 300)
  @Label("a TokenBucket never lets more through than burst + rate x elapsed time, and lets that much through when asked")
  void tokenBucketBound(@ForAll @IntRange(min = 1, max = 100_000) int rate, @ForAll @IntRange(min = 1, max = 1000) int burst,
                        @ForAll @Size(max = 200) List<@LongRange(min = 0, max = 50_000_000) Long> steps) {
    long start = 1L << 62;
    long interval = 1_000_000_000L / rate;
    TokenBucket bucket = new TokenBucket(rate, burst, start);
    long now = start;
    long taken = 0;
    boolean first = true;
    for (long step : steps) {
      now += step;
      long takenNow = 0;
      while (bucket.tryTake(now)) {
        takenNow++;
      }
      taken += takenNow;
      assertThat(taken).as("never more than burst + earned").isLessThanOrEqualTo(burst + (now - start) / interval);
      // the bucket was full at the start, and empty after each greedy round: it earned step / interval since
      assertThat(takenNow).as("a greedy caller gets every token earned")
        .isGreaterThanOrEqualTo(first ? burst : Math.min(burst, step / interval));
      first = false;
    }
    assertThat(bucket.isFull(now + (long) burst * interval)).as("full again after burst intervals").isTrue();
  }

  private static byte[] bytes(List<Byte> list, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = list.get(i);
    }
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
