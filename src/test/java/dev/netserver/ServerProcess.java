package dev.netserver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged jar run as a separate process, the way the README says, with its output captured line by line. */
public final class ServerProcess implements AutoCloseable {

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;

  private ServerProcess(Process process) {
    this.process = process;
    reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          all.add(line);
          lines.add(line);
        }
      } catch (IOException ignored) {
        // process gone
      }
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The jar built by {@code mvn package}; failsafe passes its path. */
  public static Path jar() {
    return Path.of(System.getProperty("netserver.jar", "target/netserver.jar"));
  }

  public static ServerProcess start(List<String> command) {
    List<String> full = new ArrayList<>();
    full.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    full.addAll(command);
    try {
      return new ServerProcess(new ProcessBuilder(full).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java -jar netserver.jar args...}. */
  public static ServerProcess jar(String... args) {
    List<String> command = new ArrayList<>(List.of("-jar", jar().toString()));
    command.addAll(List.of(args));
    return start(command);
  }

  /**
   * {@code java -jar netserver.jar args...} under {@code ulimit -n limit} (a shell sets the limit, then
   * becomes the JVM: the process is the server's).
   */
  public static ServerProcess jarWithFileLimit(int limit, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "-c", "ulimit -n " + limit + " && exec \"$@\"", "bash",
      Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    try {
      return new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends a signal by name ({@code HUP}, {@code TERM}) with kill(1). */
  public void signal(String name) {
    try {
      int status = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
      if (status != 0) {
        throw new AssertionError("kill -" + name + " failed: " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The output's lines so far. */
  public int lineCount() {
    return all.size();
  }

  /** Waits for an output line matching {@code regex} and returns its match. */
  public Matcher awaitLine(String regex) {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) {
          throw new AssertionError("no output line matched " + regex + "; output so far:\n" + output());
        }
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The port in the "is running on 127.0.0.1:PORT" line of a listener. */
  public int port(String listener) {
    return Integer.parseInt(awaitLine(listener + ": .* server is running on 127\\.0\\.0\\.1:(\\d+)").group(1));
  }

  /**
   * Sends SIGTERM (what service managers do; Ctrl-C is SIGINT, handled alike) and waits for the exit code.
   * {@code ProcessHandle.destroy()} and not {@code Process.destroy()}: the latter also closes our end of
   * the child's output pipe at once, and the server's last lines (the final summary) would be lost.
   */
  public int terminate() {
    signalTerm();
    return waitFor();
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hook, no last words. Waits for the exit code (137). */
  public int kill() {
    process.destroyForcibly();
    return waitFor();
  }

  /** Sends SIGTERM without waiting. */
  public void signalTerm() {
    process.toHandle().destroy();
  }

  public int waitFor() {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the server did not exit; output:\n" + output());
      }
      reader.join(10_000); // the output ends with the process: take its last lines
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public String output() {
    synchronized (all) {
      return String.join("\n", all);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
