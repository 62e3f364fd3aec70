package dev.netserver.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of netserver's command line in this JVM, as {@code java -jar netserver.jar ARGS} parses it (without the
 * process's exit and logging set-up), with its exit status and what it printed.
 */
public record CliRun(int exit, String out, String err) {

  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit;
    try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
      exit = Netserver.execute(Netserver.commandLine(o, e), args);
    }
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** Standard output as one JSON object. */
  public JsonObject json() {
    return new JsonObject(out);
  }

  /** Everything printed, for assertion messages. */
  public String printed() {
    return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
  }
}
