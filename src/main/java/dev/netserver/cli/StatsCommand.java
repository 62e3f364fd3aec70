package dev.netserver.cli;

import com.hazelcast.config.Config;
import dev.netserver.ConfigOption;
import dev.netserver.ExitCode;
import dev.netserver.cluster.ClusterSetup;
import dev.netserver.config.ConfigException;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.NetserverConfig;
import dev.netserver.stats.StatsAddresses;
import dev.netserver.stats.StatsText;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code netserver stats [-conf FILE] [-options FILE|JSON] [--node NAME] [--json] [--timeout SECONDS]}: joins the
 * cluster as a Hazelcast lite member (it holds no cluster data, so its coming and going costs the cluster nothing),
 * asks {@code netserver.stats.query} (or one node's address) for the cluster-wide stats, prints them and leaves.
 * The Hazelcast configuration is the one a node started with the same {@code -conf} would use.
 */
@Command(name = "stats",
  description = {
    "Ask a running cluster for its stats",
    "",
    "Joins the netserver cluster for a moment (as a Hazelcast lite member, which holds no data), asks for"
      + " the cluster-wide stats on netserver.stats.query, prints them and leaves. Any node answers for the"
      + " whole cluster: totals per listener, then each node with its state (live or departed) and its"
      + " listeners. It uses the Hazelcast file a node started with the same -conf uses: the one named by"
      + " cluster.config; without one, conf/cluster.xml, else the copy built into the jar.",
    ""},
  sortOptions = false)
final class StatsCommand implements Callable<Integer> {

  static final int DEFAULT_TIMEOUT_SECONDS = 10;
  static final int MAX_TIMEOUT_SECONDS = 3600;

  @Mixin
  private ConfigOption conf;

  @Option(names = {"-options", "--options"}, paramLabel = "FILE|JSON",
    description = "Vert.x options, as the nodes were given them (e.g. eventBusOptions with TLS)")
  private String options;

  @Option(names = "--node", paramLabel = "NAME", description = "ask that node (netserver.stats.query.NAME) instead of any")
  private String node;

  @Option(names = "--json", description = "the reply as JSON")
  private boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "" + DEFAULT_TIMEOUT_SECONDS,
    description = "how long to wait for the answer, 1.." + MAX_TIMEOUT_SECONDS + " (default ${DEFAULT-VALUE})")
  private int timeoutSeconds;

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      throw new ParameterException(spec.commandLine(), "--timeout must be a whole number of seconds in 1.."
        + MAX_TIMEOUT_SECONDS + " (was " + timeoutSeconds + ")");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return ask(out, err).code();
    } finally {
      out.flush();
      err.flush();
    }
  }

  private ExitCode ask(PrintWriter out, PrintWriter err) {
    ClusterSetup.Source from;
    Config hazelcast;
    try {
      NetserverConfig config = ConfigLoader.read(conf.source());
      from = ClusterSetup.choose(config.cluster());
      hazelcast = ClusterSetup.load(from);
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return ExitCode.CONFIG;
    }
    hazelcast.setLiteMember(true);
    VertxOptions vertxOptions;
    try {
      vertxOptions = options == null ? new VertxOptions()
        : new VertxOptions(ClusterSetup.withEventBusDefaults(JsonArgument.read("-options", options)));
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("stats: " + (e instanceof ConfigException ? "" : "-options: ") + e.getMessage());
      return ExitCode.CONFIG;
    }

    Vertx vertx;
    try {
      vertx = Vertx.builder().with(vertxOptions).withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered()
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      err.println("stats: could not join the cluster (" + from.name() + "): " + rootMessage(e));
      return ExitCode.NO_CLUSTER;
    }
    try {
      String address = node != null ? StatsAddresses.nodeQuery(node) : StatsAddresses.QUERY;
      DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(timeoutSeconds * 1000L);
      JsonObject reply;
      try {
        reply = vertx.eventBus().<JsonObject>request(address, null, delivery)
          .toCompletionStage().toCompletableFuture().get(timeoutSeconds + 5L, TimeUnit.SECONDS).body();
      } catch (ExecutionException e) {
        err.println("stats: " + noAnswer(e.getCause(), address, node, hazelcast.getClusterName(), from.name()));
        return ExitCode.NO_ANSWER;
      } catch (TimeoutException e) {
        err.println("stats: no answer on " + address + " within " + timeoutSeconds + " s");
        return ExitCode.NO_ANSWER;
      }
      if (json) {
        out.println(reply.encodePrettily());
      } else {
        StatsText.lines(reply).forEach(out::println);
      }
      return ExitCode.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.NO_ANSWER;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // leaving anyway
      }
    }
  }

  private static String noAnswer(Throwable cause, String address, String node, String clusterName, String configName) {
    if (cause instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
      return node != null
        ? "no node named " + node + " is live in cluster " + clusterName + " (" + configName + ")"
        : "no netserver node is running with -cluster in cluster " + clusterName + " (" + configName + ")";
    }
    if (cause instanceof ReplyException e && e.failureType() == ReplyFailure.TIMEOUT) {
      return "no answer on " + address + " in time";
    }
    return "the query on " + address + " failed: " + rootMessage(cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage()).lines().findFirst().orElse("").strip();
  }
}
