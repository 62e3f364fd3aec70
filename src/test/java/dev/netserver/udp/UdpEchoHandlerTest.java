package dev.netserver.udp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.netserver.LogCapture;
import dev.netserver.config.PortSet;
import dev.netserver.config.UdpLimits;
import dev.netserver.failure.FailureLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The UDP echo handler")
class UdpEchoHandlerTest {

  private static final DatagramRates NO_LIMITS = new DatagramRates("udp-echo", new UdpLimits(0, 0, 0, List.of()));

  private final UdpStats stats = new UdpStats();
  private final FailureLog failures = new FailureLog(LoggerFactory.getLogger(UdpEchoHandler.class), "udp-echo");

  private EmbeddedChannel channel(Set<InetAddress> broadcast) {
    SourcePolicy policy = new SourcePolicy(PortSet.parse("0-1023,2049"), new SourcePolicy.Host(Set.of(), broadcast), new OwnPorts());
    return new EmbeddedChannel(new UdpEchoHandler(new EchoRules("udp-echo", 100, policy, NO_LIMITS.gate(), stats), failures));
  }

  private static DatagramPacket from(String address, int port, int size) throws Exception {
    return new DatagramPacket(Unpooled.wrappedBuffer(new byte[size]),
      new InetSocketAddress(InetAddress.getLocalHost(), 7),
      new InetSocketAddress(InetAddress.getByName(address), port));
  }

