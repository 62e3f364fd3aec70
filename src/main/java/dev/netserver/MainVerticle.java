package dev.netserver;

import dev.netserver.config.ConfigException;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.stats.StatsReporterVerticle;
import dev.netserver.tcp.TcpServerVerticle;
import dev.netserver.udp.UdpEchoVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Loads and validates the configuration, then deploys the reporting verticle and one deployment per
 * listener. If anything fails, whatever was deployed is undeployed again, so nothing stays bound, and
 * the deployment fails with a {@link ConfigException} or {@link ListenerStartException}.
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  private final ConfigSource source;
  private final int tcpInstancesOverride;
  private final List<String> deployments = new ArrayList<>();
  private final Map<String, List<String>> bound = new ConcurrentHashMap<>();

  /** Reads the configuration from the deployment's {@code config()}, as {@code vertx run} and tests do. */
  public MainVerticle() {
    this(null, 0);
  }

  /**
   * @param source               where the configuration is, or {@code null} for {@code config()}
   * @param tcpInstancesOverride when positive, the instance count of every TCP listener (the launcher's
   *                             {@code -instances}); 0 to use each listener's own
   */
  public MainVerticle(ConfigSource source, int tcpInstancesOverride) {
    this.source = source;
    this.tcpInstancesOverride = tcpInstancesOverride;
  }

  @Override
  public Future<?> start() {
    ConfigSource from = source != null ? source : ConfigSource.inline("config", config());
    return ConfigLoader.load(vertx, from)
      .map(config -> {
        Transports.check(vertx, config, from.name());
        return config;
      })
      .compose(this::deployAll)
      .onFailure(this::logFailure);
  }

  private Future<Void> deployAll(NetserverConfig config) {
    LOG.info("netserver starting: node {}, transport {}", config.nodeName(), Transports.running(vertx));
    ListenerRuntime runtime = ListenerRuntime.of(config);
    Future<Void> chain = vertx.deployVerticle(new StatsReporterVerticle(runtime)).map(this::deployed);
    for (TcpListenerConfig tcp : config.tcp()) {
      chain = chain.compose(v -> deployTcp(tcp, runtime));
    }
    for (UdpListenerConfig udp : config.udp()) {
      chain = chain.compose(v -> deployUdp(udp, runtime));
    }
    return chain.recover(failure -> undeployAll().transform(ignored -> Future.failedFuture(failure)));
  }

  private Future<Void> deployTcp(TcpListenerConfig config, ListenerRuntime runtime) {
    int instances = tcpInstancesOverride > 0 ? tcpInstancesOverride
      : config.instances() > 0 ? config.instances() : Runtime.getRuntime().availableProcessors();
    int portKey = TcpServerVerticle.newEphemeralPortKey();
    TcpServerVerticle first = new TcpServerVerticle(config, runtime, portKey);
    return deployListener(config.name(), "TCP", config.protocol().configName(), config.binding().describe(), instances,
      first, first::boundAddresses, () -> new TcpServerVerticle(config, runtime, portKey));
  }

  private Future<Void> deployUdp(UdpListenerConfig config, ListenerRuntime runtime) {
    UdpEchoVerticle first = new UdpEchoVerticle(config, runtime);
    return deployListener(config.name(), "UDP", config.protocol().configName(), config.binding().describe(),
      config.instances(), first, first::boundAddresses, () -> new UdpEchoVerticle(config, runtime, first.boundPorts()));
  }

  /**
   * Deploys one listener: its first instance alone, which binds and learns the actual addresses (an
   * ephemeral port included), then the other instances, which join it (TCP: Vert.x shares the listening
   * socket; UDP: each binds the same port with SO_REUSEPORT).
   */
  private Future<Void> deployListener(String name, String kind, String protocol, String where, int instances,
                                      Deployable first, Supplier<List<String>> addresses, Supplier<Deployable> others) {
    return vertx.deployVerticle(first)
      .map(this::deployed)
      .compose(v -> instances == 1 ? Future.succeededFuture()
        : vertx.deployVerticle(others, new DeploymentOptions().setInstances(instances - 1)).map(this::deployed))
      .recover(e -> Future.failedFuture(cannotListen(name, kind, where, e)))
      .map(v -> {
        running(name, kind + " " + protocol, addresses.get(), instances);
        return null;
      });
  }

  private Void deployed(String deploymentId) {
    deployments.add(deploymentId);
    return null;
  }

  private void running(String name, String what, List<String> addresses, int instances) {
    bound.put(name, addresses);
    LOG.info("{}: {} server is running on {} ({}, {} instance{}); press Ctrl-C to terminate.", name, what,
      String.join(", ", addresses), Transports.running(vertx), instances, instances == 1 ? "" : "s");
  }

  /** Listener name to the addresses it actually bound ({@code ip:port}), once started. */
  public Map<String, List<String>> boundAddresses() {
    return Map.copyOf(bound);
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

  private void logFailure(Throwable failure) {
    if (failure instanceof ConfigException config) {
      config.problems().forEach(LOG::error);
      LOG.error("netserver did not start: {}; nothing was bound", config.problems().size() == 1
        ? "the configuration has a problem" : "the configuration has " + config.problems().size() + " problems");
    } else if (failure instanceof ListenerStartException listener) {
      LOG.error("{}", listener.getMessage());
      LOG.error("netserver did not start; every listener already started was stopped again");
    } else {
      LOG.error("netserver did not start", failure);
    }
  }
}
