package dev.netserver.config;

import io.netty.util.NetUtil;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One TCP listener.
 *
 * @param instances          verticle instances (event loops) serving it; 0 = one per CPU core
 * @param backlog            listen queue length asked of listen(); the kernel caps it at {@link #KERNEL_BACKLOG_LIMIT}
 * @param idleTimeoutSeconds a connection with no traffic either way for this long is closed; 0 = never
 * @param maxLineBytes       greeting only: longest line accepted, terminator excluded
 * @param texts              greeting only, but for {@code refused}
 * @param engine             which data path serves it, as configured ({@link #engineInUse()} resolves auto)
 * @param handler            protocol {@link TcpProtocol#HANDLER} only: the class that serves it; else null
 * @param guard              limits, access lists and the line deadline
 * @param proxyProtocol      whether connections start with a PROXY protocol header, and from whom it is believed
 * @param bandwidth          the listener's limits in bytes per second
 * @param tls                TLS on this listener ({@code vertx} engine only); null for plain TCP
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
  Engine engine,
  HandlerProtocol handler,
  TcpGuard guard,
  ProxyProtocolConfig proxyProtocol,
  BandwidthConfig bandwidth,
  TlsConfig tls) {

  /** One: measured on 2 cores with the load generator beside it, one event loop served as much as two, with a lower p99 (docs/BENCHMARKS.md). */
  public static final int DEFAULT_INSTANCES = 1;
  /**
   * The kernel's cap on every listen() backlog: {@code net.core.somaxconn} on Linux, as Netty reads it once
   * ({@code NetUtil.SOMAXCONN}; 128 where it cannot be read). A larger backlog is silently cut to it.
   */
  public static final int KERNEL_BACKLOG_LIMIT = NetUtil.SOMAXCONN;
  /**
   * The kernel's limit, which is also Netty's own default: anything less only drops connections a busy
   * server could have taken (issue 14: 2,000 clients looping connect-greet-close lost 944 exchanges in 5 s
   * with 1024, none with 4096; docs/CONFIGURATION.md, "Defaults and why").
   */
  public static final int DEFAULT_BACKLOG = KERNEL_BACKLOG_LIMIT;
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
  public static final int DEFAULT_MAX_LINE_BYTES = 8192;
  public static final Engine DEFAULT_ENGINE = Engine.AUTO;

  public TcpListenerConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(guard, "guard");
    Objects.requireNonNull(proxyProtocol, "proxyProtocol");
    Objects.requireNonNull(bandwidth, "bandwidth");
    if ((protocol == TcpProtocol.HANDLER) != (handler != null)) {
      throw new IllegalArgumentException("a handler class goes with protocol handler, and only with it");
    }
    if (instances < 0 || backlog < 1 || idleTimeoutSeconds < 0 || maxLineBytes < 1) {
      throw new IllegalArgumentException("listener setting out of range");
    }
  }

  /** A listener on the default engine ({@link Engine#AUTO}). */
  public TcpListenerConfig(String name, TcpProtocol protocol, Binding binding, int instances, int backlog,
                           int idleTimeoutSeconds, int maxLineBytes, GreetingTexts texts, TcpSocketConfig socket) {
    this(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, DEFAULT_ENGINE, null, TcpGuard.DEFAULT, ProxyProtocolConfig.OFF, BandwidthConfig.UNLIMITED, null);
  }

  /** A listener with every optional setting at its default, as tests and tools build them. */
  public static TcpListenerConfig of(String name, TcpProtocol protocol, Binding binding) {
    return new TcpListenerConfig(name, protocol, binding, DEFAULT_INSTANCES, DEFAULT_BACKLOG,
      DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_MAX_LINE_BYTES, GreetingTexts.DEFAULT, TcpSocketConfig.DEFAULT, DEFAULT_ENGINE, null, TcpGuard.DEFAULT, ProxyProtocolConfig.OFF, BandwidthConfig.UNLIMITED, null);
  }

  /** A listener served by a custom protocol class, every other setting at its default. */
  public static TcpListenerConfig of(String name, HandlerProtocol handler, Binding binding) {
    return new TcpListenerConfig(name, TcpProtocol.HANDLER, binding, DEFAULT_INSTANCES, DEFAULT_BACKLOG,
      DEFAULT_IDLE_TIMEOUT_SECONDS, DEFAULT_MAX_LINE_BYTES, GreetingTexts.DEFAULT, TcpSocketConfig.DEFAULT, DEFAULT_ENGINE, handler, TcpGuard.DEFAULT, ProxyProtocolConfig.OFF, BandwidthConfig.UNLIMITED, null);
  }

  /** The accept queue the kernel really gives this listener: its backlog, capped at {@link #KERNEL_BACKLOG_LIMIT}. */
  public int effectiveBacklog() {
    return kernelBacklog(backlog);
  }

  /** The accept queue the kernel gives a listen() asked for {@code backlog}: the one place of that rule. */
  public static int kernelBacklog(int backlog) {
    return Math.min(backlog, KERNEL_BACKLOG_LIMIT);
  }

  /** The startup warning for a backlog above what the kernel gives, naming both numbers; empty when it fits. */
  public Optional<String> backlogWarning() {
    return backlog <= KERNEL_BACKLOG_LIMIT ? Optional.empty()
      : Optional.of(name + ": backlog " + backlog + " is above the kernel's limit, net.core.somaxconn = "
        + KERNEL_BACKLOG_LIMIT + ": the kernel caps the accept queue at " + KERNEL_BACKLOG_LIMIT
        + " (raise net.core.somaxconn for more)");
  }

  /** {@code greeting}, {@code echo}, or {@code handler:ClassName}: the protocol as the configuration spells it. */
  public String protocolName() {
    return handler != null ? handler.configName() : protocol.configName();
  }

  public TcpListenerConfig withInstances(int n) {
    return new TcpListenerConfig(name, protocol, binding, n, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, engine, handler, guard, proxyProtocol, bandwidth, tls);
  }

  public TcpListenerConfig withIdleTimeoutSeconds(int seconds) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, seconds, maxLineBytes, texts, socket, engine, handler, guard, proxyProtocol, bandwidth, tls);
  }

  public TcpListenerConfig withMaxLineBytes(int bytes) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, bytes, texts, socket, engine, handler, guard, proxyProtocol, bandwidth, tls);
  }

  public TcpListenerConfig withSocket(TcpSocketConfig options) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, options, engine, handler, guard, proxyProtocol, bandwidth, tls);
  }

  public TcpListenerConfig withTexts(GreetingTexts greetingTexts) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, greetingTexts, socket, engine, handler, guard, proxyProtocol, bandwidth, tls);
  }

  public TcpListenerConfig withGuard(TcpGuard g) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, engine, handler, g, proxyProtocol, bandwidth, tls);
  }

  public TcpListenerConfig withProxyProtocol(ProxyProtocolConfig p) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, engine, handler, guard, p, bandwidth, tls);
  }

  public TcpListenerConfig withBandwidth(BandwidthConfig b) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, engine, handler, guard, proxyProtocol, b, tls);
  }

  public TcpListenerConfig withBinding(Binding b) {
    return new TcpListenerConfig(name, protocol, b, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, engine, handler, guard, proxyProtocol, bandwidth, tls);
  }

  public TcpListenerConfig withTls(TlsConfig t) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, engine, handler, guard, proxyProtocol, bandwidth, t);
  }

  public TcpListenerConfig withEngine(Engine e) {
    return new TcpListenerConfig(name, protocol, binding, instances, backlog, idleTimeoutSeconds, maxLineBytes, texts, socket, e, handler, guard, proxyProtocol, bandwidth, tls);
  }

  /**
   * The engine that serves this listener: the configured one, and for {@code auto} the tuned
   * {@link Engine#DIRECT} unless the listener asks for something only {@link Engine#VERTX} has. The one
   * place that decides.
   */
  public Engine engineInUse() {
    if (engine != Engine.AUTO) {
      return engine;
    }
    return vertxOnlySettings().isEmpty() ? Engine.DIRECT : Engine.VERTX;
  }

  /**
   * The keys of this listener's settings that only the {@code vertx} engine honours: a {@code handler:}
   * protocol (it is written against {@code NetSocket}), the PROXY protocol and bandwidth limits (Vert.x's
   * NetServer decodes the header and shapes the traffic), and {@code tls} (its SSL handler, SNI and
   * {@code updateSSLOptions}).
   */
  public List<String> vertxOnlySettings() {
    List<String> keys = new ArrayList<>();
    if (handler != null) {
      keys.add("protocol");
    }
    if (proxyProtocol.enabled()) {
      keys.add("proxyProtocol");
    }
    if (bandwidth.limited()) {
      keys.add("bandwidth");
    }
    if (tls != null) {
      keys.add("tls");
    }
    return keys;
  }

  /**
   * Vert.x server options for this listener: its backlog and socket options under Vert.x's own JSON keys,
   * read by {@code new NetServerOptions(json)} (the options class's own conversion, so a Vert.x key needs no
   * code here). The host and port are given per bound address at listen time. No idle timeout: Vert.x would
   * add a timer per connection (an IdleStateHandler); the listener sweeps its connections instead.
   */
  public NetServerOptions netServerOptions() {
    return new NetServerOptions(vertxJson());
  }

  /** {@link #netServerOptions()} as JSON, before Vert.x reads it. */
  public JsonObject vertxJson() {
    JsonObject json = socket.vertxJson().put("acceptBacklog", backlog);
    proxyProtocol.putVertxOptions(json);
    bandwidth.putVertxOptions(json, binding.addresses().size());
    return json;
  }

  static TcpListenerConfig read(ConfigReader r) {
    String name = ListenerNames.read(r);
    HandlerProtocol handler = readHandler(r);
    TcpProtocol protocol = handler != null ? TcpProtocol.HANDLER : r.requiredChoice("protocol", TcpProtocol.SPELLINGS);
    Binding binding = Binding.read(r);
    int instances = r.integer("instances", DEFAULT_INSTANCES, 0, 1024, "must be an integer in 0..1024 (0 = one per CPU core)");
    int backlog = r.integer("backlog", DEFAULT_BACKLOG, 1, 65535);
    int idle = r.integer("idleTimeoutSeconds", DEFAULT_IDLE_TIMEOUT_SECONDS, 0, 86_400, "must be an integer in 0..86400 (0 = never)");
    int maxLine = r.integer("maxLineBytes", DEFAULT_MAX_LINE_BYTES, 1, 1 << 20);
    GreetingTexts texts = GreetingTexts.read(r.object("texts"));
    TcpSocketConfig socket = TcpSocketConfig.read(r.object("socket"));
    Engine engine = r.choice("engine", DEFAULT_ENGINE, Engine.SPELLINGS);
    TcpGuard guard = TcpGuard.read(r, maxLine);
    ProxyProtocolConfig proxyProtocol = ProxyProtocolConfig.read(r);
    BandwidthConfig bandwidth = BandwidthConfig.read(r);
    TlsConfig tls = TlsConfig.read(r);
    if (protocol != null && protocol != TcpProtocol.GREETING) {
      rejectGreetingOnly(r, handler != null ? handler.configName() : protocol.configName());
    }
    if (handler == null && r.has("options")) {
      r.problems().add(r.at("options") + " applies only to a \"handler:ClassName\" protocol (this listener's protocol is built in)");
    }
    r.finish();
    TcpListenerConfig config = new TcpListenerConfig(name == null ? "" : name, protocol == null ? TcpProtocol.ECHO : protocol,
      binding, instances, backlog, idle, maxLine, texts, socket, engine, handler, guard, proxyProtocol, bandwidth, tls);
    if (engine == Engine.DIRECT) {
      for (String key : config.vertxOnlySettings()) {
        r.problems().add(r.at(key) + " needs \"engine\": \"vertx\" (or \"auto\"); the \"direct\" engine cannot honour it");
      }
    }
    return config;
  }

  /** A listener without lines: the keys about lines are mistakes there ({@code texts.refused} is not). */
  private static void rejectGreetingOnly(ConfigReader r, String protocol) {
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
      r.problems().add(path + " applies only to protocol \"greeting\" (this listener's protocol is \"" + protocol + "\")");
    }
  }

  /**
   * {@code "protocol": "handler:ClassName"} with its optional {@code options}, checked now (before anything
   * binds), or null for a built-in protocol. A class that cannot serve is a problem naming the listener.
   */
  private static HandlerProtocol readHandler(ConfigReader r) {
    if (!(r.raw("protocol") instanceof String spelt) || !spelt.startsWith(HandlerProtocol.PREFIX)) {
      return null;
    }
    JsonObject options = null;
    if (r.has("options")) {
      if (r.raw("options") instanceof JsonObject o) {
        options = o;
      } else {
        r.problems().invalid(r.at("options"), "must be an object", r.raw("options"));
      }
    }
    String className = spelt.substring(HandlerProtocol.PREFIX.length()).strip();
    if (className.isEmpty()) {
      r.problems().add(r.at("protocol") + " names no class (write \"handler:com.example.MyHandler\")");
      return new HandlerProtocol("?", options);
    }
    HandlerProtocol handler = new HandlerProtocol(className, options);
    String problem = handler.problem();
    if (problem != null) {
      r.problems().add(r.at("protocol") + " " + problem);
    }
    return handler;
  }
}
