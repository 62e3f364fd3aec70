package dev.netserver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit status of every netserver command, defined here and nowhere else. The numbers follow the
 * conventions a shell user and a service manager already know: 2 for a bad command line (as picocli,
 * Vert.x's launcher and most Unix tools), sysexits.h for the rest, and 11 as Vert.x's launcher has it.
 *
 * <p>Three more statuses come from signals, through the JVM (128 + the signal's number); no code here
 * chooses them. The JVM runs its shutdown hooks first, so a server stops gracefully on each:
 * <ul>
 *   <li>129: SIGHUP (the terminal went away);</li>
 *   <li>130: SIGINT (Ctrl-C);</li>
 *   <li>143: SIGTERM (what {@code kill} and service managers send).</li>
 * </ul>
 */
public enum ExitCode {

  /** Done; for {@code run}: the server started, and runs until a signal stops it. */
  OK(0, "done (run: the server started; it runs until a signal stops it)"),
  /**
   * The command ran and failed: {@code bench} saw errors or lost too many datagrams; {@code run} failed to start
   * for a reason none of the codes below names (a bug: the log has the stack trace).
   */
  FAILURE(1, "failed (bench: errors, or more than 1% of the datagrams lost)"),
  /** A bad command line: an unknown flag or subcommand, a flag without its value, a value out of range. */
  USAGE(2, "bad command line: unknown flag or command, flag without its value, bad value"),
  /** Vert.x's launcher's code for a Vert.x that could not start: with {@code -cluster}, and for {@code stats}, no cluster joined or formed. */
  NO_CLUSTER(11, "no cluster could be joined or formed (run -cluster, stats)"),
  /** sysexits.h EX_UNAVAILABLE: the service asked for is not there ({@code stats}: no node answered). */
  NO_ANSWER(69, "no node answered (stats)"),
  /** sysexits.h EX_OSERR: the system refused (a listener's address is in use; a {@code sockopts} probe socket could not be made). */
  OS_REFUSED(71, "the system refused: address in use (run), socket not made (sockopts)"),
  /** sysexits.h EX_CONFIG: the configuration, the Hazelcast file it names, {@code -options} or {@code -deployment-options} has a problem. */
  CONFIG(78, "configuration problem (the file, its Hazelcast file, -options, -deployment-options); nothing started");

  /** How a help text lists the statuses that come from signals. */
  private static final String SIGNALS = "129/130/143";
  private static final String SIGNALS_MEANING = "stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM; a server stops gracefully, and `run` reloads its configuration on SIGHUP instead of stopping";

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The number the process exits with. */
  public int code() {
    return code;
  }

  /** One line for a help text. */
  public String meaning() {
    return meaning;
  }

  /**
   * The lines of an "Exit status" section: each code with its meaning, in the given order, then the
   * statuses that come from signals when {@code bySignal}.
   */
  public static Map<String, String> helpList(boolean bySignal, ExitCode... codes) {
    Map<String, String> lines = new LinkedHashMap<>();
    for (ExitCode c : codes) {
      lines.put(String.valueOf(c.code), c.meaning);
    }
    if (bySignal) {
      lines.put(SIGNALS, SIGNALS_MEANING);
    }
    return lines;
  }
}
