package dev.netserver;

import dev.netserver.admin.AdminVerticle;
import dev.netserver.bridge.BridgeVerticle;
import dev.netserver.stats.ClusterMembership;
import dev.netserver.config.ConfigException;
import dev.netserver.config.Engine;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.stats.StatsAddresses;
import dev.netserver.stats.StatsReporterVerticle;
import dev.netserver.tcp.TcpServerVerticle;
import dev.netserver.udp.UdpEchoVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Deploys the reporting verticle and one deployment per listener, for a configuration netserver's launcher
 * has already validated (or that it validates itself, when deployed with a {@code config()}). If anything
 * fails, whatever was deployed is undeployed again, so nothing stays bound, and the deployment fails with a
 * {@link ConfigException} or {@link ListenerStartException}. Clustered, it first makes sure no live node of
 * the cluster has the same name.
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);
  /** How long a node of the same name may take to answer before it counts as gone (a process that died). */
  static final long NODE_NAME_CHECK_TIMEOUT_MS = 3000;

  /** How problems name a configuration that came as the deployment's {@code config()}. */
  static final String CONFIG_SOURCE_NAME = "config";

  private final NetserverConfig given;
  private final String sourceName;
  private final int tcpInstancesOverride;
  private final List<String> deployments = new ArrayList<>();
  private final Map<String, List<String>> bound = new ConcurrentHashMap<>();
  private final List<TcpServerVerticle> tcpListeners = new CopyOnWriteArrayList<>();
  private volatile AdminVerticle admin;

  /**
   * Reads and validates the configuration from the deployment's {@code config()}, as the classic launcher
   * ({@code io.vertx.core.Launcher run dev.netserver.MainVerticle -conf FILE}) and tests deploy it.
   */
  public MainVerticle() {
    this.given = null;
    this.sourceName = CONFIG_SOURCE_NAME;
    this.tcpInstancesOverride = 0;
  }

  /**
   * @param config               the configuration, already read and validated (netserver's own launcher does
   *                             that before Vert.x starts)
   * @param sourceName           how problems found at start name it: the file, as given
   * @param tcpInstancesOverride when positive, the instance count of every TCP listener (the launcher's
   *                             {@code -instances}); 0 to use each listener's own
   */
  public MainVerticle(NetserverConfig config, String sourceName, int tcpInstancesOverride) {
    this.given = Objects.requireNonNull(config, "config");
    this.sourceName = Objects.requireNonNull(sourceName, "sourceName");
    this.tcpInstancesOverride = tcpInstancesOverride;
  }

  @Override
  public Future<?> start() {
    // validation resolves host names and lists network interfaces: off the event loop
    Future<NetserverConfig> read = given != null ? Future.succeededFuture(given)
      : vertx.executeBlocking(() -> NetserverConfig.read(sourceName, config()), false);
    return read
      .map(config -> {
        Transports.check(vertx, config, sourceName);
        return config;
      })
      .compose(config -> vertx.isClustered() ? checkNodeName(config, sourceName).map(config) : Future.succeededFuture(config))
      .compose(this::deployAll)
      .onFailure(this::logFailure);
  }

  /**
   * Refuses a node name that a live node of the cluster already has: its reporting verticle answers on the
   * name's own query address. Two nodes of one name would mix their counts in every view of the cluster.
   * (Two nodes that start at the same moment can both pass; the reporting verticles then warn.)
   */
  private Future<Void> checkNodeName(NetserverConfig config, String sourceName) {
    String name = config.nodeName();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(NODE_NAME_CHECK_TIMEOUT_MS);
    return vertx.eventBus().<JsonObject>request(StatsAddresses.nodeQuery(name), null, options).transform(ar -> {
      if (ar.succeeded()) {
        return Future.failedFuture(new ConfigException(sourceName + ": node.name \"" + name + "\" is already used by a live"
          + " node of the cluster (cluster node id " + ar.result().body().getString("clusterNodeId")
          + "); give every node its own name"));
      }
      if (ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.TIMEOUT) {
        LOG.warn("node {}: a node of this name is still registered in the cluster but did not answer within {} ms"
          + " (a process that died and is not yet noticed?); starting anyway", name, NODE_NAME_CHECK_TIMEOUT_MS);
      }
      return Future.succeededFuture();
    });
  }

  private Future<Void> deployAll(NetserverConfig config) {
    if (vertx.isClustered()) {
      Set<String> members = ClusterMembership.members(vertx);
      LOG.info("netserver starting: node {}, transport {}, clustered as cluster node {} ({} member{})", config.nodeName(),
        Transports.running(vertx), ClusterMembership.localNodeId(vertx), members == null ? 0 : members.size(),
        members != null && members.size() == 1 ? "" : "s");
    } else {
      LOG.info("netserver starting: node {}, transport {}", config.nodeName(), Transports.running(vertx));
      if (config.cluster().configured()) {
        LOG.info("cluster.config names {}, but netserver was started without -cluster: it runs on its own",
          config.cluster().config());
      }
    }
    ListenerRuntime runtime = ListenerRuntime.of(config);
    // before any listener binds: a socket on a reusePort listener's port is then another process's
    Future<Void> chain = vertx.executeBlocking(() -> {
      PortSharing.warn(config);
      return null;
    }, false).compose(v -> vertx.deployVerticle(new StatsReporterVerticle(runtime))).map(this::deployed);
    for (TcpListenerConfig tcp : config.tcp()) {
      chain = chain.compose(v -> deployTcp(tcp, runtime));
    }
    for (UdpListenerConfig udp : config.udp()) {
      chain = chain.compose(v -> deployUdp(udp, runtime));
    }
    if (config.bridge() != null) {
      long stopWaitMs = config.shutdown().graceSeconds() * 1000L + BridgeVerticle.STOP_MARGIN_MS;
      chain = chain.compose(v -> vertx.deployVerticle(new BridgeVerticle(config.bridge(), config.nodeName(), stopWaitMs))
        .map(this::deployed));
    }
    if (config.admin() != null) {
      // last: once it answers, every listener is bound
      chain = chain.compose(v -> {
        admin = new AdminVerticle(config, this::boundAddresses);
        return vertx.deployVerticle(admin).map(this::deployed);
      });
    }
    return chain.recover(failure -> undeployAll().transform(ignored -> Future.failedFuture(failure)));
  }

  private Future<Void> deployTcp(TcpListenerConfig config, ListenerRuntime runtime) {
    int instances = tcpInstancesOverride > 0 ? tcpInstancesOverride
      : config.instances() > 0 ? config.instances() : Runtime.getRuntime().availableProcessors();
    config.backlogWarning().ifPresent(LOG::warn);
    TcpServerVerticle first = new TcpServerVerticle(config, runtime);
    tcpListeners.add(first);
    return deployListener(config.name(), "TCP", config.protocolName(), config.engineInUse().configName(),
      config.binding().describe(), instances, first, first::boundAddresses, () -> new TcpServerVerticle(first));
  }

  private Future<Void> deployUdp(UdpListenerConfig config, ListenerRuntime runtime) {
    UdpEchoVerticle first = new UdpEchoVerticle(config, runtime);
    return deployListener(config.name(), "UDP", config.protocol().configName(), config.engineInUse().configName(), config.binding().describe(),
      config.instances(), first, first::boundAddresses, () -> new UdpEchoVerticle(first));
  }

  /**
   * Deploys one listener: its first instance alone, which binds and learns the actual addresses (an
   * ephemeral port included), then the other instances, which join it (TCP: the first instance's listening
   * socket hands them connections in turn; UDP: each binds the same port with SO_REUSEPORT).
   */
  private Future<Void> deployListener(String name, String kind, String protocol, String engine, String where, int instances,
                                      Deployable first, Supplier<List<String>> addresses, Supplier<Deployable> others) {
    return vertx.deployVerticle(first)
      .map(this::deployed)
      .compose(v -> instances == 1 ? Future.succeededFuture()
        : vertx.deployVerticle(others, new DeploymentOptions().setInstances(instances - 1)).map(this::deployed))
      .recover(e -> Future.failedFuture(cannotListen(name, kind, where, e)))
      .map(v -> {
        running(name, kind + " " + protocol, engine, addresses.get(), instances);
        return null;
      });
  }

  private Void deployed(String deploymentId) {
    deployments.add(deploymentId);
    return null;
  }

  private void running(String name, String what, String engine, List<String> addresses, int instances) {
    bound.put(name, addresses);
    LOG.info("{}: {} server is running on {} ({} engine, {}, {} instance{}); press Ctrl-C to terminate.", name, what,
      String.join(", ", addresses), engine, Transports.running(vertx), instances, instances == 1 ? "" : "s");
  }

  /** The TCP connections open now, over every listener; from any thread (the shutdown's drain line). */
  public int openConnections() {
    return tcpListeners.stream().mapToInt(TcpServerVerticle::openConnections).sum();
  }

  /**
   * A stop begins: the admin's {@code /ready} answers 503 from now on, before any listener closes, so that a
   * load balancer stops sending clients during the grace period. Returns {@link #openConnections()}, for the
   * drain line. From any thread.
   */
  public int drainStarting() {
    AdminVerticle a = admin;
    if (a != null) {
      a.drainStarted();
    }
    return openConnections();
  }

  /** Listener name to the addresses it actually bound ({@code ip:port}), once started. */
  public Map<String, List<String>> boundAddresses() {
    return Map.copyOf(bound);
  }

  /**
   * The admin server, or {@code null} when the configuration has none (or before it started). A drain calls its
   * {@link AdminVerticle#drainStarted()} before any listener stops accepting.
   */
  public AdminVerticle admin() {
    return admin;
  }

  private static ListenerStartException cannotListen(String name, String kind, String address, Throwable cause) {
    String reason = String.valueOf(cause.getMessage()).replaceFirst("^bind\\(\\.\\.\\) failed: ", "");
    return new ListenerStartException(name + ": cannot listen on " + kind + " " + address + ": " + reason, cause);
  }

  private Future<Void> undeployAll() {
    List<Future<Void>> undeploying = new ArrayList<>();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      undeploying.add(vertx.undeploy(deployments.get(i)));
    }
    deployments.clear();
    return Future.join(undeploying).mapEmpty();
  }

  /** One line per problem, then why nothing started: the same whether the launcher or this verticle found them. */
  public static void logConfigProblems(ConfigException config) {
    config.problems().forEach(LOG::error);
    LOG.error("netserver did not start: {}; nothing was bound", config.problems().size() == 1
      ? "the configuration has a problem" : "the configuration has " + config.problems().size() + " problems");
  }

  private void logFailure(Throwable failure) {
    if (failure instanceof ConfigException config) {
      logConfigProblems(config);
    } else if (failure instanceof ListenerStartException listener) {
      LOG.error("{}", listener.getMessage());
      LOG.error("netserver did not start; every listener already started was stopped again");
    } else {
      LOG.error("netserver did not start", failure);
    }
  }
}
