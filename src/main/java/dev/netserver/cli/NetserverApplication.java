package dev.netserver.cli;

import com.hazelcast.config.Config;
import dev.netserver.ExitCode;
import dev.netserver.ListenerStartException;
import dev.netserver.MainVerticle;
import dev.netserver.admin.AdminMetrics;
import dev.netserver.cluster.ClusterSetup;
import dev.netserver.config.ConfigException;
import dev.netserver.config.ConfigSource;
import dev.netserver.config.NetserverConfig;
import dev.netserver.vertx.BatchedDatagrams;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Vert.x's application launcher, for a configuration already read and validated: Vert.x is built with the
 * configuration's {@code transport} (and with {@code -cluster}, Hazelcast's configuration as {@link ClusterSetup}
 * read it), and {@link MainVerticle} gets the configuration itself. The launcher's own flags ({@code -options},
 * {@code -cluster-host}, ...) come from {@link RunCommand}, already checked.
 *
 * <p>A deployment that fails stops Vert.x and exits with {@link ExitCode#CONFIG} or {@link ExitCode#OS_REFUSED},
 * after {@link MainVerticle} said why; a cluster that can't be joined or formed exits with
 * {@link ExitCode#NO_CLUSTER}. Those exits happen in the hooks, to spare the launcher's stack trace of a failure
 * already explained in one line.
 */
final class NetserverApplication extends VertxApplication implements VertxApplicationHooks {

  private static final Logger LOG = LoggerFactory.getLogger(NetserverApplication.class);

  private final NetserverConfig config;
  private final ConfigSource source;
  private final int tcpInstances;
  private final Config hazelcast;
  /** The main verticle once the launcher asked for it. */
  private volatile MainVerticle main;

  /**
   * @param launcherArguments the launcher's flags
   * @param source            where the configuration came from (a reload reads it again)
   * @param tcpInstances      when positive, the instances of every TCP listener ({@code -instances})
   * @param hazelcast         the cluster's configuration with {@code -cluster}, else {@code null}
   */
  NetserverApplication(List<String> launcherArguments, NetserverConfig config, ConfigSource source, int tcpInstances,
                       Config hazelcast) {
    // no usage and no exit from the launcher itself: netserver's command line did the parsing, start() says how it ended
    super(launcherArguments.toArray(String[]::new), null, false, false);
    this.config = config;
    this.source = source;
    this.tcpInstances = tcpInstances;
    this.hazelcast = hazelcast;
  }

  /** Starts Vert.x and deploys the server; {@link ExitCode#OK} once it runs. */
  ExitCode start() {
    // before the launch: a SIGHUP that comes as soon as the launcher says it deployed must reload, not stop the
    // JVM (its default); one during the start waits for the start to end (MainVerticle.reload); so does a SIGTERM
    CompletableFuture<Void> started = new CompletableFuture<>();
    ShutdownSignals.install(() -> {
      MainVerticle running = main;
      return running == null ? 0 : running.drainStarting();
    }, config.shutdown().graceSeconds(), () -> {
      MainVerticle running = main;
      if (running == null) {
        LOG.info("SIGHUP: netserver is not started yet; nothing to reload");
      } else {
        running.reload("SIGHUP");
      }
    }, started);
    int launched;
    try {
      launched = launch();
    } finally {
      started.complete(null);
    }
    return launched == 0 ? ExitCode.OK
      : launched == ExitCodes.VERTX_INITIALIZATION && hazelcast != null ? ExitCode.NO_CLUSTER
      : ExitCode.FAILURE;
  }

  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject vertxOptions) {
    return ClusterSetup.withEventBusDefaults(vertxOptions);
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    VertxBuilder builder = Vertx.builder().with(options).withTransport(BatchedDatagrams.wrap(config.transport().vertxTransport()));
    if (config.admin() != null) {
      builder = AdminMetrics.enable(builder, options); // Vert.x's and the JVM's metrics for the admin's /metrics
    }
    // set explicitly: Vert.x's own lookup falls back to Hazelcast's multicast default when a file is missing
    return hazelcast != null ? builder.withClusterManager(new HazelcastClusterManager(hazelcast)) : builder;
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> main = new MainVerticle(config, source, tcpInstances);
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    if (hazelcast != null) {
      // Hazelcast and Vert.x have logged the details; say it once, plainly, and spare the launcher's repeats
      String reason = t == null ? "timed out" : String.valueOf(t.getMessage()).lines().findFirst().orElse("").replaceFirst("\\.$", "");
      LOG.error("netserver did not start: it could neither join nor form a cluster: {}; nothing was bound", reason);
      System.exit(ExitCode.NO_CLUSTER.code());
    }
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    ExitCode code = t instanceof ConfigException ? ExitCode.CONFIG
      : t instanceof ListenerStartException ? ExitCode.OS_REFUSED : null;
    try {
      context.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // exiting anyway
    }
    if (code != null) {
      // MainVerticle has already said why, one line per problem; spare the launcher's stack trace.
      System.exit(code.code());
    }
  }
}
