package dev.netserver.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.Arrays;

/**
 * {@code netserver bench <mode> [options]}: the load generator, or {@code bench chart} to draw its
 * results. See {@link BenchOptions#USAGE}.
 */
public final class BenchCommand {

  public static final int EXIT_OK = 0;
  /** Errors, or (udp) too many losses. */
  public static final int EXIT_ERRORS = 1;
  /** A bad argument, as for the launcher and sockopts. */
  public static final int EXIT_USAGE = 2;
  /** Beyond the connections: the JVM's own jars, the event loops' epoll and wake-up descriptors, stdio. */
  static final int SPARE_FILE_DESCRIPTORS = 64;

  private BenchCommand() {
  }

  /** Runs the command; returns the exit status. Writes only to {@code out} and {@code err}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("chart")) {
      return ChartCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
    if (BenchOptions.wantsHelp(args)) {
      out.println(BenchOptions.USAGE);
      return EXIT_OK;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      err.println(BenchOptions.USAGE);
      return EXIT_USAGE;
    }
    InetSocketAddress remote;
    ClientTransport transport;
    try {
      remote = resolve(options);
      transport = ClientTransport.choose(options.transport());
      String fds = ProcessCpu.fileDescriptorProblem(options.connections() + SPARE_FILE_DESCRIPTORS,
        "-c " + options.connections());
      if (fds != null) {
        throw new IllegalArgumentException(fds);
      }
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      return EXIT_USAGE;
    }
    Progress progress = new Progress(err, options.mode(), Progress.wanted(options));
    Result result;
    try {
      result = options.mode() == Mode.HOLD
        ? new HoldRun(options, transport, remote, progress).run()
        : new LoadRun(options, transport, remote, progress).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("bench: interrupted");
      return EXIT_ERRORS;
    } catch (RuntimeException e) {
      err.println("bench: the run failed: " + Client.describe(e));
      return EXIT_ERRORS;
    }
    Summary.print(result, out);
    if (options.json() != null) {
      try {
        Files.writeString(options.json(), result.toJson().encodePrettily() + System.lineSeparator());
      } catch (IOException e) {
        err.println("bench: cannot write " + options.json() + ": " + Client.describe(e));
        return EXIT_ERRORS;
      }
    }
    return result.exitCode();
  }

  /**
   * The server's address. Every address the host name has must be loopback unless {@code --allow-remote}:
   * a load generator pointed at someone else's machine by a typo is an attack.
   */
  static InetSocketAddress resolve(BenchOptions options) {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(options.host());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--host " + options.host() + ": cannot resolve it");
    }
    if (!options.allowRemote()) {
      for (InetAddress address : all) {
        if (!address.isLoopbackAddress()) {
          throw new IllegalArgumentException("--host " + options.host() + " is not a loopback address ("
            + address.getHostAddress() + "); load against another machine needs --allow-remote");
        }
      }
    }
    return new InetSocketAddress(all[0], options.port());
  }
}
