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
import io.netty.channel.EventLoopGroup;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * hold: open {@code -c} connections, keep them open and silent for {@code --hold} seconds, then count the
 * ones still up. At most {@link #CONNECTS_IN_FLIGHT} connects are pending at a time per loop: on loopback
 * more in flight open no faster, and the connect latency would then measure this tool's queue. Whatever the server sends (the greeting) is counted and dropped.
 * Latency is the time to connect; throughput is connections opened per second.
 */
final class HoldRun {

  static final int CONNECTS_IN_FLIGHT = 32;
  private static final AttributeKey<String> CAUSE = AttributeKey.valueOf("netserver.bench.holdCloseCause");
  private static final long TASK_TIMEOUT_SECONDS = 30;

  private final BenchOptions options;
  private final ClientTransport transport;
  private final InetSocketAddress remote;
  private final Progress progress;

  HoldRun(BenchOptions options, ClientTransport transport, InetSocketAddress remote, Progress progress) {
    this.options = options;
    this.transport = transport;
    this.remote = remote;
    this.progress = progress;
  }

  Result run() throws InterruptedException {
    Instant startedAt = Instant.now();
    EventLoopGroup group = transport.newGroup(options.threads());
    try {
      List<EventLoop> executors = new ArrayList<>();
      for (EventExecutor executor : group) {
        executors.add((EventLoop) executor);
      }
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
      long holdEnd = openEnd + TimeUnit.SECONDS.toNanos(options.holdSeconds());
      while (true) {
        long now = System.nanoTime();
        if (now >= holdEnd) {
          break;
        }
        long wake = Math.min(holdEnd, nextLine);
        TimeUnit.NANOSECONDS.sleep(wake - now);
        if (wake == nextLine) {
          progress.text((nextLine - start) / second, "holding", counts(openers));
          nextLine += second;
        }
      }
      List<Opener.Count> counts = new ArrayList<>();
      for (Opener opener : openers) {
        counts.add(opener.executor.submit(opener::end).get(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS));
      }
      long end = System.nanoTime();
      long cpuEnd = ProcessCpu.nanos();
      return result(counts, (end - start) / 1e9, (openEnd - start) / 1e9,
        cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart, startedAt);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("an event loop did not report its connections: " + e, e);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
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

  private Result result(List<Opener.Count> counts, double seconds, double openSeconds, long cpu, Instant startedAt) {
    Histogram latency = new Histogram(LoopStats.HIGHEST_NANOS, LoopStats.SIGNIFICANT_DIGITS);
    long held = 0;
    long bytes = 0;
    long errors = 0;
    long[] byKind = new long[ErrorKind.values().length];
    String firstError = null;
    for (Opener.Count c : counts) {
      held += c.held();
      bytes += c.measured().bytes();
      latency.add(c.measured().latency());
      errors += c.totals().errors();
      for (int k = 0; k < byKind.length; k++) {
        byKind[k] += c.totals().errorsByKind()[k];
      }
      if (firstError == null) {
        firstError = c.totals().firstError();
      }
    }
    return new Result(options, transport.cliName(), held, errors, byKind, firstError, 0, 0, seconds, bytes, latency,
      cpu, startedAt, held, options.connections() - held, openSeconds);
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
        bootstrap.connect().addListener((ChannelFuture f) -> connected(f, connectStart));
      }
    }

    private void connected(ChannelFuture f, long connectStart) {
      pending--;
      if (f.isSuccess()) {
        stats.completed(System.nanoTime() - connectStart, 0);
        channels.add(f.channel());
      } else {
        stats.error(ErrorKind.CONNECT, () -> describe(f.cause()));
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
        ctx.channel().attr(CAUSE).set(describe(cause));
        ctx.close();
      }
    }
  }

  private static String describe(Throwable cause) {
    return Client.describe(cause);
  }
}
