package dev.netserver.bench;

import dev.netserver.ExitCode;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.time.Instant;

/**
 * What one run measured, as the summary and the JSON show it.
 *
 * @param exchanges       completed and verified in the measured interval: greet exchanges, echo round trips,
 *                        stream or udp messages; hold: connections still up at the end
 * @param errors          every error of the run, warm-up and drain included
 * @param lost            udp: datagrams without a reply in time, from the measurement's start to the drain's end
 * @param late            udp: replies that came after their datagram was counted lost
 * @param measuredSeconds the measured interval as it really lasted (hold: opening plus holding)
 * @param bytes           verified bytes received in the measured interval
 * @param latency         nanoseconds per exchange or message (hold: per connect)
 * @param cpuNanos        this process's CPU time in the measured interval, -1 if unknown
 * @param held            hold only, else {@code null}
 * @param failed          hold only: connections that failed to open or closed while held, else {@code null}
 * @param openSeconds     hold only: how long opening them took, else 0
 */
record Result(
  BenchOptions options,
  String transport,
  long exchanges,
  long errors,
  long[] errorsByKind,
  String firstError,
  long lost,
  long late,
  double measuredSeconds,
  long bytes,
  Histogram latency,
  long cpuNanos,
  Instant startedAt,
  Long held,
  Long failed,
  double openSeconds) {

  static final String TOOL = "netserver-bench";
  /** udp: more lost than this (a fraction of the datagrams answered or lost) fails the run. */
  static final double MAX_LOSS = 0.01;

  Mode mode() {
    return options.mode();
  }

  /** Completions per second of the measured interval (hold: connections opened per second). */
  double throughputPerSecond() {
    if (mode() == Mode.HOLD) {
      long opened = held + countOf(ErrorKind.CLOSED);
      return openSeconds > 0 ? opened / openSeconds : 0;
    }
    return measuredSeconds > 0 ? exchanges / measuredSeconds : 0;
  }

  double bytesPerSecond() {
    return measuredSeconds > 0 ? bytes / measuredSeconds : 0;
  }

  long countOf(ErrorKind kind) {
    return errorsByKind[kind.ordinal()];
  }

  /** udp: lost / (answered + lost). */
  double lossRatio() {
    return lost + exchanges == 0 ? 0 : (double) lost / (lost + exchanges);
  }

  boolean lossTooHigh() {
    return mode() == Mode.UDP && lossRatio() > MAX_LOSS;
  }

  /** OK when every reply was right (udp: and no more than 1% lost; hold: and every connection held), else FAILURE. */
  ExitCode exitCode() {
    return errors > 0 || lossTooHigh() || (failed != null && failed > 0) ? ExitCode.FAILURE : ExitCode.OK;
  }

  /** CPU seconds per wall second: 1.0 is one core busy all the time. */
  double cpuShare() {
    return cpuNanos < 0 || measuredSeconds <= 0 ? -1 : cpuNanos / 1e9 / measuredSeconds;
  }

  /** A latency percentile in microseconds. */
  double micros(double percentile) {
    return latency.getValueAtPercentile(percentile) / 1000.0;
  }

  double maxMicros() {
    return latency.getMaxValue() / 1000.0;
  }

  double meanMicros() {
    return latency.getTotalCount() == 0 ? 0 : latency.getMean() / 1000.0;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("tool", TOOL)
      .put("mode", mode().cliName())
      .put("label", options.label())
      .put("host", options.host())
      .put("port", options.port())
      .put("connections", options.connections())
      .put("durationSeconds", options.measuredSeconds())
      .put("warmupSeconds", options.warmupSeconds())
      .put("size", options.size())
      .put("window", options.window())
      .put("tls", options.tls())
      .put("sourceAddresses", options.sources().size())
      .put("exchanges", exchanges)
      .put("errors", errors)
      .put("lost", lost)
      .put("throughputPerSecond", round(throughputPerSecond(), 1))
      .put("bytesPerSecond", round(bytesPerSecond(), 0))
      .put("latencyMicros", new JsonObject()
        .put("p50", round(micros(50), 1))
        .put("p90", round(micros(90), 1))
        .put("p99", round(micros(99), 1))
        .put("p999", round(micros(99.9), 1))
        .put("max", round(maxMicros(), 1))
        .put("mean", round(meanMicros(), 1)))
      .put("clientCpuSeconds", cpuNanos < 0 ? null : round(cpuNanos / 1e9, 3))
      .put("startedAt", startedAt.toString());
    if (mode() == Mode.HOLD) {
      json.put("held", held).put("failed", failed).put("openSeconds", round(openSeconds, 3));
    }
    JsonObject kinds = new JsonObject();
    for (ErrorKind kind : ErrorKind.values()) {
      kinds.put(kind.jsonName(), countOf(kind));
    }
    return json
      .put("measuredSeconds", round(measuredSeconds, 3))
      .put("late", late)
      .put("errorKinds", kinds)
      .put("firstError", firstError)
      .put("timeoutMillis", options.timeoutMillis())
      .put("udpTimeoutMillis", options.udpTimeoutMillis())
      .put("transport", transport)
      .put("threads", options.threads())
      .put("availableProcessors", Runtime.getRuntime().availableProcessors());
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
