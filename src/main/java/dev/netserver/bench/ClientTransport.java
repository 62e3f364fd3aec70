package dev.netserver.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.function.Supplier;

/**
 * The client side's Netty transport: epoll where it loads, else NIO. The load generator uses Netty
 * directly, without Vert.x, so that it stays lean: one event loop by default and nothing on the
 * path of a message but the handler.
 */
enum ClientTransport {

  EPOLL("epoll", EpollIoHandler::newFactory, EpollSocketChannel.class, EpollDatagramChannel.class),
  NIO("nio", NioIoHandler::newFactory, NioSocketChannel.class, NioDatagramChannel.class);

  private final String cliName;
  private final Supplier<IoHandlerFactory> factory;
  private final Class<? extends SocketChannel> socketChannel;
  private final Class<? extends DatagramChannel> datagramChannel;

  ClientTransport(String cliName, Supplier<IoHandlerFactory> factory, Class<? extends SocketChannel> socketChannel,
                  Class<? extends DatagramChannel> datagramChannel) {
    this.cliName = cliName;
    this.factory = factory;
    this.socketChannel = socketChannel;
    this.datagramChannel = datagramChannel;
  }

  /**
   * {@code auto}, {@code epoll} or {@code nio}.
   *
   * @throws IllegalArgumentException for {@code epoll} where it does not load, with Netty's reason
   */
  static ClientTransport choose(String name) {
    return switch (name) {
      case "auto" -> Epoll.isAvailable() ? EPOLL : NIO;
      case "epoll" -> {
        if (!Epoll.isAvailable()) {
          throw new IllegalArgumentException("--transport epoll is not available here: " + Epoll.unavailabilityCause());
        }
        yield EPOLL;
      }
      case "nio" -> NIO;
      default -> throw new IllegalArgumentException("unknown transport: " + name);
    };
  }

  String cliName() {
    return cliName;
  }

  EventLoopGroup newGroup(int threads) {
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-" + cliName, true), factory.get());
  }

  Class<? extends SocketChannel> socketChannel() {
    return socketChannel;
  }

  Class<? extends DatagramChannel> datagramChannel() {
    return datagramChannel;
  }

  /**
   * Sizes a UDP socket's reads for datagrams of {@code size} bytes. Each datagram gets one byte more
   * than expected, so a longer one shows up as longer instead of being cut to the expected size. On
   * epoll, one read takes up to {@code batch} datagrams at once (recvmmsg); writes flushed together go
   * out in one sendmmsg in both cases.
   */
  Bootstrap udpReads(Bootstrap bootstrap, int size, int batch) {
    int slot = size + 1;
    if (this == EPOLL && batch > 1) {
      return bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot)
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot * batch));
    }
    return bootstrap.option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(Math.max(2048, slot)));
  }
}
