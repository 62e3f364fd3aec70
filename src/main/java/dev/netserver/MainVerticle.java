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
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
import dev.netserver.reload.ConfigChanges;
import dev.netserver.reload.ReloadHistory;
import dev.netserver.reload.ReloadResult;
import dev.netserver.reload.ReloadWatch;
import io.vertx.core.Promise;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 *
 * <p>It owns the listeners' deployments, so it also applies a {@link #reload}: the comparison is
 * {@link ConfigChanges}'s, the semantics are in docs/OPERATIONS.md ("Hot reload").
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);
  /** How long a node of the same name may take to answer before it counts as gone (a process that died). */
  static final long NODE_NAME_CHECK_TIMEOUT_MS = 3000;

  /** A reload's bind of an address just closed: how often it is tried again, and how far apart (docs/OPERATIONS.md). */
  static final int BIND_RETRIES = 20;
  static final long BIND_RETRY_MS = 50;

  /** How problems name a configuration that came as the deployment's {@code config()}. */
  static final String CONFIG_SOURCE_NAME = "config";

  private final NetserverConfig given;
  private final String sourceName;
  /** What a reload reads again: the file; null when the configuration came as the deployment's {@code config()}. */
  private final ConfigSource source;
  private final int tcpInstancesOverride;
  private final List<String> deployments = new ArrayList<>();
  private final Map<String, List<String>> bound = new ConcurrentHashMap<>();
  /** The TCP listeners' first instances, draining ones included (their connections count until they end). */
  private final List<TcpServerVerticle> tcpListeners = new CopyOnWriteArrayList<>();
  /** The running listeners by name, in configuration order; on this verticle's context. */
  private final Map<String, Listener> listeners = new LinkedHashMap<>();
  private final ReloadHistory reloads = new ReloadHistory();
  /** The configuration that runs now: the one started with, then each reload's that succeeded. */
  private volatile NetserverConfig running;
  private ListenerRuntime runtime;
  /** Completes when the start ended: a reload asked for during the start (an early SIGHUP) waits for it. */
  private final Promise<Void> startEnded = Promise.promise();
  /** The last reload asked for: the next one waits for it (one at a time, in order). */
  private Future<?> reloading = startEnded.future();
  private ReloadWatch watch;
  private volatile AdminVerticle admin;

  /**
   * A running listener: its configuration, its deployments (the first instance's, then the others'), its first
   * instance (TCP or UDP, the other null; for in-place changes) and the addresses it bound.
   */
  private record Listener(Record config, List<String> deploymentIds, TcpServerVerticle tcp, UdpEchoVerticle udp,
                          List<String> addresses) {

    Listener with(Record next) {
      return new Listener(next, deploymentIds, tcp, udp, addresses);
    }

    Future<Void> update(Record next) {
      return tcp != null ? tcp.update((TcpListenerConfig) next) : udp.update((UdpListenerConfig) next);
    }
  }

  /**
   * Reads and validates the configuration from the deployment's {@code config()}, as the classic launcher
   * ({@code io.vertx.core.Launcher run dev.netserver.MainVerticle -conf FILE}) and tests deploy it.
   */
  public MainVerticle() {
    this.given = null;
    this.sourceName = CONFIG_SOURCE_NAME;
    this.source = null;
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
    this(config, ConfigSource.file(Path.of(sourceName)), tcpInstancesOverride);
  }

  /**
   * @param config the configuration, already read from {@code source} and validated
   * @param source where it came from, which a reload reads again (JSON text on the command line: the same text)
   */
  public MainVerticle(NetserverConfig config, ConfigSource source, int tcpInstancesOverride) {
    this.given = Objects.requireNonNull(config, "config");
    this.source = Objects.requireNonNull(source, "source");
    this.sourceName = source.name();
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
      .onFailure(this::logFailure)
      .onComplete(ar -> startEnded.tryComplete());
  }

  /** Stops watching the file; the listeners are undeployed with this verticle. */
  @Override
  public Future<?> stop() {
    if (watch != null) {
      watch.stop();
    }
    return Future.succeededFuture();
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
    running = config;
    runtime = ListenerRuntime.of(config);
    // before any listener binds: a socket on a reusePort listener's port is then another process's
    Future<Void> chain = vertx.executeBlocking(() -> {
      PortSharing.warn(config);
      return null;
    }, false).compose(v -> vertx.deployVerticle(new StatsReporterVerticle(runtime))).map(this::deployed);
    for (Record listener : listenerConfigs(config)) {
      chain = chain.compose(v -> deploy(listener)).map(l -> {
        l.deploymentIds().forEach(this::deployed);
        return null;
      });
    }
    if (config.bridge() != null) {
      long stopWaitMs = config.shutdown().graceSeconds() * 1000L + BridgeVerticle.STOP_MARGIN_MS;
      chain = chain.compose(v -> vertx.deployVerticle(new BridgeVerticle(config.bridge(), config.nodeName(), stopWaitMs))
        .map(this::deployed));
    }
    if (config.admin() != null) {
      // last: once it answers, every listener is bound
      chain = chain.compose(v -> {
        admin = new AdminVerticle(config, this::boundAddresses, reloads, () -> reload("POST /reload"));
        return vertx.deployVerticle(admin).map(this::deployed);
      });
    }
    if (config.reload().watch()) {
      chain = chain.compose(v -> {
        watch = ReloadWatch.start(vertx, source, config.reload().scanPeriodMs(), () -> reload("file watch"));
        return Future.succeededFuture();
      });
    }
    return chain.recover(failure -> undeployAll().transform(ignored -> Future.failedFuture(failure)));
  }

  private static List<Record> listenerConfigs(NetserverConfig config) {
    List<Record> all = new ArrayList<>(config.tcp());
    all.addAll(config.udp());
    return all;
  }

  /** Deploys one listener and records it as running; the deployment undoes itself if it fails. */
  private Future<Listener> deploy(Record config) {
    return deployOnly(config).onSuccess(l -> {
      String name = name(config);
      listeners.put(name, l);
      running(name, l);
    });
  }

  private static String name(Record config) {
    return config instanceof TcpListenerConfig tcp ? tcp.name() : ((UdpListenerConfig) config).name();
  }

  private Future<Listener> deployTcp(TcpListenerConfig config, ListenerRuntime runtime) {
    int instances = tcpInstancesOverride > 0 ? tcpInstancesOverride
      : config.instances() > 0 ? config.instances() : Runtime.getRuntime().availableProcessors();
    config.backlogWarning().ifPresent(LOG::warn);
    TcpServerVerticle first = new TcpServerVerticle(config, runtime);
    return deployListener(config, config.name(), "TCP", config.protocolName(), config.engineInUse().configName(),
      config.binding().describe(), instances, first, first::boundAddresses, () -> new TcpServerVerticle(first), first, null)
      .onSuccess(l -> tcpListeners.add(first));
  }

  private Future<Listener> deployUdp(UdpListenerConfig config, ListenerRuntime runtime) {
    UdpEchoVerticle first = new UdpEchoVerticle(config, runtime);
    return deployListener(config, config.name(), "UDP", config.protocol().configName(), config.engineInUse().configName(), config.binding().describe(),
      config.instances(), first, first::boundAddresses, () -> new UdpEchoVerticle(first), null, first);
  }

  /**
   * Deploys one listener: its first instance alone, which binds and learns the actual addresses (an
   * ephemeral port included), then the other instances, which join it (TCP: the first instance's listening
   * socket hands them connections in turn; UDP: each binds the same port with SO_REUSEPORT).
   */
  private Future<Listener> deployListener(Record config, String name, String kind, String protocol, String engine, String where,
                                          int instances, Deployable first, Supplier<List<String>> addresses,
                                          Supplier<Deployable> others, TcpServerVerticle tcp, UdpEchoVerticle udp) {
    List<String> ids = new ArrayList<>();
    return vertx.deployVerticle(first)
      .compose(id -> {
        ids.add(id);
        return instances == 1 ? Future.succeededFuture()
          : vertx.deployVerticle(others, new DeploymentOptions().setInstances(instances - 1)).map(ids::add);
      })
      // the first instance is undeployed again if the others fail: nothing of the listener stays bound
      .recover(e -> Future.join(ids.stream().map(vertx::undeploy).toList())
        .transform(undone -> Future.failedFuture(cannotListen(name, kind, where, e))))
      .map(v -> {
        LOG.info("{}: {} server is running on {} ({} engine, {}, {} instance{}); press Ctrl-C to terminate.", name,
          kind + " " + protocol, String.join(", ", addresses.get()), engine, Transports.running(vertx), instances,
          instances == 1 ? "" : "s");
        return new Listener(config, List.copyOf(ids), tcp, udp, addresses.get());
      });
  }

  private Void deployed(String deploymentId) {
    deployments.add(deploymentId);
    return null;
  }

  private void running(String name, Listener listener) {
    bound.put(name, listener.addresses());
  }

  /**
   * Reads the configuration again from where it came from and applies what changed (docs/OPERATIONS.md, "Hot
   * reload"): all of it, or, when the file is invalid, a key that needs a restart changed, or a listener cannot
   * bind, nothing. Reloads run one at a time, in the order asked. Logs and counts the outcome; never fails
   * (the result says how it ended). From any thread.
   *
   * @param trigger what asked for it, for the log and {@code /health}: {@code SIGHUP}, {@code POST /reload}, ...
   */
  public Future<ReloadResult> reload(String trigger) {
    Promise<ReloadResult> result = Promise.promise();
    context.runOnContext(v -> {
      Future<ReloadResult> next = reloading.transform(ignored -> onMainContext(() -> reloadNow(trigger)));
      reloading = next;
      next.onComplete(result);
    });
    return result.future();
  }

  /** The reloads so far, and the last one's outcome. */
  public ReloadHistory reloads() {
    return reloads;
  }

  private Future<ReloadResult> reloadNow(String trigger) {
    if (running == null) {
      return Future.succeededFuture(ReloadResult.failed(trigger, List.of("netserver did not start: nothing to reload")));
    }
    ConfigSource from = source != null ? source : ConfigSource.inline(CONFIG_SOURCE_NAME, config());
    if (from.file() == null) {
      LOG.info("reload ({}): the configuration came as {}, not as a file: it is read again as it was, so nothing"
        + " changes (start with -conf FILE to reload changes)", trigger,
        from.text() != null ? "JSON text on the command line" : "the deployment's config()");
    }
    NetserverConfig before = running;
    return vertx.executeBlocking(() -> ConfigLoader.read(from), false)
      .compose(next -> {
        ConfigChanges changes = ConfigChanges.compare(from.name(), before, next);
        if (!changes.refused().isEmpty()) {
          return Future.failedFuture(new ConfigException(changes.refused()));
        }
        return apply(next, changes).map(v -> changes.summary());
      })
      .transform(ar -> {
        ReloadResult result = ar.succeeded() ? ReloadResult.succeeded(trigger, ar.result())
          : ReloadResult.failed(trigger, ar.cause() instanceof ConfigException e ? e.problems()
            : List.of(String.valueOf(ar.cause().getMessage())));
        reloads.record(result);
        if (result.ok()) {
          LOG.info("reload ({}): {}", trigger, result.summary());
        } else {
          result.problems().forEach(LOG::error);
          LOG.error("reload ({}) failed: {}; nothing changed, netserver keeps serving as it was", trigger,
            result.problems().size() == 1 ? "1 problem" : result.problems().size() + " problems");
        }
        return Future.succeededFuture(result);
      });
  }

  /**
   * Binds first (the rebound and the new listeners), so that a listener that cannot bind undoes the others and
   * changes nothing; then switches the in-place ones and drains the old and the removed ones.
   */
  private Future<Void> apply(NetserverConfig next, ConfigChanges changes) {
    Map<String, Record> wanted = new LinkedHashMap<>();
    listenerConfigs(next).forEach(c -> wanted.put(name(c), c));
    Map<String, Listener> started = new LinkedHashMap<>();
    // the old listeners that stopped accepting to free their address for the new one
    Map<String, Listener> stopped = new LinkedHashMap<>();
    Future<Void> binding = Future.succeededFuture();
    for (String name : wanted.keySet()) {
      if (changes.rebind().containsKey(name)) {
        binding = binding.compose(v -> rebind(listeners.get(name), wanted.get(name), started, stopped));
      } else if (changes.added().contains(name)) {
        binding = binding.compose(v -> deployOnly(wanted.get(name)).map(l -> {
          started.put(name, l);
          return null;
        }));
      }
    }
    return binding
      .recover(failure -> undo(started, stopped).transform(ignored -> Future.failedFuture(failure)))
      .compose(v -> {
        List<Future<Void>> updating = new ArrayList<>();
        changes.inPlace().keySet().forEach(name -> {
          Listener old = listeners.get(name);
          listeners.put(name, old.with(wanted.get(name)));
          updating.add(old.update(wanted.get(name)));
        });
        for (String name : changes.rebind().keySet()) {
          updating.add(drain(name, listeners.get(name)));
        }
        for (String name : changes.removed()) {
          updating.add(drain(name, listeners.remove(name)));
          bound.remove(name);
        }
        started.forEach((name, l) -> {
          listeners.put(name, l);
          running(name, l);
        });
        // configuration order, as at start
        Map<String, Listener> ordered = new LinkedHashMap<>();
        wanted.keySet().forEach(name -> ordered.put(name, listeners.get(name)));
        listeners.clear();
        listeners.putAll(ordered);
        running = next;
        AdminVerticle a = admin;
        if (a != null) {
          a.reloaded(next);
        }
        return Future.all(updating).<Void>mapEmpty();
      })
      .transform(ar -> onMainContext(() -> ar.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ar.cause())));
  }

  /**
   * Starts the listener's new configuration beside the old one; when the address cannot be bound twice (the same
   * port, without SO_REUSEPORT), stops the old one's accepting first (direct engine: its listening sockets
   * close, its connections stay; otherwise it stops whole, with its grace period), then binds.
   */
  private Future<Void> rebind(Listener old, Record config, Map<String, Listener> started, Map<String, Listener> stopped) {
    String name = name(config);
    boolean samePort = samePort(old.config(), config);
    Future<Listener> beside = samePort && (vertxEngine(old.config()) || vertxEngine(config))
      ? Future.failedFuture("the vertx engine shares a bind") : deployOnly(config);
    return beside.recover(besideFailed -> {
      if (!samePort) {
        return Future.failedFuture(besideFailed);
      }
      LOG.info("reload: {}: cannot bind beside the old listener ({}); the old one stops accepting first", name,
        besideFailed.getMessage());
      stopped.put(name, old);
      return stopAccepting(old).compose(v -> bindAgain(config, BIND_RETRIES));
    }).map(l -> {
      started.put(name, l);
      return null;
    });
  }

  /**
   * Binds the address an old listener has just closed. On the NIO transport a closed listening socket gives its
   * port back only at its event loop's next select (the JDK defers the close of a registered channel), so a bind
   * that finds it still in use is tried again, {@value #BIND_RETRY_MS} ms apart, at most {@code retries} times.
   */
  private Future<Listener> bindAgain(Record config, int retries) {
    return deployOnly(config).recover(e -> retries == 0 || !String.valueOf(e.getMessage()).contains("Address already in use")
      ? Future.failedFuture(e)
      : vertx.timer(BIND_RETRY_MS).compose(t -> bindAgain(config, retries - 1)));
  }

  /**
   * Deploys a listener without recording it: a reload records its listeners once everything bound. Always from
   * this verticle's context, whatever context completed the step before (an old listener's, when it stopped
   * accepting): Vert.x makes a deployment the child of the deployment whose context asks for it, and undeploys
   * it with that one.
   */
  private Future<Listener> deployOnly(Record config) {
    if (Vertx.currentContext() != context) {
      return onMainContext(() -> deployOnly(config));
    }
    return config instanceof TcpListenerConfig tcp ? deployTcp(tcp, runtime) : deployUdp((UdpListenerConfig) config, runtime);
  }

  /**
   * Runs {@code step} on this verticle's context: the reload's state (the listener map) is touched there only,
   * whatever context completed the step before.
   */
  private <T> Future<T> onMainContext(Supplier<Future<T>> step) {
    if (Vertx.currentContext() == context) {
      return step.get();
    }
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> step.get().onComplete(done));
    return done.future();
  }

  /** Vert.x shares one bind among its NetServers of an address: a new one would join the old one's socket and options. */
  private static boolean vertxEngine(Record config) {
    return config instanceof TcpListenerConfig tcp && tcp.engineInUse() == Engine.VERTX;
  }

  private static boolean samePort(Record a, Record b) {
    int portA = a instanceof TcpListenerConfig t ? t.binding().port() : ((UdpListenerConfig) a).binding().port();
    int portB = b instanceof TcpListenerConfig t ? t.binding().port() : ((UdpListenerConfig) b).binding().port();
    return portA != 0 && portA == portB;
  }

  private Future<Void> stopAccepting(Listener old) {
    if (old.tcp() != null && old.tcp().engine() == Engine.DIRECT) {
      return old.tcp().stopAccepting();
    }
    return undeploy(old);
  }

  /** A reload that cannot bind everything: the new listeners stop, the old ones that stopped accepting start again. */
  private Future<Void> undo(Map<String, Listener> started, Map<String, Listener> stopped) {
    List<Future<Void>> undoing = new ArrayList<>();
    started.values().forEach(l -> {
      undoing.add(undeploy(l));
      if (l.tcp() != null) {
        tcpListeners.remove(l.tcp());
      }
    });
    return Future.join(undoing).transform(ignored -> {
      Future<Void> restarting = Future.succeededFuture();
      for (Map.Entry<String, Listener> e : stopped.entrySet()) {
        Listener old = e.getValue();
        restarting = restarting.compose(v -> bindAgain(old.config(), BIND_RETRIES).transform(ar -> {
          if (ar.succeeded()) {
            drain(e.getKey(), old);
            listeners.put(e.getKey(), ar.result());
            running(e.getKey(), ar.result());
          } else {
            LOG.error("reload: {}: could not bind its old configuration again: {}", e.getKey(), ar.cause().getMessage());
          }
          return Future.succeededFuture();
        }));
      }
      return restarting;
    });
  }

  /**
   * Stops a listener that a reload replaced or removed: its connections get the grace period, as at a stop. The
   * future completes once it no longer accepts (direct engine: its listening sockets' close has completed, though
   * Netty 4.2 may close the descriptor a moment later on the event loop; UDP: its sockets are closed), so that
   * the reload's outcome is true of the ports when it is reported; the drain goes on after. (On the
   * vertx engine Vert.x's NetServer stops accepting at the start of its own shutdown, not awaited here.)
   */
  private Future<Void> drain(String name, Listener old) {
    boolean direct = old.tcp() != null && old.tcp().engine() == Engine.DIRECT;
    Future<Void> accepting = direct ? old.tcp().stopAccepting() : Future.succeededFuture();
    return onMainContext(() -> accepting).transform(closed -> {
      Future<Void> undeployed = undeploy(old).onComplete(ar -> {
        if (old.tcp() != null) {
          tcpListeners.remove(old.tcp());
        }
        LOG.info("reload: {}: the old listener on {} has drained", name, String.join(", ", old.addresses()));
      });
      return old.udp() != null ? undeployed : Future.succeededFuture();
    });
  }

  private Future<Void> undeploy(Listener listener) {
    List<Future<Void>> undeploying = new ArrayList<>();
    for (String id : listener.deploymentIds()) {
      // already undeployed (a listener stopped to free its address, then drained): nothing to do
      undeploying.add(vertx.deploymentIDs().contains(id) ? vertx.undeploy(id) : Future.succeededFuture());
    }
    return Future.join(undeploying).mapEmpty();
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
