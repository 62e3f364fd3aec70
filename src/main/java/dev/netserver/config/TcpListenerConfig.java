package dev.netserver.config;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One TCP listener.
 *
 * @param instances          verticle instances (event loops) serving it; 0 = one per CPU core
 * @param backlog            listen queue length
 * @param idleTimeoutSeconds a connection with no traffic either way for this long is closed; 0 = never
 * @param maxLineBytes       greeting only: longest line accepted, terminator excluded
 * @param texts              greeting only, but for {@code refused}
 * @param guard              limits, access lists and the line deadline (issue 11)
 */
public record TcpListenerConfig(
  String name,
  TcpProtocol protocol,
  Binding binding,
  int instances,
  int backlog,
  int idleTimeoutSeconds,
  int maxLineBytes,
  GreetingTexts texts,
  TcpSocketConfig socket,
  TcpGuard guard) {

  /** One: measured on 2 cores with the load generator beside it, one event loop served as much as two, with a lower p99 (docs/BENCHMARKS.md). */
  public static final int DEFAULT_INSTANCES = 1;
  public static final int DEFAULT_BACKLOG = 1024;
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
  public static final int DEFAULT_MAX_LINE_BYTES = 8192;

  public TcpListenerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(guard, "guard");
    if (instances < 0 || backlog < 1 || idleTimeoutSeconds < 0 || maxLineBytes < 1) {
      throw new IllegalArgumentException("listener setting out of range");
    }
  }

  /** A listener with the default guard. */
  public TcpListenerConfig(String name, TcpProtocol protocol, Binding binding, int instances, int backlog,
                           int idleTimeoutSeconds, int maxLineBytes, GreetingTexts texts, TcpSocketConfig socket) {
    this(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, TcpGuard.DEFAULT);
  }

  /** A listener with every optional setting at its default, as tests and tools build them. */
  public static TcpListenerConfig of(String name, TcpProtocol protocol, Binding binding) {
    return new TcpListenerConfig(name, protocol, binding, DEFAULT_INSTANCES, DEFAULT_BACKLOG,
      DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_MAX_LINE_BYTES, GreetingTexts.DEFAULT, TcpSocketConfig.DEFAULT);
  }

  public TcpListenerConfig withInstances(int n) {
    return new TcpListenerConfig(name, protocol, binding, n, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, guard);
  }

  public TcpListenerConfig withIdleTimeoutSeconds(int seconds) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, seconds, maxLineBytes, texts, socket, guard);
  }

  public TcpListenerConfig withMaxLineBytes(int bytes) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, bytes, texts, socket, guard);
  }

  public TcpListenerConfig withSocket(TcpSocketConfig options) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, options, guard);
  }

  public TcpListenerConfig withTexts(GreetingTexts greetingTexts) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, greetingTexts, socket, guard);
  }

  public TcpListenerConfig withGuard(TcpGuard g) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, g);
  }

  /** Vert.x server options for this listener (host and port are given at listen time, per address). */
  public NetServerOptions netServerOptions() {
    NetServerOptions options = new NetServerOptions()
      .setAcceptBacklog(backlog)
      .setIdleTimeout(idleTimeoutSeconds)
      .setIdleTimeoutUnit(TimeUnit.SECONDS);
    return socket.applyTo(options);
  }

  static TcpListenerConfig read(ConfigReader r) {
    String name = ListenerNames.read(r);
    TcpProtocol protocol = r.requiredChoice("protocol", TcpProtocol.SPELLINGS);
    Binding binding = Binding.read(r);
    int instances = r.integer("instances", DEFAULT_INSTANCES, 0, 1024, "must be an integer in 0..1024 (0 = one per CPU core)");
    int backlog = r.integer("backlog", DEFAULT_BACKLOG, 1, 65535);
    int idle = r.integer("idleTimeoutSeconds", DEFAULT_IDLE_TIMEOUT_SECONDS, 0, 86_400, "must be an integer in 0..86400 (0 = never)");
    int maxLine = r.integer("maxLineBytes", DEFAULT_MAX_LINE_BYTES, 1, 1 << 20);
    GreetingTexts texts = GreetingTexts.read(r.object("texts"));
    TcpSocketConfig socket = TcpSocketConfig.read(r.object("socket"));
    TcpGuard guard = TcpGuard.read(r, maxLine);
    if (protocol == TcpProtocol.ECHO) {
      rejectGreetingOnly(r);
    }
    r.finish();
    return new TcpListenerConfig(name == null ? "" : name, protocol == null ? TcpProtocol.ECHO : protocol, binding,
      instances, backlog, idle, maxLine, texts, socket, guard);
  }

  /** An echo listener has no lines: the keys about lines are mistakes there ({@code texts.refused} is not). */
  private static void rejectGreetingOnly(ConfigReader r) {
    List<String> paths = new ArrayList<>();
    for (String key : List.of("maxLineBytes", "lineTimeoutSeconds")) {
      if (r.has(key)) {
        paths.add(r.at(key));
      }
    }
    if (r.raw("texts") instanceof JsonObject texts) {
      GreetingTexts.GREETING_ONLY.stream().filter(texts::containsKey)
        .forEach(key -> paths.add(ConfigReader.child(r.at("texts"), key)));
    }
    if (r.raw("limits") instanceof JsonObject limits && limits.containsKey("maxBufferedBytes")) {
      paths.add(ConfigReader.child(r.at("limits"), "maxBufferedBytes"));
    }
    for (String path : paths) {
      r.problems().add(path + " applies only to protocol \"greeting\" (this listener's protocol is \"echo\")");
    }
  }
}
