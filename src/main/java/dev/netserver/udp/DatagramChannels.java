package dev.netserver.udp;

import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.datagram.DatagramSocket;

import java.lang.reflect.Field;

/**
 * The Netty channel behind a Vert.x {@link DatagramSocket}.
 *
 * <p>Vert.x gives no way to size a datagram socket's receive buffer apart from {@code SO_RCVBUF}: it
 * leaves Netty's fixed 2048-byte allocation (larger datagrams arrive silently truncated) unless
 * {@code receiveBufferSize} is set, and then uses that kernel buffer size as the read size too. An echo
 * that must return 8 KiB datagrams byte for byte, and recognise larger ones, has to set the allocation
 * itself, so it reaches the channel here (Vert.x 5.0's {@code DatagramSocketImpl.channel} field). The
 * UDP tests that echo exactly {@code maxDatagramBytes} and drop one byte more fail if this ever breaks.
 */
final class DatagramChannels {

  private static final Field CHANNEL = channelField();

  private DatagramChannels() {
  }

  static DatagramChannel of(DatagramSocket socket) {
    try {
      return (DatagramChannel) CHANNEL.get(socket);
    } catch (IllegalAccessException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot reach the channel of " + socket.getClass().getName(), e);
    }
  }

  private static Field channelField() {
    try {
      Field field = Class.forName("io.vertx.core.datagram.impl.DatagramSocketImpl").getDeclaredField("channel");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExceptionInInitializerError("this Vert.x version hides the datagram channel differently: " + e);
    }
  }
}
