package dev.netserver.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.EnumSet;

/**
 * Vert.x's own metrics (net servers, event bus, pools) and the JVM's, on Micrometer's Prometheus registry, which
 * {@code GET /metrics} exposes with netserver's counters ({@link ListenerMetrics}). Turned on where Vert.x is
 * built, when the configuration has an {@code admin} object: metrics cost a little on every connection, so a
 * server nobody scrapes does not pay it.
 */
public final class AdminMetrics {

  /**
   * The labels Vert.x's metrics carry. Never {@link Label#REMOTE} or {@link Label#LOCAL}: a label per client
   * address is a time series per client (unbounded cardinality). Nor {@link Label#HTTP_PATH}: any path a
   * client sends would be one too.
   */
  static final EnumSet<Label> LABELS = EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE,
    Label.POOL_TYPE, Label.POOL_NAME, Label.EB_ADDRESS, Label.EB_SIDE, Label.EB_FAILURE, Label.NAMESPACE);

  /**
   * The metrics options: Prometheus registry, JVM metrics (memory, GC, threads, classes, CPU), {@link #LABELS}.
   * Vert.x's datagram metrics are off: they record two distribution summaries per datagram on the {@code vertx}
   * engine's UDP sockets (measured: about 7% of its CPU per echoed 64-byte datagram), and say less than
   * netserver's own per-listener {@code netserver_datagrams_*} and {@code netserver_bytes_*} counters, which the
   * {@code direct} engine has too.
   */
  public static MicrometerMetricsOptions options() {
    return new MicrometerMetricsOptions()
      .setEnabled(true)
      .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      .setJvmMetricsEnabled(true)
      .setLabels(EnumSet.copyOf(LABELS));
  }

  /** {@code builder} with Vert.x's metrics on, for a Vert.x built with {@code options}. */
  public static VertxBuilder enable(VertxBuilder builder, VertxOptions options) {
    options.setMetricsOptions(options());
    return builder.with(options).withMetrics(new MicrometerMetricsFactory());
  }

  /** The Prometheus registry Vert.x's metrics go to, or {@code null} when Vert.x runs without them. */
  static PrometheusMeterRegistry vertxRegistry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry instanceof PrometheusMeterRegistry prometheus ? prometheus : null;
  }

  private AdminMetrics() {
  }
}
