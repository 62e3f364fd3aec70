package dev.netserver.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * hold: open {@code -c} connections, keep them open and silent for {@code --hold} seconds, then count the
 * ones still up. At most {@link #CONNECTS_IN_FLIGHT} connects are pending at a time per loop: on loopback
 * more in flight open no faster, and the connect latency would then measure this tool's queue. Whatever the server sends (the greeting) is counted and dropped.
 * Latency is the time to connect; throughput is connections opened per second.
 */
final class HoldRun extends Run {

  static final int CONNECTS_IN_FLIGHT = 32;
  private static final AttributeKey<String> CAUSE = AttributeKey.valueOf("netserver.bench.holdCloseCause");

  HoldRun(BenchOptions options, ClientTransport transport, InetSocketAddress remote, Progress progress) {
    super(options, transport, remote, progress);
  }

  @Override
  protected Result run(List<EventLoop> executors, Instant startedAt) throws InterruptedException {
    CountDownLatch opened = new CountDownLatch(executors.size());
    List<Opener> openers = new ArrayList<>();
    for (int i = 0; i < executors.size(); i++) {
      int quota = options.connections() / executors.size() + (i < options.connections() % executors.size() ? 1 : 0);
      openers.add(new Opener(executors.get(i), quota, opened));
    }
    long cpuStart = ProcessCpu.nanos();
    long start = System.nanoTime();
    for (Opener opener : openers) {
      opener.executor.execute(opener::start);
    }
    long second = TimeUnit.SECONDS.toNanos(1);
    long nextLine = start + second;
    while (!opened.await(Math.max(0, nextLine - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      progress.text((nextLine - start) / second, "opening", counts(openers));
      nextLine += second;
    }
    long openEnd = System.nanoTime();
    waitUntil(start, openEnd + TimeUnit.SECONDS.toNanos(options.holdSeconds()),
      seconds -> progress.text(seconds, "holding", counts(openers)));
    List<Opener.Count> counts = onEach(openers, opener -> opener.executor, Opener::end);
    long end = System.nanoTime();
    long cpuEnd = ProcessCpu.nanos();
    long held = counts.stream().mapToLong(Opener.Count::held).sum();
    LoopStats.Measured measured = LoopStats.Measured.sum(counts.stream().map(Opener.Count::measured).toList());
    LoopStats.Totals totals = LoopStats.Totals.sum(counts.stream().map(Opener.Count::totals).toList());
    return new Result(options, transport.cliName(), held, totals.errors(), totals.errorsByKind(), totals.firstError(),
      0, 0, (end - start) / 1e9, measured.bytes(), measured.latency(), ProcessCpu.between(cpuStart, cpuEnd), startedAt,
      held, options.connections() - held, (openEnd - start) / 1e9);
  }

  private static String counts(List<Opener> openers) {
    long up = 0;
    long errors = 0;
    for (Opener opener : openers) {
      up += opener.stats.progressCompleted() - opener.closedCount();
      errors += opener.stats.progressErrors();
    }
    return up + " up, " + errors + " failed";
  }

  /** One loop's connections: opened a window at a time, then held, then counted and closed. */
  private final class Opener {

    record Count(long held, LoopStats.Measured measured, LoopStats.Totals totals) {
    }

    private final EventLoop executor;
    private final int quota;
    private final CountDownLatch opened;
    private final LoopStats stats = new LoopStats();
    private final Bootstrap bootstrap;
    private final SourceAddresses sources = SourceAddresses.of(options.sources());
    private final List<Channel> channels = new ArrayList<>();
    private long startNanos;
    private int started;
    private int resolved;
    private int pending;
    private boolean ending;
    /** Written on the loop, read by the progress line. */
    private volatile long closed;

    Opener(EventLoop executor, int quota, CountDownLatch opened) {
      this.executor = executor;
      this.quota = quota;
      this.opened = opened;
      this.bootstrap = new Bootstrap().group(executor).channel(transport.socketChannel()).remoteAddress(remote)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, options.timeoutMillis())
        .handler(new Held());
    }

    long closedCount() {
      return closed;
    }

    void start() {
      startNanos = System.nanoTime();
      stats.startMeasuring();
      if (quota == 0) {
        opened.countDown();
      }
      openMore();
    }

    private void openMore() {
      while (pending < CONNECTS_IN_FLIGHT && started < quota) {
        started++;
        pending++;
        long connectStart = System.nanoTime();
        InetSocketAddress source = sources.next();
        (source == null ? bootstrap.connect() : bootstrap.connect(remote, source))
          .addListener((ChannelFuture f) -> connected(f, connectStart));
      }
    }

    private void connected(ChannelFuture f, long connectStart) {
      pending--;
      if (f.isSuccess()) {
        stats.completed(System.nanoTime() - connectStart, 0);
        channels.add(f.channel());
      } else {
        stats.error(ErrorKind.CONNECT, () -> Client.describe(f.cause()));
      }
      if (++resolved == quota) {
        opened.countDown();
      }
      openMore();
    }

    /** On the loop, at the end of the hold: counts the connections still up and closes everything. */
    Count end() {
      ending = true;
      long held = 0;
      for (Channel channel : channels) {
        if (channel.isActive()) {
          held++;
        }
        channel.close();
      }
      return new Count(held, stats.endMeasuring(), stats.totals());
    }

    /** The handler of every held connection: counts what arrives, and a close before the end as a failure. */
    @ChannelHandler.Sharable
    private final class Held extends ChannelInboundHandlerAdapter {

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
          stats.received(buf.readableBytes());
        }
        ReferenceCountUtil.release(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        if (!ending) {
          closed++;
          String cause = ctx.channel().attr(CAUSE).get();
          stats.error(ErrorKind.CLOSED, () -> "a held connection closed " + TimeUnit.NANOSECONDS.toMillis(
            System.nanoTime() - startNanos) + " ms after the start" + (cause != null ? " (" + cause + ")" : ""));
        }
      }

      /** A reset: the close that follows counts it. */
      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.channel().attr(CAUSE).set(Client.describe(cause));
        ctx.close();
      }
    }
  }
}
