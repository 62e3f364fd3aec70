package dev.netserver.bench;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * What a run does around its timeline: the client event loops, made for it and shut down after it however
 * it ends, the tasks the main thread runs on them, and the progress line's clock. {@link LoadRun} (greet,
 * echo, stream, udp) and {@link HoldRun} are the two timelines.
 */
abstract class Run {

  static final long TASK_TIMEOUT_SECONDS = 30;

  protected final BenchOptions options;
  protected final ClientTransport transport;
  protected final InetSocketAddress remote;
  protected final Progress progress;

  Run(BenchOptions options, ClientTransport transport, InetSocketAddress remote, Progress progress) {
    this.options = options;
    this.transport = transport;
    this.remote = remote;
    this.progress = progress;
  }

  /** The timeline on {@code executors} ({@code --threads} of them); what it measured. */
  protected abstract Result run(List<EventLoop> executors, Instant startedAt) throws InterruptedException;

  final Result run() throws InterruptedException {
    Instant startedAt = Instant.now();
    EventLoopGroup group = transport.newGroup(options.threads());
    try {
      List<EventLoop> executors = new ArrayList<>();
      for (EventExecutor executor : group) {
        executors.add((EventLoop) executor);
      }
      return run(executors, startedAt);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(TASK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Runs {@code task} for each of {@code each} on its event loop and waits for all; what each returns, in order. */
  static <E, T> List<T> onEach(List<E> each, Function<E, EventLoop> executor, Function<E, T> task)
    throws InterruptedException {
    List<io.netty.util.concurrent.Future<T>> futures = new ArrayList<>();
    for (E e : each) {
      Callable<T> call = () -> task.apply(e);
      futures.add(executor.apply(e).submit(call));
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

  /** Sleeps until {@code deadline}; at each whole second since {@code start}, {@code line} gets that second. */
  static void waitUntil(long start, long deadline, LongConsumer line) throws InterruptedException {
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
        line.accept((wake - start) / second);
      }
    }
  }
}
