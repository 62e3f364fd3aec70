package dev.netserver.udp;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The reader of /proc/net/udp")
class KernelDropsTest {

  /** An address as the kernel prints it: each 32-bit word as the machine holds it, in 8 hex digits. */
  private static String asKernelPrints(InetAddress address) {
    return asKernelPrints(address.getAddress());
  }

  private static String asKernelPrints(byte[] address) {
    ByteBuffer words = ByteBuffer.wrap(address).order(ByteOrder.nativeOrder());
    StringBuilder hex = new StringBuilder();
    while (words.hasRemaining()) {
      hex.append(String.format(Locale.ROOT, "%08X", words.getInt()));
    }
    return hex.toString();
  }

  @Test
  @DisplayName("reads IPv4 and IPv6 addresses in the machine's byte order (127.0.0.1 is 0100007F on x86)")
  void addresses() throws Exception {
    for (String ip : new String[] {"127.0.0.1", "10.1.2.3", "0.0.0.0", "::1", "2001:db8::42", "::"}) {
      InetAddress address = InetAddress.getByName(ip);
      assertThat(KernelDrops.address(asKernelPrints(address))).as(ip).isEqualTo(address);
    }
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      assertThat(KernelDrops.address("0100007F")).isEqualTo(InetAddress.getByName("127.0.0.1"));
    }
  }

  @Test
  @DisplayName("reads an IPv4-mapped address of a dual-stack socket as the IPv4 address it was bound to")
  void mapped() throws Exception {
    String mapped = asKernelPrints(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1});
    assertThat(KernelDrops.address(mapped)).isEqualTo(InetAddress.getByName("127.0.0.1"));
  }
}
