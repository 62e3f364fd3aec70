package dev.netserver.bench;

import dev.netserver.cli.CliRun;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One run of {@code netserver bench ARGS} in this JVM, with its exit status, what it printed and its JSON file if asked for. */
record BenchRun(int exit, String out, String err, Path jsonFile) {

  static BenchRun of(String... args) {
    return run(null, args);
  }

  /** Runs with {@code --json} into {@code dir} and {@code -q}. */
  static BenchRun withJson(Path dir, String... args) {
    Path json = dir.resolve("result-" + System.nanoTime() + ".json");
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--json");
    all.add(json.toString());
    all.add("-q");
    return run(json, all.toArray(String[]::new));
  }

  private static BenchRun run(Path json, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "bench";
    System.arraycopy(args, 0, all, 1, args.length);
    CliRun run = CliRun.of(all);
    return new BenchRun(run.exit(), run.out(), run.err(), json);
  }

  JsonObject json() {
    try {
      return new JsonObject(Files.readString(jsonFile));
    } catch (IOException e) {
      throw new UncheckedIOException("no JSON result; out: " + out + " err: " + err, e);
    }
  }

  /** Everything printed, for assertion messages. */
  String printed() {
    return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
  }
}
