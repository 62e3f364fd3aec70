package dev.netserver.sockopts;

import java.io.PrintStream;

/** Placeholder until the option lister lands. */
public final class SockoptsCommand {

  private SockoptsCommand() {
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("sockopts: not yet available");
    return 1;
  }
}
