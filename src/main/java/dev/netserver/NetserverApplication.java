package dev.netserver;

import com.hazelcast.config.Config;
import dev.netserver.cluster.ClusterSetup;
import dev.netserver.config.ConfigException;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TransportChoice;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Vert.x's application launcher (all its flags: {@code -options}, {@code -cluster}, ...) with three
 * changes for netserver:
 * <ul>
 *   <li>{@code -conf FILE} is handed to {@link MainVerticle} as a file, which reads it with vertx-config
 *   and names it in every problem it reports (the stock launcher would read it itself and, when it is not
 *   valid JSON, only warn and carry on without it);</li>
 *   <li>Vert.x is built with the configuration's {@code transport};</li>
 *   <li>{@code -instances N} sets the instance count of every TCP listener, instead of deploying N main
 *   verticles that would fight over the same ports;</li>
 *   <li>{@code -cluster} uses the Hazelcast cluster manager with the configuration's {@code cluster.config}
 *   (see {@link ClusterSetup}), and the whole configuration is checked before the node joins, so that a
 *   broken node never joins and leaves a cluster.</li>
 * </ul>
 * A configuration problem exits with {@value #EXIT_CONFIG}, a listener that can't start with
 * {@value #EXIT_LISTENER}, in both cases after everything started was stopped.
 */
final class NetserverApplication extends VertxApplication implements VertxApplicationHooks {

  /** sysexits.h EX_CONFIG. */
  static final int EXIT_CONFIG = 78;
  /** sysexits.h EX_OSERR: the system refused something, typically the address is in use. */
  static final int EXIT_LISTENER = 71;
  /** The launcher's code for a Vert.x that could not start: with {@code -cluster}, no cluster could be joined or formed. */
  static final int EXIT_CLUSTER = 11;
  /** The launcher's spellings of {@code -cluster}. */
  static final Set<String> CLUSTER_FLAGS = Set.of("-cluster", "--cluster", "-c");

  private static final Logger LOG = LoggerFactory.getLogger(NetserverApplication.class);

  private final ConfigSource source;
  private final TransportChoice transport;
  private final int tcpInstances;
  private final Config hazelcast;

  private NetserverApplication(String[] args, ConfigSource source, TransportChoice transport, int tcpInstances,
                               Config hazelcast) {
    super(args);
    this.source = source;
    this.transport = transport;
    this.tcpInstances = tcpInstances;
    this.hazelcast = hazelcast;
  }

  static void launch(String[] args) {
    List<String> rest = new ArrayList<>();
    String conf = null;
    int instances = 0;
    boolean clustered = false;
    for (int i = 0; i < args.length; i++) {
      clustered |= CLUSTER_FLAGS.contains(args[i]);
      String flag = args[i].toLowerCase(Locale.ROOT);
      String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
      boolean inline = flag.contains("=");
      if (name.equals("-conf") || name.equals("--conf") || name.equals("-instances") || name.equals("--instances")) {
        String value = inline ? args[i].substring(args[i].indexOf('=') + 1) : i + 1 < args.length ? args[++i] : null;
        if (value == null) {
          fail(EXIT_CONFIG, args[i] + " needs a value");
        }
        if (name.endsWith("conf")) {
          conf = value;
        } else {
          instances = parseInstances(value);
        }
      } else {
        rest.add(args[i]);
      }
    }
    ConfigSource source = null;
    TransportChoice transport = TransportChoice.AUTO;
    if (conf != null && conf.strip().startsWith("{")) {
      try {
        source = ConfigSource.inline("-conf", new JsonObject(conf));
      } catch (DecodeException e) {
        fail(EXIT_CONFIG, "-conf: is not valid JSON: " + e.getMessage());
      }
    } else if (conf != null) {
      source = ConfigSource.file(Path.of(conf));
    }
    if (source != null) {
      TransportChoice chosen = TransportChoice.fromConfigName(peek(source).getValue("transport"));
      transport = chosen != null ? chosen : TransportChoice.AUTO;
    }
    Config hazelcast = clustered ? clusterConfig(source) : null;
    new NetserverApplication(rest.toArray(String[]::new), source, transport, instances, hazelcast).launch();
  }

  /**
   * For {@code -cluster}: checks the whole configuration, then reads the Hazelcast configuration it names, so
   * that a problem in either exits with {@value #EXIT_CONFIG} before anything is bound or joined.
   */
  private static Config clusterConfig(ConfigSource source) {
    try {
      NetserverConfig config = ConfigLoader.read(source != null ? source : ConfigSource.inline("config", new JsonObject()));
      ClusterSetup.Source from = ClusterSetup.choose(config.cluster());
      Config hazelcast = ClusterSetup.load(from);
      LOG.info("cluster: Hazelcast configuration {}: {}", from.name(), ClusterSetup.describe(hazelcast));
      if (ClusterSetup.searchesByMulticast(hazelcast)) {
        LOG.warn("cluster: {} looks for peers by multicast or auto-detection (Hazelcast's default when <join> does not"
          + " turn them off): any member on the network with the same cluster name will join", from.name());
      }
      return hazelcast;
    } catch (ConfigException e) {
      MainVerticle.logConfigProblems(e);
      System.exit(EXIT_CONFIG);
      return null;
    }
  }

  private static int parseInstances(String value) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    fail(2, "-instances must be a positive integer (was \"" + value + "\")");
    return 0;
  }

  /**
   * A first, lenient look at the configuration, only to build Vert.x with the right transport; the
   * real reading and every error message are MainVerticle's.
   */
  private static JsonObject peek(ConfigSource source) {
    if (source.json() != null) {
      return source.json();
    }
    try {
      return new JsonObject(Files.readString(source.file()));
    } catch (Exception e) {
      return new JsonObject();
    }
  }

  private static void fail(int code, String message) {
    System.err.println(message);
    System.exit(code);
  }

  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject vertxOptions) {
    return ClusterSetup.withEventBusDefaults(vertxOptions);
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    VertxBuilder builder = Vertx.builder().with(options).withTransport(transport.vertxTransport());
    // set explicitly: Vert.x's own lookup falls back to Hazelcast's multicast default when a file is missing
    return hazelcast != null ? builder.withClusterManager(new HazelcastClusterManager(hazelcast)) : builder;
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new MainVerticle(source, tcpInstances);
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    if (hazelcast != null) {
      // Hazelcast and Vert.x have logged the details; say it once, plainly, and spare the launcher's repeats
      String reason = t == null ? "timed out" : String.valueOf(t.getMessage()).lines().findFirst().orElse("").replaceFirst("\\.$", "");
      LOG.error("netserver did not start: it could neither join nor form a cluster: {}; nothing was bound", reason);
      System.exit(EXIT_CLUSTER);
    }
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    int code = t instanceof ConfigException ? EXIT_CONFIG : t instanceof ListenerStartException ? EXIT_LISTENER : 0;
    try {
      context.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // exiting anyway
    }
    if (code != 0) {
      // MainVerticle has already said why, one line per problem; spare the launcher's stack trace.
      System.exit(code);
    }
  }
}
