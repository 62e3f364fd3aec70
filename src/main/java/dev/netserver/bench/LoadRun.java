package dev.netserver.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The timeline of greet, echo, stream and udp: start every slot, warm up, measure, stop sending, drain
 * (wait at most {@code --timeout} for what is in flight), give up on the rest, close. The main thread
 * only keeps time and prints progress; the event loops do all the work and report through tasks run on
 * them, so their counters need no locks.
 */
final class LoadRun extends Run {

  /** Beyond the timeout, a little time for the last timer tick to notice it. */
  private static final long DRAIN_MARGIN_MILLIS = 250;

  LoadRun(BenchOptions options, ClientTransport transport, InetSocketAddress remote, Progress progress) {
    super(options, transport, remote, progress);
  }

  @Override
  protected Result run(List<EventLoop> executors, Instant startedAt) throws InterruptedException {
    CountDownLatch finished = new CountDownLatch(options.connections());
    List<ClientLoop> loops = createClients(executors, finished);
    long start = System.nanoTime();
    onEach(loops, ClientLoop::executor, loop -> {
      loop.start();
      return null;
    });
    long measureStart = start + TimeUnit.SECONDS.toNanos(options.warmupSeconds());
    waitUntil(loops, start, measureStart, "warm-up");
    onEach(loops, ClientLoop::executor, loop -> {
      loop.stats().startMeasuring();
      return null;
    });
    long cpuStart = ProcessCpu.nanos();
    long measuredFrom = System.nanoTime();
    waitUntil(loops, start, measuredFrom + TimeUnit.SECONDS.toNanos(options.durationSeconds()), "measuring");
    LoopStats.Measured measured = LoopStats.Measured.sum(
      onEach(loops, ClientLoop::executor, ClientLoop::stopSending));
    long measuredTo = System.nanoTime();
    long cpuEnd = ProcessCpu.nanos();
    long drainMillis = Math.max(options.timeoutMillis(), options.mode() == Mode.UDP ? options.udpTimeoutMillis() : 0);
    finished.await(drainMillis + DRAIN_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
    LoopStats.Totals totals = LoopStats.Totals.sum(onEach(loops, ClientLoop::executor, ClientLoop::abort));
    return new Result(options, transport.cliName(), measured.exchanges(), totals.errors(), totals.errorsByKind(),
      totals.firstError(), totals.lost(), totals.late(), (measuredTo - measuredFrom) / 1e9, measured.bytes(),
      measured.latency(), ProcessCpu.between(cpuStart, cpuEnd), startedAt, null, null, 0);
  }

  private List<ClientLoop> createClients(List<EventLoop> executors, CountDownLatch finished) {
    Payload payload = new Payload(options.size());
    List<ClientLoop> loops = new ArrayList<>();
    for (EventLoop executor : executors) {
      loops.add(new ClientLoop(executor, transport, remote, options, payload, finished));
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
    waitUntil(start, deadline, seconds -> {
      long completed = 0;
      long errors = 0;
      for (ClientLoop loop : loops) {
        completed += loop.stats().progressCompleted();
        errors += loop.stats().progressErrors();
      }
      progress.line(seconds, phase, completed, options.mode().unit(), errors);
    });
  }
}
