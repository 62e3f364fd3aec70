package dev.netserver.admin;

import dev.netserver.vertx.VertxInsides;
import dev.netserver.ListenerStartException;
import dev.netserver.config.AdminConfig;
import dev.netserver.config.Binding;
import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.reload.ReloadHistory;
import dev.netserver.reload.ReloadResult;
import dev.netserver.sockopts.SockoptsCommand;
import dev.netserver.stats.ClusterMembership;
import dev.netserver.stats.StatsAddresses;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The operator's HTTP port ({@code admin} in the configuration): {@code /metrics} (Prometheus text),
 * {@code /health}, {@code /ready}, {@code /stats} and {@code /listeners}. With {@code admin.token} every request
 * needs {@code Authorization: Bearer <token>}. Its connections are its own server's: the listeners' limits do not
 * apply to them.
 *
 * <p>{@code POST /reload} reloads the configuration (docs/OPERATIONS.md, "Hot reload"): 200 with the outcome when the
 * new configuration runs, 422 with the problems when nothing changed; {@code /health} shows the last one as
 * {@code lastReload}, and {@code netserver_reloads_total{result="ok"|"failed"}} counts them. After a reload the
 * listeners, readiness and the {@code engine} label follow the new configuration ({@link #reloaded}).
 *
 * <p>Readiness: 200 while every configured listener is bound (and, clustered, this node is a cluster member);
 * 503 from the moment {@link #drainStarted()} is called, which the shutdown path must do before it closes any
 * listener, so a load balancer stops sending new clients while the open connections finish.
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);
  /** How long {@code /stats} waits for the reporting verticle's answer. */
  static final long STATS_TIMEOUT_MS = 5000;
  private static final String JSON = "application/json";
  /** How often the dashboard's event stream gets the stats. */
  static final long EVENTS_INTERVAL_MS = 1000;
  /** The dashboard's files, in the jar. */
  static final String DASHBOARD = "admin-web";
  /** How long after the listeners' grace period a stop still waits for their last counts. */
  static final long STOP_MARGIN_MS = 2000;

  /** The running configuration: replaced by a reload ({@link #reloaded}). */
  private volatile NetserverConfig config;
  private final AdminConfig admin;
  private final Supplier<Map<String, List<String>>> bound;
  private final ReloadHistory reloads;
  private final Supplier<Future<ReloadResult>> reload;
  private final List<Meter> reloadMeters = new ArrayList<>();
  private final Instant startedAt = Instant.now();
  private volatile boolean draining;
  private PrometheusMeterRegistry ownRegistry;
  private ListenerMetrics metrics;
  private HttpServer server;
  /** The dashboards connected to {@code /events}; touched on this verticle's event loop only. */
  private final Set<HttpServerResponse> streams = new HashSet<>();
  private long eventsTimer = -1;

  /**
   * @param config the configuration; its {@code admin} must be set
   * @param bound   listener name to the addresses it bound, as the listeners come up
   * @param reloads the reloads so far, for {@code /health} and {@code /metrics}
   * @param reload  reloads the configuration ({@code POST /reload})
   */
  public AdminVerticle(NetserverConfig config, Supplier<Map<String, List<String>>> bound, ReloadHistory reloads,
                       Supplier<Future<ReloadResult>> reload) {
    this.config = config;
    this.admin = Objects.requireNonNull(config.admin(), "config.admin");
    this.bound = bound;
    this.reloads = Objects.requireNonNull(reloads, "reloads");
    this.reload = Objects.requireNonNull(reload, "reload");
  }

  /** A reload put {@code next} in place: {@code /listeners}, {@code /ready} and the engine labels follow it. From any thread. */
  public void reloaded(NetserverConfig next) {
    config = next;
    if (context != null) {
      context.runOnContext(v -> {
        if (metrics != null) {
          metrics.reloaded();
        }
      });
    }
  }

  @Override
  public Future<?> start() {
    PrometheusMeterRegistry registry = AdminMetrics.vertxRegistry();
    if (registry == null) {
      // Vert.x runs without metrics (deployed by hand or by the classic launcher): netserver's and the JVM's still
      registry = ownRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new ClassLoaderMetrics().bindTo(registry);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmGcMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      LOG.info("admin: Vert.x runs without metrics; /metrics has netserver's and the JVM's only");
    }
    metrics = new ListenerMetrics(vertx, registry, config.nodeName(), this::engineOf);
    for (boolean ok : new boolean[] {true, false}) {
      reloadMeters.add(FunctionCounter.builder("netserver.reloads", reloads, ok ? ReloadHistory::succeeded : ReloadHistory::failed)
        .tags("node", config.nodeName(), "result", ok ? "ok" : "failed")
        .description("configuration reloads, by outcome (docs/OPERATIONS.md)").register(registry));
    }

    Router router = Router.router(vertx);
    if (admin.requiresToken()) {
      router.route().handler(new BearerToken(admin.token()));
    }
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.get("/health").handler(this::health);
    router.get("/ready").handler(this::ready);
    router.get("/stats").handler(this::stats);
    router.get("/listeners").handler(this::listeners);
    router.post("/reload").handler(this::reload);
    router.get("/events").handler(this::events);
    // the dashboard: every asset from the jar
    router.get("/*").handler(StaticHandler.create(DASHBOARD).setIndexPage("index.html"));

    // HTTP/1.1 only: what scrapers, load balancers and curl speak. An h2c upgrade (on by default, and dropped from
    // HTTP/2's RFC 9113) would only add a second protocol, fragile for requests with a body, that none of them needs.
    HttpServerOptions options = new HttpServerOptions().setHost(admin.address()).setPort(admin.port())
      .setHttp2ClearTextEnabled(false);
    return metrics.start()
      .compose(v -> vertx.createHttpServer(options)
        .requestHandler(router)
        .listen())
      .onSuccess(s -> {
        server = s;
        LOG.info("admin: HTTP server is running on http://{}/ ({})", Binding.hostAndPort(admin.address(),
          s.actualPort()), admin.requiresToken() ? "bearer token required" : "no token: loopback only");
      })
      .recover(e -> Future.failedFuture(new ListenerStartException("admin: cannot listen on HTTP "
        + Binding.hostAndPort(admin.address(), admin.port()) + ": " + e.getMessage(), e)));
  }

  /**
   * A stop is a drain: {@code /ready} says 503 at once, and the server keeps answering until the listeners have
   * sent their last counts (at most the grace period and {@value #STOP_MARGIN_MS} ms), so that a load balancer
   * and a last scrape see the node go.
   */
  @Override
  public Future<?> stop() {
    drainStarted();
    long wait = config.shutdown().graceSeconds() * 1000L + STOP_MARGIN_MS;
    Future<Void> stopped = metrics == null ? Future.succeededFuture() : metrics.stop(wait);
    return stopped.andThen(ar -> {
      PrometheusMeterRegistry registry = AdminMetrics.vertxRegistry();
      if (registry != null) {
        reloadMeters.forEach(registry::remove);
      }
      if (ownRegistry != null) {
        ownRegistry.close();
      }
    });
  }

  /** The port the admin server listens on (the configured one, or the ephemeral one for port 0); -1 before start. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /**
   * From now on {@code /ready} answers 503. The shutdown (drain) path calls this first, before any listener stops
   * accepting, as Envoy's admin does, so that load balancers take the node out while its connections finish.
   * Safe from any thread; it cannot be undone (a drain ends with the process).
   */
  public void drainStarted() {
    if (!draining) {
      draining = true;
      LOG.info("admin: draining; /ready answers 503 from now on");
    }
  }

  private void health(RoutingContext ctx) {
    JsonObject body = new JsonObject()
      .put("status", "UP")
      .put("node", config.nodeName())
      .put("startedAt", startedAt.toString())
      .put("uptimeSeconds", Instant.now().getEpochSecond() - startedAt.getEpochSecond());
    ReloadResult last = reloads.last();
    if (last != null) {
      body.put("lastReload", last.toJson());
    }
    json(ctx, 200, body);
  }

  /** {@code POST /reload}: answers once the reload ended, with its outcome. */
  private void reload(RoutingContext ctx) {
    reload.get().onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, ar.result().ok() ? 200 : 422, ar.result().toJson());
      } else {
        json(ctx, 500, new JsonObject().put("outcome", "failed").put("problems", new JsonArray().add(String.valueOf(ar.cause().getMessage()))));
      }
    });
  }

  /** A listener's engine by its name, in the running configuration; {@code null} when unknown. */
  private String engineOf(String name) {
    NetserverConfig now = config;
    for (TcpListenerConfig t : now.tcp()) {
      if (t.name().equals(name)) {
        return t.engineInUse().configName();
      }
    }
    for (UdpListenerConfig u : now.udp()) {
      if (u.name().equals(name)) {
        return u.engineInUse().configName();
      }
    }
    return null;
  }

  private void ready(RoutingContext ctx) {
    List<String> reasons = new ArrayList<>();
    if (draining) {
      reasons.add("draining");
    }
    Map<String, List<String>> up = bound.get();
    for (String name : listenerNames()) {
      if (!up.containsKey(name)) {
        reasons.add("listener " + name + " is not bound");
      }
    }
    if (vertx.isClustered()) {
      Set<String> members = ClusterMembership.members(vertx);
      String self = ClusterMembership.localNodeId(vertx);
      if (members == null || !members.contains(self)) {
        reasons.add("not a member of the cluster");
      }
    }
    JsonObject body = new JsonObject().put("ready", reasons.isEmpty()).put("node", config.nodeName());
    if (!reasons.isEmpty()) {
      body.put("reasons", new JsonArray(reasons));
    }
    json(ctx, reasons.isEmpty() ? 200 : 503, body);
  }

  private List<String> listenerNames() {
    List<String> names = new ArrayList<>();
    config.tcp().forEach(t -> names.add(t.name()));
    config.udp().forEach(u -> names.add(u.name()));
    return names;
  }

  /** What {@code netserver.stats.query} answers: this node's reporting verticle's view, of the whole cluster when clustered. */
  private void stats(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(StatsAddresses.QUERY, null, new DeliveryOptions().setSendTimeout(STATS_TIMEOUT_MS))
      .onSuccess(reply -> json(ctx, 200, reply.body()))
      .onFailure(e -> json(ctx, 503, new JsonObject().put("error", "no stats answer on " + StatsAddresses.QUERY + ": "
        + (e instanceof ReplyException r ? r.failureType() + " " : "") + e.getMessage())));
  }

  /**
   * Each listener: configuration, engine, bound addresses, and the socket options the operating system reports on
   * a socket made the same way (the read-back {@code netserver sockopts} makes; it makes sockets, so off the event
   * loop).
   */
  private void listeners(RoutingContext ctx) {
    NetserverConfig config = this.config;
    vertx.executeBlocking(() -> SockoptsCommand.listenerOptions(config), false).onComplete(ar -> {
      Map<String, List<String>> up = bound.get();
      JsonArray list = new JsonArray();
      for (TcpListenerConfig t : config.tcp()) {
        list.add(listener(t.name(), "tcp", t.protocolName(), t.engineInUse().configName(), t.binding().describe(),
          up.get(t.name())));
      }
      for (UdpListenerConfig u : config.udp()) {
        list.add(listener(u.name(), "udp", u.protocol().configName(), u.engineInUse().configName(), u.binding().describe(),
          up.get(u.name())));
      }
      for (Object o : list) {
        JsonObject l = (JsonObject) o;
        JsonArray sockets = new JsonArray();
        if (ar.succeeded()) {
          ar.result().stream().map(JsonObject.class::cast).filter(s -> l.getString("name").equals(s.getString("name")))
            .forEach(s -> {
              JsonObject socket = s.copy();
              socket.remove("name"); // the listener's, above
              sockets.add(socket);
            });
        }
        l.put("sockets", sockets);
      }
      JsonObject body = new JsonObject().put("node", config.nodeName())
        .put("transport", VertxInsides.transport(vertx).name()).put("listeners", list);
      if (ar.failed()) {
        body.put("socketsError", String.valueOf(ar.cause().getMessage()));
      }
      json(ctx, 200, body);
    });
  }

  /**
   * Server-sent events for the dashboard: the stats reply, once a second, from the event bus. One query a second
   * serves every open dashboard; none is asked while no dashboard is open.
   */
  private void events(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.setChunked(true)
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
      .write(": netserver stats, one event a second\n\n");
    streams.add(response);
    response.closeHandler(v -> streams.remove(response));
    pushStats();
    if (eventsTimer < 0) {
      eventsTimer = vertx.setPeriodic(EVENTS_INTERVAL_MS, id -> {
        if (streams.isEmpty()) {
          vertx.cancelTimer(id);
          eventsTimer = -1;
        } else {
          pushStats();
        }
      });
    }
  }

  private void pushStats() {
    vertx.eventBus().<JsonObject>request(StatsAddresses.QUERY, null, new DeliveryOptions().setSendTimeout(EVENTS_INTERVAL_MS))
      .onSuccess(reply -> {
        String event = "data: " + reply.body().encode() + "\n\n";
        for (HttpServerResponse stream : List.copyOf(streams)) {
          if (!stream.closed() && !stream.writeQueueFull()) { // a dashboard that can't keep up misses a second
            stream.write(event);
          }
        }
      });
  }

  private static JsonObject listener(String name, String kind, String protocol, String engine, String configured,
                                     List<String> addresses) {
    return new JsonObject()
      .put("name", name)
      .put("kind", kind)
      .put("protocol", protocol)
      .put("engine", engine)
      .put("configured", configured)
      .put("bound", addresses == null ? new JsonArray() : new JsonArray(addresses));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.encodePrettily());
  }
}
