package dev.netserver;

import dev.netserver.bench.BenchCommand;
import dev.netserver.cluster.StatsCommand;
import dev.netserver.sockopts.SockoptsCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The jar's entry point. {@code sockopts} lists socket options, {@code bench} runs the load generator,
 * {@code stats} asks a cluster for its stats; anything else starts the server through Vert.x's application
 * launcher ({@link NetserverApplication}), with all its flags.
 *
 * <p>Kept apart from the launcher class so that {@code conf/logback.xml} (and Hazelcast's logging through
 * SLF4J) can be chosen before any logger exists (the launcher's superclass creates one as soon as it is loaded).
 */
public final class Netserver {

  static final Path CONF_LOGBACK = Path.of("conf", "logback.xml");

  private Netserver() {
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(CONF_LOGBACK)) {
      System.setProperty("logback.configurationFile", CONF_LOGBACK.toString());
    }
    if (System.getProperty("hazelcast.logging.type") == null) {
      // Hazelcast creates some loggers before it reads its configuration's properties
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    if (System.getProperty("vertx.disableDnsResolver") == null) {
      // Names are resolved by the JDK, not by Vert.x's DNS client: netserver binds and connects to IP
      // addresses, and loading the DNS client cost about a tenth of a second at every start (measured).
      System.setProperty("vertx.disableDnsResolver", "true");
    }
    String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
    switch (args.length > 0 ? args[0] : "") {
      case "sockopts" -> System.exit(SockoptsCommand.run(rest, System.out, System.err));
      case "bench" -> System.exit(BenchCommand.run(rest, System.out, System.err));
      case "stats" -> System.exit(StatsCommand.main(rest));
      default -> {
      }
    }
    NetserverApplication.launch(args);
  }
}
