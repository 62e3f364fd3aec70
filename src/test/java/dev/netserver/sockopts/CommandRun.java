package dev.netserver.sockopts;

import dev.netserver.cli.CliRun;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Stream;

/** One run of {@code netserver sockopts ARGS} with its exit status and what it printed. */
record CommandRun(int exit, String out, String err) {

  static CommandRun of(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "sockopts";
    System.arraycopy(args, 0, all, 1, args.length);
    CliRun run = CliRun.of(all);
    return new CommandRun(run.exit(), run.out(), run.err());
  }

  JsonObject json() {
    return new JsonObject(out);
  }

  /** The part-one entries of one transport and kind ({@code tcpConnection}). */
  static List<JsonObject> options(JsonObject report, String transport, String kind) {
    return objects(transport(report, transport).getJsonObject("kinds").getJsonArray(kind)).toList();
  }

  static JsonObject transport(JsonObject report, String name) {
    return objects(report.getJsonArray("transports")).filter(t -> t.getString("name").equals(name)).findFirst()
      .orElseThrow(() -> new AssertionError("no transport " + name + " in " + report.encodePrettily()));
  }

  /** The one part-one entry for a Netty option name. */
  static JsonObject option(JsonObject report, String transport, String kind, String netty) {
    return options(report, transport, kind).stream().filter(o -> o.getString("netty").equals(netty)).findFirst()
      .orElseThrow(() -> new AssertionError(transport + " " + kind + " does not list " + netty));
  }

  /** The part-two entry of one listener's socket ({@code listener}, {@code accepted}, {@code udp}). */
  static JsonObject socket(JsonObject report, String listener, String socket) {
    return objects(report.getJsonArray("listeners"))
      .filter(l -> l.getString("name").equals(listener) && l.getString("socket").equals(socket)).findFirst()
      .orElseThrow(() -> new AssertionError("no " + socket + " socket of " + listener));
  }

  /** The part-two row of a key and Netty option. */
  static JsonObject row(JsonObject socket, String key, String netty) {
    return objects(socket.getJsonArray("options"))
      .filter(o -> key.equals(o.getString("key")) && netty.equals(o.getString("netty"))).findFirst()
      .orElseThrow(() -> new AssertionError("no row " + key + " / " + netty + " in " + socket.encodePrettily()));
  }

  static Stream<JsonObject> objects(JsonArray array) {
    return array.stream().map(JsonObject.class::cast);
  }
}
