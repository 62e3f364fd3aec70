package dev.netserver.vertx;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;

import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * A native Vert.x transport whose DatagramSockets, when netserver asks for it, read and write in bursts as
 * the direct engine does: the workaround for Vert.x 5.0.7's {@code DatagramSocketImpl}, which reads one
 * datagram per event-loop turn ({@code maxMessagesPerRead(1)}) and flushes every {@code send} (a
 * {@code sendto} per reply). docs/DESIGN.md has the measurements and the report for Vert.x.
 *
 * <p>It is Vert.x's own transport with one step added where Vert.x configures a new datagram channel
 * (the transport SPI's {@code configure}, called by {@code DatagramSocketImpl} before it registers the
 * channel): for a socket made inside {@link #batched}, the channel reads up to {@link #DATAGRAMS_PER_CALL}
 * datagrams per system call ({@code recvmmsg} on epoll), {@link #READS_PER_WAKEUP} reads per wake-up, and
 * {@link FlushPerBurst} holds the flushes of the replies written while a read burst is handled until the burst
 * ends ({@code sendmmsg}). Every other socket, and every other method, is Vert.x's.
 * NIO is not wrapped: Vert.x recognises it by class, and it cannot batch reads anyway.
 */
public final class BatchedDatagrams implements io.vertx.core.spi.transport.Transport {

  /** Reads per wake-up before the replies are flushed together (the direct engine's figure). */
  static final int READS_PER_WAKEUP = 16;
  /** Datagrams per read, as long as their slots fit in {@link #MAX_BATCH_BYTES}. */
  static final int DATAGRAMS_PER_CALL = 16;
  static final int MAX_BATCH_BYTES = 256 * 1024;
  /** Epoll's and io_uring's option of that name, by name: those classes are only on the runtime class path. */
  private static final ChannelOption<Integer> MAX_DATAGRAM_PAYLOAD_SIZE = ChannelOption.valueOf("MAX_DATAGRAM_PAYLOAD_SIZE");
  /**
   * The read slot of the socket being made on this thread: {@code DatagramSocketImpl} configures its channel
   * inside {@code createDatagramSocket}, on the caller's thread, with a copy of the options that cannot
   * carry it.
   */
  private static final ThreadLocal<Integer> SLOT = new ThreadLocal<>();

  private final Transport wrapped;
  private final io.vertx.core.spi.transport.Transport delegate;

  private BatchedDatagrams(Transport wrapped) {
    this.wrapped = wrapped;
    this.delegate = wrapped.implementation();
  }

  /**
   * The transport to build Vert.x with: {@code transport} itself when it is NIO or does not load, else the
   * same transport with batching datagram sockets.
   */
  public static Transport wrap(Transport transport) {
    if (transport == null || transport == Transport.NIO || !transport.available()) {
      return transport;
    }
    BatchedDatagrams batched = new BatchedDatagrams(transport);
    return new Transport() {
      @Override
      public String name() {
        return transport.name();
      }

      @Override
      public boolean available() {
        return true;
      }

      @Override
      public Throwable unavailabilityCause() {
        return null;
      }

      @Override
      public io.vertx.core.spi.transport.Transport implementation() {
        return batched;
      }
    };
  }

  /** The Vert.x transport this one wraps, for a running instance's transport. */
  static Transport unwrap(io.vertx.core.spi.transport.Transport running) {
    return running instanceof BatchedDatagrams b ? b.wrapped : null;
  }

  /**
   * Makes a datagram socket through {@code create} (a call to {@code vertx.createDatagramSocket}) whose reads
   * fill slots of {@code slot} bytes, when the Vert.x instance runs on this transport; else the plain socket.
   * A datagram larger than {@code slot - 1} bytes arrives cut to {@code slot} bytes, so the caller can tell.
   */
  public static <T> T batched(int slot, Supplier<T> create) {
    SLOT.set(slot);
    try {
      return create.get();
    } finally {
      SLOT.remove();
    }
  }

  @Override
  public void configure(DatagramChannel channel, DatagramSocketOptions options) {
    delegate.configure(channel, options);
    Integer slot = SLOT.get();
    if (slot == null) {
      return;
    }
    readInBursts(channel, slot);
    channel.pipeline().addFirst("flushes", new FlushPerBurst());
  }

  /**
   * Sizes a datagram channel's reads, before it is registered (io_uring posts its first read at registration):
   * slots of {@code slot} bytes, up to {@link #DATAGRAMS_PER_CALL} per system call on a native transport (epoll:
   * {@code recvmmsg}; io_uring: several {@code recvmsg} in one submission; NIO reads one per call), and
   * {@link #READS_PER_WAKEUP} reads per wake-up, kept when Vert.x asks for one. The direct engine's channels
   * and the vertx engine's batched sockets read by this one rule.
   */
  public static void readInBursts(DatagramChannel channel, int slot) {
    boolean perCall = channel.config().setOption(MAX_DATAGRAM_PAYLOAD_SIZE, slot);
    int buffer = perCall ? slot * Math.max(1, Math.min(DATAGRAMS_PER_CALL, MAX_BATCH_BYTES / slot)) : slot;
    channel.config().setRecvByteBufAllocator(new KeepsItsBurst(buffer));
  }

  /**
   * Holds the flushes asked for while a read burst is handled until the burst ends, as the direct engine's
   * {@code UdpEchoHandler} does, so that both engines queue a burst's replies alike: when they pass the write
   * buffer's high-water mark, the rest of the burst is dropped for overload. (Netty's FlushConsolidationHandler
   * would flush early at the mark instead, which is why it is not used here.)
   */
  private static final class FlushPerBurst extends ChannelDuplexHandler {
    private boolean reading;
    private boolean flushPending;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      reading = true;
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      reading = false;
      if (flushPending) {
        flushPending = false;
        ctx.flush();
      }
      ctx.fireChannelReadComplete();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (reading) {
        flushPending = true;
      } else {
        ctx.flush();
      }
    }
  }

  /**
   * A fixed read buffer that keeps {@link #READS_PER_WAKEUP} reads per wake-up when
   * {@code DatagramSocketImpl} sets it to 1 after configuring the channel.
   */
  private static final class KeepsItsBurst extends FixedRecvByteBufAllocator {
    KeepsItsBurst(int bufferSize) {
      super(bufferSize);
      super.maxMessagesPerRead(READS_PER_WAKEUP);
    }

    @Override
    public FixedRecvByteBufAllocator maxMessagesPerRead(int maxMessagesPerRead) {
      return this;
    }
  }

  // Everything else is Vert.x's transport as it is.

  @Override
  public boolean supportsDomainSockets() {
    return delegate.supportsDomainSockets();
  }

  @Override
  public boolean supportFileRegion() {
    return delegate.supportFileRegion();
  }

  @Override
  public boolean isAvailable() {
    return delegate.isAvailable();
  }

  @Override
  public Throwable unavailabilityCause() {
    return delegate.unavailabilityCause();
  }

  @Override
  public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
    return delegate.convert(address);
  }

  @Override
  public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
    return delegate.convert(address);
  }

  @Override
  public IoHandlerFactory ioHandlerFactory() {
    return delegate.ioHandlerFactory();
  }

  @Override
  public EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
    return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
  }

  @Override
  public DatagramChannel datagramChannel() {
    return delegate.datagramChannel();
  }

  @Override
  @SuppressWarnings("deprecation") // Vert.x 5.0's transport SPI still takes Netty's InternetProtocolFamily
  public DatagramChannel datagramChannel(InternetProtocolFamily family) {
    return delegate.datagramChannel(family);
  }

  @Override
  public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
    return delegate.channelFactory(domainSocket);
  }

  @Override
  public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
    return delegate.serverChannelFactory(domainSocket);
  }

  @Override
  public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
    delegate.configure(options, connectTimeout, domainSocket, bootstrap);
  }

  @Override
  public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
    delegate.configure(options, domainSocket, bootstrap);
  }
}
