package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The timeline of greet, echo, stream and udp: start every slot, warm up, measure, stop sending, drain
 * (wait at most {@code --timeout} for what is in flight), give up on the rest, close. The main thread
 * only keeps time and prints progress; the event loops do all the work and report through tasks run on
 * them, so their counters need no locks.
 */
final class LoadRun {

  /** Beyond the timeout, a little time for the last timer tick to notice it. */
  private static final long DRAIN_MARGIN_MILLIS = 250;
  private static final long TASK_TIMEOUT_SECONDS = 30;

  private final BenchOptions options;
  private final ClientTransport transport;
  private final InetSocketAddress remote;
  private final Progress progress;

  LoadRun(BenchOptions options, ClientTransport transport, InetSocketAddress remote, Progress progress) {
    this.options = options;
    this.transport = transport;
    this.remote = remote;
    this.progress = progress;
  }

  Result run() throws InterruptedException {
    Instant startedAt = Instant.now();
    EventLoopGroup group = transport.newGroup(options.threads());
    try {
      CountDownLatch finished = new CountDownLatch(options.connections());
      List<ClientLoop> loops = createClients(group, finished);
      long start = System.nanoTime();
      onEach(loops, loop -> {
        loop.start();
        return null;
      });
      long measureStart = start + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
      waitUntil(loops, start, measureStart, "warm-up");
      onEach(loops, loop -> {
        loop.stats().startMeasuring();
        return null;
      });
      long cpuStart = ProcessCpu.nanos();
      long measuredFrom = System.nanoTime();
      waitUntil(loops, start, measuredFrom + TimeUnit.SECONDS.toNanos(options.durationSeconds()), "measuring");
      List<LoopStats.Measured> measured = onEach(loops, ClientLoop::stopSending);
      long measuredTo = System.nanoTime();
      long cpuEnd = ProcessCpu.nanos();
      long drainMillis = Math.max(options.timeoutMillis(), options.mode() == Mode.UDP ? options.udpTimeoutMillis() : 0);
      finished.await(drainMillis + DRAIN_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
      List<LoopStats.Totals> totals = onEach(loops, ClientLoop::abort);
      return result(measured, totals, (measuredTo - measuredFrom) / 1e9,
        cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart, startedAt);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  private List<ClientLoop> createClients(EventLoopGroup group, CountDownLatch finished) {
    Payload payload = new Payload(options.size());
    List<ClientLoop> loops = new ArrayList<>();
    for (EventExecutor executor : group) {
      loops.add(new ClientLoop((EventLoop) executor, transport, remote, options, payload, finished));
    }
    ByteBuf line = options.mode() == Mode.GREET ? GreetClient.line(options.size()) : null;
    byte[] answer = GreetingCheck.answerFor(options.size());
    for (int i = 0; i < options.connections(); i++) {
      ClientLoop loop = loops.get(i % loops.size());
      loop.add(switch (options.mode()) {
        case GREET -> new GreetClient(loop, line, answer);
        case ECHO, STREAM -> new EchoClient(loop);
        case UDP -> new UdpClient(loop);
        case HOLD -> throw new IllegalStateException("hold runs in HoldRun");
      });
    }
    return loops;
  }

  /** Prints the progress line each second until {@code deadline}. */
  private void waitUntil(List<ClientLoop> loops, long start, long deadline, String phase) throws InterruptedException {
    long second = TimeUnit.SECONDS.toNanos(1);
    while (true) {
      long now = System.nanoTime();
      if (now >= deadline) {
        return;
      }
      long nextLine = start + ((now - start) / second + 1) * second;
      long wake = Math.min(deadline, nextLine);
      TimeUnit.NANOSECONDS.sleep(wake - now);
      if (wake == nextLine) {
        long completed = 0;
        long errors = 0;
        for (ClientLoop loop : loops) {
          completed += loop.stats().progressCompleted();
          errors += loop.stats().progressErrors();
        }
        progress.line((wake - start) / second, phase, completed, options.mode().unit(), errors);
      }
    }
  }

  private Result result(List<LoopStats.Measured> measured, List<LoopStats.Totals> totals, double seconds, long cpu,
                        Instant startedAt) {
    Histogram latency = new Histogram(LoopStats.HIGHEST_NANOS, LoopStats.SIGNIFICANT_DIGITS);
    long exchanges = 0;
    long bytes = 0;
    for (LoopStats.Measured m : measured) {
      exchanges += m.exchanges();
      bytes += m.bytes();
      latency.add(m.latency());
    }
    long errors = 0;
    long lost = 0;
    long late = 0;
    long[] byKind = new long[ErrorKind.values().length];
    String firstError = null;
    for (LoopStats.Totals t : totals) {
      errors += t.errors();
      lost += t.lost();
      late += t.late();
      for (int k = 0; k < byKind.length; k++) {
        byKind[k] += t.errorsByKind()[k];
      }
      if (firstError == null) {
        firstError = t.firstError();
      }
    }
    return new Result(options, transport.cliName(), exchanges, errors, byKind, firstError, lost, late, seconds, bytes,
      latency, cpu, startedAt, null, null, 0);
  }

  /** A task on every loop, waited for; what each returns, in loop order. */
  static <T> List<T> onEach(List<ClientLoop> loops, LoopTask<T> task) throws InterruptedException {
    List<io.netty.util.concurrent.Future<T>> futures = new ArrayList<>();
    for (ClientLoop loop : loops) {
      Callable<T> call = () -> task.run(loop);
      futures.add(loop.executor().submit(call));
    }
    List<T> results = new ArrayList<>();
    for (io.netty.util.concurrent.Future<T> future : futures) {
      try {
        results.add(future.get(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        throw new IllegalStateException("an event loop failed: " + e.getCause(), e.getCause());
      } catch (TimeoutException e) {
        throw new IllegalStateException("an event loop did not answer within " + TASK_TIMEOUT_SECONDS + " s");
      }
    }
    return results;
  }

  /** Work for one loop, run on it. */
  interface LoopTask<T> {
    T run(ClientLoop loop);
  }
}
