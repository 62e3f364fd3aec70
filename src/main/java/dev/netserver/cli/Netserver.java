package dev.netserver.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import dev.netserver.ExitCode;
import dev.netserver.bench.BenchCommand;
import dev.netserver.sockopts.SockoptsCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.netserver.ExitCode.CONFIG;
import static dev.netserver.ExitCode.FAILURE;
import static dev.netserver.ExitCode.NO_ANSWER;
import static dev.netserver.ExitCode.NO_CLUSTER;
import static dev.netserver.ExitCode.OK;
import static dev.netserver.ExitCode.OS_REFUSED;
import static dev.netserver.ExitCode.USAGE;

/**
 * The jar's entry point and the top of netserver's command line: {@code run} (the default), {@code check-config},
 * {@code sockopts}, {@code stats} and {@code bench}, parsed by picocli.
 *
 * <p>{@link #main} sets up logging before any logger exists (the Vert.x launcher's superclass creates one as soon
 * as it is loaded): {@code conf/logback.xml} when there is one, Hazelcast's logging through SLF4J.
 */
@Command(name = "netserver",
  description = {
    "A TCP and UDP server on Vert.x: greeting, echo and UDP echo, with stats shared across a cluster.",
    "Without a command, netserver runs the server: `netserver -conf F` is `netserver run -conf F`.",
    ""},
  subcommands = {RunCommand.class, CheckConfigCommand.class, SockoptsCommand.class, StatsCommand.class,
    BenchCommand.class},
  commandListHeading = "%nCommands:%n",
  footer = {"", "`netserver COMMAND --help` describes each command."})
public final class Netserver {

  /** The command that runs when the first argument names none (a flag, or nothing at all). */
  static final String DEFAULT_COMMAND = "run";
  static final Path CONF_LOGBACK = Path.of("conf", "logback.xml");
  private static final int HELP_WIDTH = 100;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help and exit")
  private boolean help;

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
    CommandLine cli = commandLine(null, null);
    cli.setExecutionStrategy(parsed -> {
      if (!isRun(parsed)) {
        keepStandardOutputForTheAnswer();
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    int status = execute(cli, args);
    RunCommand run = cli.getSubcommands().get(DEFAULT_COMMAND).getCommand();
    if (!run.serving()) {
      System.exit(status);
    }
    // else the server runs on Vert.x's threads until a signal stops it (ExitCode: 129, 130, 143)
  }

  /**
   * netserver's command line, writing to {@code out} and {@code err} ({@code null}: standard output and error).
   * For tests, with {@link #execute}; {@link #main} adds only the logging set-up and the exit.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Netserver())
      .setUsageHelpWidth(HELP_WIDTH)
      .setParameterExceptionHandler(Netserver::usageError)
      // a command that throws anything else has a bug: picocli prints the stack trace
      .setExitCodeExceptionMapper(e -> e instanceof ParameterException ? USAGE.code() : FAILURE.code());
    if (out != null) {
      cli.setOut(out);
    }
    if (err != null) {
      cli.setErr(err);
    }
    // Vert.x's launcher takes its flags in any case (-Conf, -CLUSTER); run keeps that
    cli.getSubcommands().get(DEFAULT_COMMAND).setOptionsCaseInsensitive(true);
    exitStatus(cli, true, ExitCode.values());
    Map<String, CommandLine> commands = cli.getSubcommands();
    exitStatus(commands.get("run"), true, OK, FAILURE, USAGE, NO_CLUSTER, OS_REFUSED, CONFIG);
    exitStatus(commands.get("check-config"), false, OK, USAGE, CONFIG);
    exitStatus(commands.get("sockopts"), false, OK, USAGE, OS_REFUSED, CONFIG);
    exitStatus(commands.get("stats"), false, OK, USAGE, NO_CLUSTER, NO_ANSWER, CONFIG);
    exitStatus(commands.get("bench"), false, OK, FAILURE, USAGE);
    exitStatus(commands.get("bench").getSubcommands().get("chart"), false, OK, FAILURE, USAGE);
    return cli;
  }

  /**
   * Runs the command {@code args} name, {@value #DEFAULT_COMMAND} when they name none, and returns its exit
   * status. A first argument that is neither a command nor one of netserver's own flags ({@code --help}) but
   * is a flag, or no argument at all, means {@value #DEFAULT_COMMAND}: {@code netserver -conf F} is
   * {@code netserver run -conf F}. Anything else that is not a command is a usage error.
   */
  public static int execute(CommandLine cli, String... args) {
    boolean namesNone = args.length == 0
      || args[0].startsWith("-") && cli.getCommandSpec().findOption(args[0]) == null;
    if (!namesNone) {
      return cli.execute(args);
    }
    String[] withDefault = new String[args.length + 1];
    withDefault[0] = DEFAULT_COMMAND;
    System.arraycopy(args, 0, withDefault, 1, args.length);
    return cli.execute(withDefault);
  }

  private static boolean isRun(ParseResult parsed) {
    return parsed.hasSubcommand() && parsed.subcommand().commandSpec().userObject() instanceof RunCommand;
  }

  private static void exitStatus(CommandLine command, boolean bySignal, ExitCode... codes) {
    Map<String, String> lines = new LinkedHashMap<>();
    // picocli formats help texts with String.format
    ExitCode.helpList(bySignal, codes).forEach((code, meaning) -> lines.put(code, meaning.replace("%", "%%")));
    command.getCommandSpec().usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(lines);
  }

  /**
   * A bad command line: what is wrong, naming the command, then its synopsis (or picocli's "did you mean"),
   * and where the full help is. Not the whole help text, which would push the one line that matters off screen.
   */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + e.getMessage());
    if (!UnmatchedArgumentException.printSuggestions(e, err)) {
      CommandLine.Help help = command.getHelp();
      err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
    }
    err.println("Try '" + name + " --help' for more information.");
    err.flush();
    return USAGE.code();
  }

  /**
   * For every command but {@code run}, whose output is its answer (a table, JSON): log lines go to standard
   * error, warnings and errors only (a {@code stats} query's Hazelcast member comes and goes; the nodes' own
   * logs say what matters).
   */
  private static void keepStandardOutputForTheAnswer() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    context.getLogger("dev.netserver").setLevel(Level.WARN);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<?> console) {
        console.stop();
        console.setTarget("System.err");
        console.start();
      }
    }
  }
}
