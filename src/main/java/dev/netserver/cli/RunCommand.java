package dev.netserver.cli;

import com.hazelcast.config.Config;
import dev.netserver.ConfigOption;
import dev.netserver.ExitCode;
import dev.netserver.MainVerticle;
import dev.netserver.cluster.ClusterSetup;
import dev.netserver.config.ConfigException;
import dev.netserver.config.ConfigLoader;
import dev.netserver.config.ConfigSource;
import dev.netserver.config.NetserverConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code netserver run}: reads and validates the configuration (and, with {@code -cluster}, the Hazelcast file it
 * names) before anything starts, then starts Vert.x through its application launcher, with every launcher flag,
 * and deploys {@link MainVerticle} with that configuration. A problem in either file exits with
 * {@link ExitCode#CONFIG} before anything is bound or joined, so that a broken node never joins and leaves a
 * cluster.
 */
@Command(name = "run",
  description = {
    "Start the server (the default command)",
    "",
    "Reads and checks the configuration first, and with -cluster the Hazelcast file it names: a problem"
      + " in either is one line each and exit status 78, before anything is bound or joined. Then starts the"
      + " server through Vert.x's application launcher, which takes the flags below, and runs until SIGTERM or"
      + " Ctrl-C stops it gracefully.",
    ""},
  sortOptions = false)
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Mixin
  private ConfigOption conf;

  @Option(names = {"-instances", "--instances"}, paramLabel = "N",
    description = "run N instances of every TCP listener (instead of each listener's own \"instances\")")
  private Integer instances;

  /** The launcher's own spelling of help, besides netserver's -h and --help. */
  @Option(names = "-help", usageHelp = true, hidden = true)
  private boolean help;

  @ArgGroup(exclusive = false, validate = false, heading = "%nVert.x launcher options (passed on to Vert.x's launcher):%n")
  private LauncherOptions launcher = new LauncherOptions();

  @Spec
  private CommandSpec spec;

  private boolean serving;

  @Override
  public Integer call() {
    if (instances != null && instances < 1) {
      throw new ParameterException(spec.commandLine(), "-instances must be a positive integer (was " + instances + ")");
    }
    ConfigSource source = conf.source();
    NetserverConfig config;
    Config hazelcast;
    try {
      launcher.readJsonArguments();
      config = ConfigLoader.read(source);
      hazelcast = launcher.clustered ? hazelcast(config) : null;
    } catch (ConfigException e) {
      MainVerticle.logConfigProblems(e);
      return ExitCode.CONFIG.code();
    }
    ExitCode started = new NetserverApplication(launcher.arguments(), config, source,
      instances == null ? 0 : instances, hazelcast).start();
    serving = started == ExitCode.OK;
    return started.code();
  }

  /** Whether the server started and runs on: then the process must outlive the command line. */
  boolean serving() {
    return serving;
  }

  /** The Hazelcast configuration {@code cluster.config} names (or the default one), read and checked. */
  private static Config hazelcast(NetserverConfig config) {
    ClusterSetup.Source from = ClusterSetup.choose(config.cluster());
    Config hazelcast = ClusterSetup.load(from);
    LOG.info("cluster: Hazelcast configuration {}: {}", from.name(), ClusterSetup.describe(hazelcast));
    if (ClusterSetup.searchesByMulticast(hazelcast)) {
      LOG.warn("cluster: {} looks for peers by multicast or auto-detection (Hazelcast's default when <join> does not"
        + " turn them off): any member on the network with the same cluster name will join", from.name());
    }
    return hazelcast;
  }

  /**
   * The flags of Vert.x's application launcher that netserver passes on as they are. ({@code -conf} and
   * {@code -instances} are netserver's own: the configuration is read here, and {@code -instances} sets the TCP
   * listeners' instances instead of deploying several main verticles that would fight over the same ports.)
   */
  static final class LauncherOptions {

    @Option(names = {"-options", "--options", "-vertx-options", "--vertx-options"}, paramLabel = "FILE|JSON",
      description = "Vert.x options (VertxOptions as JSON), in a file or inline")
    String options;

    @Option(names = {"-c", "-cluster", "--cluster"},
      description = "form or join a cluster (Hazelcast: cluster.config in the configuration names its file)")
    boolean clustered;

    @Option(names = {"-cluster-host", "--cluster-host"}, paramLabel = "HOST",
      description = "the address the event bus listens on for the cluster (default: chosen by Vert.x)")
    String clusterHost;

    @Option(names = {"-cluster-port", "--cluster-port"}, paramLabel = "PORT",
      description = "the port the event bus listens on for the cluster (default: a free one)")
    Integer clusterPort;

    @Option(names = {"-cluster-public-host", "--cluster-public-host"}, paramLabel = "HOST",
      description = "the address other nodes reach this one's event bus on (default: -cluster-host)")
    String clusterPublicHost;

    @Option(names = {"-cluster-public-port", "--cluster-public-port"}, paramLabel = "PORT",
      description = "the port other nodes reach this one's event bus on (default: -cluster-port)")
    Integer clusterPublicPort;

    @Option(names = {"-deployment-options", "--deployment-options"}, paramLabel = "FILE|JSON",
      description = "the main verticle's DeploymentOptions as JSON, in a file or inline")
    String deploymentOptions;

    @Option(names = {"-w", "-worker", "--worker"},
      description = "deploy the main verticle (which only deploys the listeners) on a worker thread")
    boolean worker;

    @Option(names = {"-vt", "-virtual-thread", "--virtual-thread"},
      description = "deploy the main verticle (which only deploys the listeners) on a virtual thread")
    boolean virtualThread;

    /** The flags as the launcher takes them. */
    /**
     * Reads {@code -options} and {@code -deployment-options} now, so that a value that is not a JSON object (or a
     * file holding one) is a configuration problem (exit 78) rather than the launcher's warning and a start without
     * it; the launcher is then handed the JSON itself.
     */
    void readJsonArguments() {
      options = options == null ? null : JsonArgument.read("-options", options).encode();
      deploymentOptions = deploymentOptions == null ? null
        : JsonArgument.read("-deployment-options", deploymentOptions).encode();
    }

    List<String> arguments() {
      List<String> args = new ArrayList<>();
      add(args, "-options", options);
      if (clustered) {
        args.add("-cluster");
      }
      add(args, "-cluster-host", clusterHost);
      add(args, "-cluster-port", clusterPort);
      add(args, "-cluster-public-host", clusterPublicHost);
      add(args, "-cluster-public-port", clusterPublicPort);
      add(args, "-deployment-options", deploymentOptions);
      if (worker) {
        args.add("-worker");
      }
      if (virtualThread) {
        args.add("-virtual-thread");
      }
      return args;
    }

    private static void add(List<String> args, String flag, Object value) {
      if (value != null) {
        args.add(flag);
        args.add(String.valueOf(value));
      }
    }
  }
}