  @Test
  @DisplayName("sends the same bytes back to the sender")
  void echoes() throws Exception {
    EmbeddedChannel ch = channel(Set.of());
    ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}),
      new InetSocketAddress("127.0.0.1", 7), new InetSocketAddress("127.0.0.1", 40000)));
    DatagramPacket reply = ch.readOutbound();
    assertThat(reply.recipient()).isEqualTo(new InetSocketAddress("127.0.0.1", 40000));
    byte[] bytes = new byte[reply.content().readableBytes()];
    reply.content().readBytes(bytes);
    assertThat(bytes).containsExactly(1, 2, 3);
    reply.release();
    assertThat(stats.datagramsEchoed).isEqualTo(1);
    assertThat(stats.bytesOut).isEqualTo(3);
  }

  @Test
  @DisplayName("drops datagrams claiming a multicast, unspecified or broadcast source and counts them")
  void invalidSources() throws Exception {
    InetAddress subnetBroadcast = InetAddress.getByName("192.0.2.255");
    EmbeddedChannel ch = channel(Set.of(subnetBroadcast, InetAddress.getByName("255.255.255.255")));
    ch.writeInbound(from("224.0.0.1", 40000, 1));
    ch.writeInbound(from("0.0.0.0", 40000, 1));
    ch.writeInbound(from("255.255.255.255", 40000, 1));
    ch.writeInbound(from("192.0.2.255", 40000, 1));
    ch.writeInbound(from("ff02::1", 40000, 1));
    assertThat(ch.<Object>readOutbound()).isNull();
    assertThat(stats.droppedInvalidSource).isEqualTo(5);
    assertThat(stats.datagramsIn).isEqualTo(5);
  }

  @Test
  @DisplayName("drops datagrams from privileged ports and NFS by default, against echo/chargen loops")
  void defaultBlockedPorts() throws Exception {
    EmbeddedChannel ch = channel(Set.of());
    ch.writeInbound(from("127.0.0.1", 7, 1));
    ch.writeInbound(from("127.0.0.1", 19, 1));
    ch.writeInbound(from("127.0.0.1", 2049, 1));
    ch.writeInbound(from("127.0.0.1", 1024, 1));
    DatagramPacket reply = ch.readOutbound();
    assertThat(reply.recipient().getPort()).isEqualTo(1024);
    reply.release();
    assertThat(ch.<Object>readOutbound()).isNull();
    assertThat(stats.droppedBlockedSource).isEqualTo(3);
  }

  @Test
  @DisplayName("drops datagrams from a local address and a port of the process's UDP listeners, echoes the same port from elsewhere")
  void ownSource() throws Exception {
    OwnPorts own = new OwnPorts();
    own.add(40000);
    InetAddress nic = InetAddress.getByName("192.0.2.7");
    SourcePolicy policy = new SourcePolicy(PortSet.parse(""), new SourcePolicy.Host(Set.of(nic), Set.of()), own);
    EmbeddedChannel ch = new EmbeddedChannel(new UdpEchoHandler(new EchoRules("udp-echo", 100, policy, NO_LIMITS.gate(), stats), failures));
    ch.writeInbound(from("127.0.0.1", 40000, 1));
    ch.writeInbound(from("127.0.0.2", 40000, 1));
    ch.writeInbound(from("::1", 40000, 1));
    ch.writeInbound(from("192.0.2.7", 40000, 1));
    assertThat(ch.<Object>readOutbound()).isNull();
    assertThat(stats.droppedOwnSource).isEqualTo(4);
    ch.writeInbound(from("198.51.100.1", 40000, 1));
    ch.writeInbound(from("127.0.0.1", 40001, 1));
    own.remove(40000);
    ch.writeInbound(from("127.0.0.1", 40000, 1));
    for (int port : new int[] {40000, 40001, 40000}) {
      DatagramPacket reply = ch.readOutbound();
      assertThat(reply.recipient().getPort()).isEqualTo(port);
      reply.release();
    }
    assertThat(stats.droppedOwnSource).isEqualTo(4);
  }

  @Test
  @DisplayName("drops a datagram over the limit")
  void oversize() throws Exception {
    EmbeddedChannel ch = channel(Set.of());
    ch.writeInbound(from("127.0.0.1", 40000, 101));
    assertThat(ch.<Object>readOutbound()).isNull();
    assertThat(stats.droppedOversize).isEqualTo(1);
  }

  @Test
  @DisplayName("counts each datagram whose handling throws as one error; logs the bug once for 100 within a second, then the count")
  void handlerBugs() throws Exception {
    long[] now = {0};
    FailureLog limited = new FailureLog(LoggerFactory.getLogger(UdpEchoHandler.class), "udp-echo", () -> now[0]);
    // without a source policy, judging the sender fails as a bug would
    EmbeddedChannel ch = new EmbeddedChannel(new UdpEchoHandler(new EchoRules("udp-echo", 100, null, NO_LIMITS.gate(), stats), limited));
    try (LogCapture log = LogCapture.of(UdpEchoHandler.class)) {
      for (int i = 0; i < 100; i++) {
        ch.writeInbound(from("127.0.0.1", 40000, 1));
        now[0] += TimeUnit.MILLISECONDS.toNanos(5);
      }
      assertThat(stats.datagramsIn).isEqualTo(100);
      assertThat(stats.errors).isEqualTo(100);
      assertThat(log.atLeast(Level.WARN)).singleElement().satisfies(line -> {
        assertThat(line.getLevel()).isEqualTo(Level.WARN);
        assertThat(line.getFormattedMessage()).startsWith("udp-echo: socket failed unexpectedly: java.lang.NullPointerException");
      });
      now[0] += TimeUnit.SECONDS.toNanos(1);
      ch.writeInbound(from("127.0.0.1", 40000, 1));
      assertThat(log.atLeast(Level.WARN)).hasSize(2);
      assertThat(log.atLeast(Level.WARN).get(1).getFormattedMessage())
        .endsWith("(99 more java.lang.NullPointerException since the last such line)");
    }
  }

  @Test
  @DisplayName("logs an OutOfMemoryError (a receive buffer Netty could not allocate) at ERROR and counts it")
  void outOfMemoryAtError() {
    EmbeddedChannel ch = channel(Set.of());
    try (LogCapture log = LogCapture.of(UdpEchoHandler.class)) {
      ch.pipeline().fireExceptionCaught(new OutOfMemoryError("Direct buffer memory"));
      assertThat(log.atLeast(Level.WARN)).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR);
      assertThat(stats.errors).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("counts I/O errors and logs them at DEBUG only")
  void ioErrorsQuiet() {
    EmbeddedChannel ch = channel(Set.of());
    try (LogCapture log = LogCapture.of(UdpEchoHandler.class)) {
      ch.pipeline().fireExceptionCaught(new PortUnreachableException("ICMP port unreachable"));
      ch.pipeline().fireExceptionCaught(new IOException("No buffer space available"));
      assertThat(stats.errors).isEqualTo(2);
      assertThat(log.atLeast(Level.INFO)).isEmpty();
      assertThat(log.events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.DEBUG, Level.DEBUG);
    }
  }
}
