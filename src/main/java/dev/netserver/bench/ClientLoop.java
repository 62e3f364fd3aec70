package dev.netserver.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of the clients: their bootstraps, their stats and the timer that checks
 * their timeouts. Everything here runs on that loop, except the constructor and {@link #clientFinished()}'s
 * latch.
 */
final class ClientLoop {

  /** At most this many datagrams per read call (epoll's recvmmsg); more would only make the buffer larger. */
  static final int UDP_READ_BATCH = 16;

  private final EventLoop executor;
  private final BenchOptions options;
  private final Payload payload;
  private final LoopStats stats = new LoopStats();
  private final List<Client> clients = new ArrayList<>();
  private final CountDownLatch allFinished;
  /** TCP connections, or UDP sockets in udp mode, to the server, on this loop. */
  private final Bootstrap bootstrap;
  private final SourceAddresses sources;
  private final long tickMillis;
  /** {@code --tls}: the client side, else null. */
  private final SslContext tls;
  private ScheduledFuture<?> ticker;

  ClientLoop(EventLoop executor, ClientTransport transport, InetSocketAddress remote, BenchOptions options,
             Payload payload, CountDownLatch allFinished) {
    this.executor = executor;
    this.options = options;
    this.payload = payload;
    this.allFinished = allFinished;
    this.sources = SourceAddresses.of(options.sources());
    Bootstrap bootstrap = new Bootstrap().group(executor).remoteAddress(remote);
    this.bootstrap = options.mode() == Mode.UDP
      ? transport.udpReads(bootstrap.channel(transport.datagramChannel()), options.size(),
          Math.min(options.window(), UDP_READ_BATCH))
      : bootstrap.channel(transport.socketChannel())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.timeoutMillis());
    long shortest = options.mode() == Mode.UDP ? Math.min(options.timeoutMillis(), options.udpTimeoutMillis())
      : options.timeoutMillis();
    this.tickMillis = Math.max(1, Math.min(100, shortest / 10));
    this.tls = options.tls() ? clientTls() : null;
  }

  /**
   * A TLS client that takes any certificate: the bench measures the server, not a trust chain. The JDK's
   * provider, as the server's default.
   */
  private static SslContext clientTls() {
    try {
      return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot make a TLS client: " + e.getMessage(), e);
    }
  }

  void add(Client client) {
    clients.add(client);
  }

  /** On the loop: starts every client and the timeout checks. */
  void start() {
    for (Client client : clients) {
      client.start();
    }
    ticker = executor.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    long now = System.nanoTime();
    for (Client client : clients) {
      client.tick(now);
    }
  }

  /** On the loop: ends the measured interval and tells every client to stop sending. */
  LoopStats.Measured stopSending() {
    LoopStats.Measured measured = stats.endMeasuring();
    for (Client client : clients) {
      client.stop();
    }
    return measured;
  }

  /** On the loop, after the drain: gives up on what is still in flight and returns the run's totals. */
  LoopStats.Totals abort() {
    for (Client client : clients) {
      client.abort();
    }
    if (ticker != null) {
      ticker.cancel(false);
    }
    return stats.totals();
  }

  void clientFinished() {
    allFinished.countDown();
  }

  EventLoop executor() {
    return executor;
  }

  BenchOptions options() {
    return options;
  }

  Payload payload() {
    return payload;
  }

  LoopStats stats() {
    return stats;
  }

  long tickMillis() {
    return tickMillis;
  }

  /**
   * Opens one more connection (udp: a connected socket) to the server, on this loop, from the next source
   * address. With {@code --tls} the
   * handler sees the plain bytes; the TLS handler is made without the peer's address, so no session is
   * resumed and every connection is a full handshake. The client hears that its connection is active once
   * the handshake is done, so what it times and sends starts with a TLS connection ready.
   */
  ChannelFuture connect(ChannelHandler handler) {
    Bootstrap b = bootstrap.clone().handler(tls == null ? handler : new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel channel) {
        channel.pipeline().addLast(tls.newHandler(channel.alloc()), new HandshakeFirst(), handler);
      }
    });
    InetSocketAddress source = sources.next();
    return source == null ? b.connect() : b.localAddress(source).connect();
  }

  /**
   * Holds back a TLS connection's channelActive until its handshake succeeded. A failed handshake is
   * reported by the TLS handler itself (an exception, then the close).
   */
  private static final class HandshakeFirst extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      // held: fired below
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof SslHandshakeCompletionEvent done) {
        if (done.isSuccess()) {
          ctx.fireChannelActive();
        }
        ctx.pipeline().remove(this);
        return;
      }
      ctx.fireUserEventTriggered(event);
    }
  }
}
