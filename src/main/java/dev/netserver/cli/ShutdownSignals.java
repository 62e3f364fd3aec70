package dev.netserver.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;

/**
 * What the running server does on SIGTERM, SIGINT (Ctrl-C) and SIGHUP, as service managers expect:
 *
 * <ul>
 * <li>The first SIGTERM or SIGINT says how many connections are draining and for how long, then exits the
 * normal way (exit status 128 + the signal: 143, 130), through Vert.x's shutdown hook, which stops the
 * listeners with their grace period.
 * <li>A second one during that grace period stops the process at once (same exit status), without
 * waiting: an operator who asks twice means it.
 * <li>One that comes while the server is still starting waits for the start to end (at most
 * {@value #START_WAIT_SECONDS} s), then stops it as above: stopping Vert.x in the middle of deploying the
 * listeners would fail the start instead of draining it.
 * <li>SIGHUP does not stop the server (the JVM's default would): it reloads the configuration
 * (docs/OPERATIONS.md, "Hot reload"), which logs its outcome.
 * </ul>
 *
 * <p>Why {@code sun.misc.Signal} (module jdk.unsupported, exported and present in every JDK since 9): it is
 * the only way in Java to handle a signal. A shutdown hook alone cannot: once the JVM is shutting down it
 * ignores further SIGTERMs, and SIGHUP always stops it. This class is the only user.
 */
final class ShutdownSignals {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

  /** How long a stop asked for during the start waits for the start to end. */
  static final long START_WAIT_SECONDS = 30;

  private final IntSupplier openConnections;
  private final int graceSeconds;
  private final Runnable reload;
  private final CompletableFuture<?> started;
  private final AtomicBoolean stopping = new AtomicBoolean();

  private ShutdownSignals(IntSupplier openConnections, int graceSeconds, Runnable reload, CompletableFuture<?> started) {
    this.openConnections = openConnections;
    this.graceSeconds = graceSeconds;
    this.reload = reload;
    this.started = started;
  }

  /**
   * Installs the handlers; a JVM run with {@code -Xrs}, or one that does not let a signal be handled,
   * keeps its default behaviour, with a line that says so.
   *
   * @param openConnections called as the drain begins (the admin turns not ready): the TCP connections open now, for the drain line
   * @param reload          called on SIGHUP: starts a reload (which runs on Vert.x and logs how it ended)
   * @param started         completes when the start has ended, whether the server runs or not
   */
  static void install(IntSupplier openConnections, int graceSeconds, Runnable reload, CompletableFuture<?> started) {
    ShutdownSignals signals = new ShutdownSignals(openConnections, graceSeconds, reload, started);
    for (String name : new String[] {"TERM", "INT", "HUP"}) {
      try {
        Signal.handle(new Signal(name), signals::handle);
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.info("SIG{} keeps the JVM's default handling: {}", name, e.getMessage());
      }
    }
  }

  /** Runs on a thread the JVM starts for each signal. */
  private void handle(Signal signal) {
    String name = "SIG" + signal.getName();
    int status = 128 + signal.getNumber();
    if (signal.getName().equals("HUP")) {
      if (stopping.get()) {
        LOG.info("{}: netserver is stopping; no reload", name);
      } else {
        LOG.info("{}: reloading the configuration", name);
        reload.run();
      }
      return;
    }
    if (!stopping.compareAndSet(false, true)) {
      LOG.warn("{} again: stopping now, without waiting for the connections still open", name);
      Runtime.getRuntime().halt(status);
    }
    if (!started.isDone()) {
      LOG.info("{}: netserver is still starting; it stops once the start has ended", name);
      try {
        started.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        LOG.warn("{}: the start has not ended within {} s; stopping anyway", name, START_WAIT_SECONDS);
      } catch (ExecutionException | InterruptedException e) {
        // the start failed (it said why) or the wait was cut short: stop all the same
      }
    }
    int open = openConnections.getAsInt();
    LOG.info("{}: stopping; draining {} connection{} for up to {} s; send SIGTERM again to stop now", name, open,
      open == 1 ? "" : "s", graceSeconds);
    // exit() runs the shutdown hooks (Vert.x's: the graceful stop) and blocks this thread until they end;
    // the next signal gets a thread of its own
    System.exit(status);
  }
}
