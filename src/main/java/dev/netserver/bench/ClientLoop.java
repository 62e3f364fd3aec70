package dev.netserver.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

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

  /** Opens one more connection (udp: a connected socket) to the server, on this loop, from the next source address. */
  ChannelFuture connect(ChannelHandler handler) {
    Bootstrap b = bootstrap.clone().handler(handler);
    InetSocketAddress source = sources.next();
    return source == null ? b.connect() : b.localAddress(source).connect();
  }
}
