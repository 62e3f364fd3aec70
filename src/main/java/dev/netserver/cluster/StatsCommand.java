package dev.netserver.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import com.hazelcast.config.Config;
import dev.netserver.config.ConfigException;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code netserver stats [-conf FILE] [-options FILE|JSON] [--node NAME] [--json] [--timeout SECONDS]}: joins the cluster as a
 * Hazelcast lite member (it holds no cluster data, so its coming and going costs the cluster nothing), asks
 * {@code netserver.stats.query} (or one node's address) for the cluster-wide stats, prints them and leaves.
 * The Hazelcast configuration is the one a node started with the same {@code -conf} would use.
 */
public final class StatsCommand {

  public static final int EXIT_USAGE = 2;
  /** sysexits.h EX_UNAVAILABLE: no node answered. */
  public static final int EXIT_NO_ANSWER = 69;
  /** The launcher's code when Vert.x can't start: no cluster could be joined or formed. */
  public static final int EXIT_NO_CLUSTER = 11;
  public static final int EXIT_CONFIG = 78;

  static final int DEFAULT_TIMEOUT_SECONDS = 10;

  static final String USAGE = String.join(System.lineSeparator(),
    "Usage: netserver stats [-conf FILE] [-options FILE|JSON] [--node NAME] [--json] [--timeout SECONDS]",
    "",
    "Joins the netserver cluster for a moment (as a Hazelcast lite member, which holds no data), asks for the",
    "cluster-wide stats on netserver.stats.query, prints them and leaves. Any node answers for the whole",
    "cluster: totals per listener, then each node with its state (live or departed) and its listeners.",
    "",
    "  -conf FILE         the configuration whose cluster.config names the Hazelcast file (default:",
    "                     conf/config.json if it exists; without cluster.config: conf/cluster.xml, else the",
    "                     copy built into the jar)",
    "  -options FILE|JSON Vert.x options, as the nodes were given them (e.g. eventBusOptions with TLS)",
    "  --node NAME        ask that node (netserver.stats.query.NAME) instead of any",
    "  --json             the reply as JSON (the README describes its fields)",
    "  --timeout SECONDS  how long to wait for the answer (default " + DEFAULT_TIMEOUT_SECONDS + ")",
    "  -h, --help         this text",
    "",
    "Exit status: 0 done, 2 bad arguments, 11 no cluster could be joined, 69 no node answered,",
    "78 configuration problem.");

  private StatsCommand() {
  }

  /** The command as the jar runs it: log lines (warnings and errors only) go to standard error, the answer to standard output. */
  public static int main(String[] args) {
    quietLogging();
    return run(args, System.out, System.err);
  }

  /** Runs the command; returns the exit status. The answer goes to {@code out}, problems to {@code err}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("stats: " + e.getMessage());
      err.println(USAGE);
      return EXIT_USAGE;
    }
    if (arguments.help()) {
      out.println(USAGE);
      return 0;
    }
    ConfigSource source = ConfigSource.forCommand(arguments.conf());
    ClusterSetup.Source from;
    Config hazelcast;
    try {
      NetserverConfig config = ConfigLoader.read(source);
      from = ClusterSetup.choose(config.cluster());
      hazelcast = ClusterSetup.load(from);
    } catch (ConfigException e) {
      e.problems().forEach(err::println);
      return EXIT_CONFIG;
    }
    hazelcast.setLiteMember(true);
    VertxOptions vertxOptions;
    try {
      vertxOptions = arguments.options() == null ? new VertxOptions() : new VertxOptions(ClusterSetup.withEventBusDefaults(readOptions(arguments.options())));
    } catch (IllegalArgumentException e) {
      err.println("stats: -options: " + e.getMessage());
      return EXIT_CONFIG;
    }

    Vertx vertx;
    try {
      vertx = Vertx.builder().with(vertxOptions).withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered()
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      err.println("stats: could not join the cluster (" + from.name() + "): " + rootMessage(e));
      return EXIT_NO_CLUSTER;
    }
    try {
      String address = arguments.node() != null ? StatsAddresses.nodeQuery(arguments.node()) : StatsAddresses.QUERY;
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(arguments.timeoutSeconds() * 1000L);
      JsonObject reply;
      try {
        reply = vertx.eventBus().<JsonObject>request(address, null, options)
          .toCompletionStage().toCompletableFuture().get(arguments.timeoutSeconds() + 5L, TimeUnit.SECONDS).body();
      } catch (ExecutionException e) {
        err.println("stats: " + noAnswer(e.getCause(), address, arguments.node(), hazelcast.getClusterName(), from.name()));
        return EXIT_NO_ANSWER;
      } catch (TimeoutException e) {
        err.println("stats: no answer on " + address + " within " + arguments.timeoutSeconds() + " s");
        return EXIT_NO_ANSWER;
      }
      if (arguments.json()) {
        out.println(reply.encodePrettily());
      } else {
        StatsText.lines(reply).forEach(out::println);
      }
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_NO_ANSWER;
    } finally {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // leaving anyway
      }
    }
  }

  /** {@code -options} as the launcher takes it: a JSON object, inline or in a file. */
  static JsonObject readOptions(String value) {
    String text = value.strip();
    if (!text.startsWith("{")) {
      try {
        text = Files.readString(Path.of(value));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot read " + value + ": " + e.getMessage());
      }
    }
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("is not a JSON object: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
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

  /**
   * Keeps standard output for the answer: log lines go to standard error, warnings and errors only (the
   * Hazelcast member comes and goes; the nodes' own logs say what matters).
   */
  private static void quietLogging() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    context.getLogger("dev.netserver").setLevel(Level.WARN);
    for (Iterator<Appender<ch.qos.logback.classic.spi.ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<?> console) {
        console.stop();
        console.setTarget("System.err");
        console.start();
      }
    }
  }

  record Arguments(String conf, String options, String node, boolean json, int timeoutSeconds, boolean help) {

    static Arguments parse(String[] args) {
      String conf = null;
      String options = null;
      String node = null;
      boolean json = false;
      boolean help = false;
      int timeout = DEFAULT_TIMEOUT_SECONDS;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "-conf", "--conf" -> conf = value(args, i++, "a file name");
          case "-options", "--options" -> options = value(args, i++, "a file name or a JSON object");
          case "--node" -> node = value(args, i++, "a node name");
          case "--timeout" -> timeout = seconds(value(args, i++, "a number of seconds"));
          case "--json" -> json = true;
          case "-h", "--help" -> help = true;
          default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
        }
      }
      return new Arguments(conf, options, node, json, timeout, help);
    }

    private static String value(String[] args, int i, String what) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs " + what);
      }
      return args[i + 1];
    }

    private static int seconds(String value) {
      try {
        int n = Integer.parseInt(value.strip());
        if (n >= 1 && n <= 3600) {
          return n;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new IllegalArgumentException("--timeout must be a whole number of seconds in 1..3600 (was \"" + value + "\")");
    }
  }
}
