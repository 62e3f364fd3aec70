package dev.netserver.bench;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One run of {@code bench} in this JVM, with its exit status, what it printed and its JSON file if asked for. */
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = BenchCommand.run(args, o, e);
    }
    return new BenchRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), json);
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
