package dev.netserver.bench;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The counts and latencies of the clients on one event loop. Only that loop writes them, so they are
 * plain fields and a plain {@link Histogram}; the main thread reads them through {@link #endMeasuring()}
 * and {@link #totals()}, which run on the loop. The two counters of the progress line are published
 * with release stores, which cost no fence on the hot path.
 *
 * <p>Exchanges, bytes and latencies count only while measuring. Errors count from start to end, warm-up
 * and drain included: a wrong answer is never discarded. Losses count from the start of the measurement
 * to the end of the drain.
 */
final class LoopStats {

  /** Latencies above an hour are recorded as an hour (a timeout is at most 10 minutes). */
  static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);
  static final int SIGNIFICANT_DIGITS = 3;

  enum Phase { WARMUP, MEASURE, DRAIN }

  /** What the measured interval produced on one loop. */
  record Measured(long exchanges, long bytes, Histogram latency) {

    /** Every loop's, together. */
    static Measured sum(List<Measured> each) {
      Histogram latency = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
      long exchanges = 0;
      long bytes = 0;
      for (Measured m : each) {
        exchanges += m.exchanges;
        bytes += m.bytes;
        latency.add(m.latency);
      }
      return new Measured(exchanges, bytes, latency);
    }
  }

  /** What the whole run produced on one loop, once it is over. */
  record Totals(long errors, long[] errorsByKind, String firstError, long lost, long late) {

    /** Every loop's, together; the first error is the first loop's that has one. */
    static Totals sum(List<Totals> each) {
      long errors = 0;
      long lost = 0;
      long late = 0;
      long[] byKind = new long[ErrorKind.values().length];
      String firstError = null;
      for (Totals t : each) {
        errors += t.errors;
        lost += t.lost;
        late += t.late;
        for (int k = 0; k < byKind.length; k++) {
          byKind[k] += t.errorsByKind[k];
        }
        if (firstError == null) {
          firstError = t.firstError;
        }
      }
      return new Totals(errors, byKind, firstError, lost, late);
    }
  }

  private Phase phase = Phase.WARMUP;
  private final Histogram latency = new Histogram(HIGHEST_NANOS, SIGNIFICANT_DIGITS);
  private long exchanges;
  private long bytes;
  private long lost;
  private long late;
  private final long[] errorsByKind = new long[ErrorKind.values().length];
  private String firstError;
  private final AtomicLong progressCompleted = new AtomicLong();
  private final AtomicLong progressErrors = new AtomicLong();

  /** One exchange, message or datagram done and verified. */
  void completed(long latencyNanos, long receivedBytes) {
    progressCompleted.setRelease(progressCompleted.getPlain() + 1);
    if (phase == Phase.MEASURE) {
      exchanges++;
      bytes += receivedBytes;
      latency.recordValue(Math.max(0, Math.min(latencyNanos, HIGHEST_NANOS)));
    }
  }

  /** Bytes that belong to no exchange (hold mode: the greeting of a held connection). */
  void received(long receivedBytes) {
    if (phase == Phase.MEASURE) {
      bytes += receivedBytes;
    }
  }

  /** An error; {@code description} is asked for only for the first one, so the hot path builds no string. */
  void error(ErrorKind kind, Supplier<String> description) {
    errorsByKind[kind.ordinal()]++;
    progressErrors.setRelease(progressErrors.getPlain() + 1);
    if (firstError == null) {
      firstError = kind.text() + ": " + description.get();
    }
  }

  /** A datagram without a reply in time. */
  void lost() {
    if (phase != Phase.WARMUP) {
      lost++;
    }
  }

  /** A reply to a datagram already counted lost: not an error, the loss stands. */
  void late() {
    late++;
  }

  Phase phase() {
    return phase;
  }

  /** Drops the warm-up's results and starts counting. */
  void startMeasuring() {
    phase = Phase.MEASURE;
    exchanges = 0;
    bytes = 0;
    lost = 0;
    late = 0;
    latency.reset();
  }

  /** Ends the measured interval and returns what it produced; what follows is the drain. */
  Measured endMeasuring() {
    phase = Phase.DRAIN;
    return new Measured(exchanges, bytes, latency.copy());
  }

  Totals totals() {
    long errors = 0;
    for (long n : errorsByKind) {
      errors += n;
    }
    return new Totals(errors, errorsByKind.clone(), firstError, lost, late);
  }

  /** For the progress line, from any thread: everything completed so far, warm-up included. */
  long progressCompleted() {
    return progressCompleted.getAcquire();
  }

  /** For the progress line, from any thread. */
  long progressErrors() {
    return progressErrors.getAcquire();
  }
}
