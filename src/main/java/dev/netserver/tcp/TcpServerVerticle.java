package dev.netserver.tcp;

import dev.netserver.config.Binding;
import dev.netserver.config.Engine;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.TcpListenerConfig;
import dev.netserver.config.TcpProtocol;
import dev.netserver.failure.FailureLog;
import dev.netserver.stats.ListenerKind;
import dev.netserver.stats.StatsPublisher;
import dev.netserver.vertx.VertxInsides;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of a TCP listener: the connections on its event loop, their counters, their idle sweep and
 * the shutdown grace, whatever the engine. What differs per engine is how connections arrive:
 *
 * <ul>
 * <li><b>direct</b> (the tuned path): the first instance owns the listening sockets (one per bound address)
 * and hands each accepted connection to the next instance in turn ({@link InstanceGroup}). The sockets are
 * Netty channels made by Vert.x's own transport, with the listener's socket options put on them by
 * {@link #configure} (Vert.x's own mapping; {@code sockopts} checks them through that same call),
 * registered on the verticle's event loop. Not Vert.x's NetServer, because on this path it costs a thread
 * hop per connection (its acceptor thread), two message queues and a NetSocket per connection, and a copy
 * of every buffer read (docs/DESIGN.md has the numbers). A connection is a Netty handler
 * ({@link ChannelAdapter}) that answers from the buffers Netty read.
 * <li><b>vertx</b>: each instance creates a Vert.x {@link NetServer} per bound address, all on the same
 * address and port, so that Vert.x shares the bind and spreads connections over the instances, and serves
 * its {@link NetSocket}s ({@link NetSocketAdapter}). Public API only. A custom protocol's
 * {@code Handler<NetSocket>} runs here only, on a counted socket ({@link HandlerConnection}).
 * </ul>
 *
 * The protocols ({@link GreetingHandler}, {@link EchoHandler}) are written once, over either engine's bytes.
 *
 * <p>A reload may {@link #update} the settings that need no new bind (texts, limits, access lists, timeouts):
 * every instance switches to them on its own event loop, for the connections accepted from then on; a connection
 * already open keeps the texts, line limits and guard slot it started with (its idle timeout follows the sweep,
 * which uses the new one).
 */
public final class TcpServerVerticle extends VerticleBase {

  /** This instance's; a reload may replace it ({@link #update}), on this instance's event loop. */
  private TcpListenerConfig config;
  private final ListenerRuntime runtime;
  /** The first instance of this listener: the one that listens. {@code this} for the first. */
  private final TcpServerVerticle first;
  private final InstanceGroup instances;
  /** Shared by the listener's instances: one rate limit per listener. */
  private final FailureLog failures;
  /** Shared by the listener's instances: its access list and connection limits (a new one after a reload changed them). */
  private volatile ConnectionGuard guard;
  /** Shared by the listener's instances: greeting's {@code maxBufferedBytes}; null when off or not greeting. */
  private LineBudget lineBudget;
  /** {@code texts.refused} and its newline, or nothing. */
  private byte[] refusedText;
  /** The first instance's: every started instance of the listener, for {@link #update}. */
  private final List<TcpServerVerticle> started;
  /** What the listening sockets do when accept() fails; the first instance's, shared by the others. */
  private final AcceptGuard acceptGuard;
  /** vertx engine with the PROXY protocol: counts the connections that send no header in time; else null. */
  private final ProxyHeaderWatch proxyHeaderWatch;
  private final Engine engine;
  /** direct: the first instance's listening sockets. */
  private final List<Channel> listening = new ArrayList<>();
  /** vertx: the first instance's: the listening sockets guarded so far ({@link #guardListening}). */
  private final List<Channel> guardedListening = new CopyOnWriteArrayList<>();
  /** vertx: this instance's servers, one per bound address. */
  private final List<NetServer> servers = new ArrayList<>();
  private final TcpStats stats = new TcpStats();
  private final Set<TcpConnection<?>> connections = new LinkedHashSet<>();
  /** The first instance's: the listener's open connections, over all its instances (read by other threads). */
  private final AtomicInteger open = new AtomicInteger();
  private volatile List<Integer> boundPorts = List.of();
  /**
   * vertx engine, port 0: the negative port by which Vert.x shares one ephemeral port among the servers
   * that ask for it (-1, -2, ...: one shared port per number, per host), unique to this listener so that
   * two listeners on port 0 never share one.
   */
  private final int sharedEphemeralPort;
  private static final AtomicInteger EPHEMERAL_GROUPS = new AtomicInteger();
  /** vertx engine: set on a NetServer's listening channel once the accept guard is on it. */
  private static final AttributeKey<Boolean> GUARDED = AttributeKey.valueOf("netserver.acceptGuard");
  private GreetingProtocol greeting;
  /** A custom protocol's handler, one per instance; null for a built-in protocol. */
  private Handler<NetSocket> custom;
  /** vertx engine: the PROXY protocol's trust check; null when the listener expects no header. */
  private ProxyGate proxyGate;
  /** TLS of the listener ({@code tls} configured): made by the first instance, used by all. */
  private volatile TlsSetup tls;
  private StatsPublisher publisher;
  private EventLoop loop;
  private Promise<Void> drained;
  private long sweepTimer = -1;

  /** The first (listening) instance of a listener. */
  public TcpServerVerticle(TcpListenerConfig config, ListenerRuntime runtime) {
    this(config, runtime, new FailureLog(LoggerFactory.getLogger(TcpConnection.class), config.name()));
  }

  /** The first instance, reporting its connections' exceptions to {@code failures}. */
  TcpServerVerticle(TcpListenerConfig config, ListenerRuntime runtime, FailureLog failures) {
    this.config = config;
    this.runtime = runtime;
    this.first = this;
    this.instances = new InstanceGroup();
    this.failures = failures;
    this.guard = new ConnectionGuard(config.guard().limits(), config.guard().access());
    this.lineBudget = lineBudget(config);
    this.refusedText = refusedText(config);
    this.started = new CopyOnWriteArrayList<>();
    this.engine = config.engineInUse();
    // counted by the first instance, whose counters are the listener's own (on its context: the vertx
    // engine's listening socket runs on Vert.x's acceptor loop)
    this.acceptGuard = new AcceptGuard(config.name(), () -> context.runOnContext(v -> stats.acceptFailures++));
    this.proxyHeaderWatch = config.proxyProtocol().enabled()
      ? new ProxyHeaderWatch(peer -> context.runOnContext(v -> proxyGate.timedOut(peer))) : null;
    this.sharedEphemeralPort = -1 - Math.floorMod(EPHEMERAL_GROUPS.getAndIncrement(), 1 << 30);
  }

  /** A further instance of the listener {@code first} listens for: it serves its share of the connections. */
  public TcpServerVerticle(TcpServerVerticle first) {
    this.config = first.config;
    this.runtime = first.runtime;
    this.first = first;
    this.instances = first.instances;
    this.failures = first.failures;
    this.guard = first.guard;
    this.lineBudget = first.lineBudget;
    this.refusedText = first.refusedText;
    this.started = first.started;
    this.engine = first.engine;
    this.acceptGuard = first.acceptGuard;
    this.proxyHeaderWatch = first.proxyHeaderWatch;
    this.sharedEphemeralPort = first.sharedEphemeralPort;
  }

  @Override
  public Future<?> start() {
    greeting = config.protocol() == TcpProtocol.GREETING ? new GreetingProtocol(config) : null;
    if (config.handler() != null) {
      try {
        custom = config.handler().create();
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return Future.failedFuture(new IllegalStateException(config.name() + ": cannot create " + config.handler().configName(), e));
      }
    }
    Future<?> ready;
    if (engine == Engine.VERTX) {
      ready = startTls().compose(v -> listenVertx());
    } else {
      loop = VertxInsides.eventLoop(context);
      ready = first == this ? listen() : Future.succeededFuture();
    }
    return ready.onSuccess(v -> {
      if (engine == Engine.DIRECT) {
        instances.join(this);
      }
      sweep();
      started.add(this);
      publisher = new StatsPublisher(vertx, runtime.node(), config.name(), ListenerKind.TCP, config.protocolName(), stats::counters);
      publisher.start(runtime.stats().publishIntervalMs());
    });
  }

  private Future<?> listen() {
    List<Future<Channel>> binding = new ArrayList<>();
    for (String address : config.binding().addresses()) {
      binding.add(bind(address, config.binding().port()));
    }
    // join, not all: every bind has finished before a failure closes the ones that succeeded, and the
    // start fails only once they are closed (their ports free again)
    return Future.join(binding).transform(all -> {
      if (all.succeeded()) {
        // in the binding's address order (the binds complete in any order)
        boundPorts = binding.stream().map(f -> ((InetSocketAddress) f.result().localAddress()).getPort()).toList();
        return Future.succeededFuture();
      }
      return Future.join(listening.stream().map(TcpServerVerticle::close).toList())
        .transform(closed -> Future.failedFuture(all.cause()));
    });
  }

  private Future<Channel> bind(String address, int port) {
    VertxInsides insides = VertxInsides.of(vertx);
    ServerBootstrap bootstrap = configure(insides, new ServerBootstrap(), config)
      .group(loop, instances)
      .channelFactory(insides.serverChannelFactory())
      .handler(acceptGuard)
      .childHandler(new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel channel) {
          instances.owner(channel).initConnection(channel);
        }
      });
    Promise<Channel> bound = Promise.promise();
    try {
      InetAddress ip = InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(address));
      bootstrap.bind(new InetSocketAddress(ip, port)).addListener((ChannelFuture f) -> {
        if (f.isSuccess()) {
          listening.add(f.channel());
          bound.complete(f.channel());
        } else {
          bound.fail(f.cause());
        }
      });
    } catch (Exception e) {
      bound.fail(e);
    }
    return bound.future();
  }

  /**
   * Puts a listener's socket options on its bootstrap: the listening socket's and its accepted
   * connections' (child options), as Vert.x's NetServer maps them, with two changes. Every connection
   * allows half-closure (see {@link TcpConnection}). And of the boolean options Vert.x restates as
   * {@code false} when the listener leaves them at Vert.x's default of {@code false} (keep-alive,
   * TCP_CORK, TCP_QUICKACK), none is set: an accepted socket is left as the system makes it, which saves
   * a setsockopt per option per connection (three of the five a greeting made, strace). A {@code false}
   * that is not Vert.x's default ({@code tcpNoDelay}: Netty turns TCP_NODELAY on by itself) is set.
   *
   * <p>The server's listeners and {@code sockopts}' check of them go through this one method.
   */
  public static ServerBootstrap configure(VertxInsides insides, ServerBootstrap bootstrap, TcpListenerConfig config) {
    insides.configure(config.netServerOptions(), bootstrap);
    Map<ChannelOption<?>, Object> unasked = insides.configure(new NetServerOptions(), new ServerBootstrap()).config().childOptions();
    bootstrap.config().childOptions().forEach((option, value) -> {
      if (Boolean.FALSE.equals(value) && Boolean.FALSE.equals(unasked.get(option))) {
        bootstrap.childOption(option, null);
      }
    });
    return bootstrap.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
  }

  /**
   * Sets up an accepted connection's pipeline, on this instance's event loop, if the listener's guard admits
   * the client; before anything is sent to it.
   */
  private void initConnection(Channel channel) {
    if (drained != null) {
      // accepted while this instance stops: it will not be served
      AccessLog.refused(config.name(), channel.remoteAddress(), AccessLog.STOPPING, 0);
      channel.close();
      return;
    }
    SocketAddress client = channel.remoteAddress();
    ConnectionGuard admitting = guard;
    ConnectionGuard.Admission admission = admitting.admit(client);
    if (!admission.admitted()) {
      refusedAtAccept(admission.refusal(), client);
      if (refusedText.length == 0) {
        channel.close();
      } else {
        stats.bytesOut += refusedText.length;
        channel.writeAndFlush(Unpooled.wrappedBuffer(refusedText)).addListener(ChannelFutureListener.CLOSE);
      }
      return;
    }
    TcpConnection<ByteBuf> connection = newConnection();
    connection.admitted(admitting, admission);
    channel.pipeline().addLast("netserver", new ChannelAdapter(connection));
  }

  /** The listener's protocol for one connection, over either engine's buffers. */
  private <B> TcpConnection<B> newConnection() {
    return greeting != null
      ? new GreetingHandler<>(this, stats, config.name(), greeting, lineBudget)
      : new EchoHandler<>(this, stats, config.name());
  }

  /** Counts a client refused or cut off for {@code reason}, and logs it (at most a line a second per reason). */
  void refused(Refusal reason, SocketAddress client) {
    stats.refused(reason);
    failures.warn(reason, () -> "refused a connection from " + GreetingProtocol.clientText(client) + ": " + reason.why(config.guard()));
  }

  /** A client the guard refused before it was served: counted, logged, and its access line (texts.refused its bytes). */
  private void refusedAtAccept(Refusal reason, SocketAddress client) {
    refused(reason, client);
    AccessLog.refused(config.name(), client, reason.key(), refusedText.length);
  }

  /**
   * vertx engine: a NetServer per bound address, from the listener's options under Vert.x's own keys. Every
   * instance listens on the same address and port, which Vert.x then shares among them (the first binds,
   * the others join it); for an ephemeral port that is a negative port of this listener's own. If one
   * address fails, the servers that did listen are closed before the start fails.
   */
  private Future<?> listenVertx() {
    List<String> addresses = config.binding().addresses();
    proxyGate = ProxyGate.of(config.proxyProtocol(), stats, config.name());
    List<Future<NetServer>> listens = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      int port = config.binding().port() != 0 ? config.binding().port() : first.sharedEphemeralPort;
      NetServerOptions options = new NetServerOptions(config.vertxJson().put("host", addresses.get(i)).put("port", port));
      NetServer server = vertx.createNetServer(tls != null ? tls.apply(options) : options);
      servers.add(server);
      listens.add(server.connectHandler(this::connected).exceptionHandler(this::serverFailed).listen());
    }
    return Future.join(listens).transform(all -> {
      if (all.succeeded()) {
        if (first == this) {
          boundPorts = servers.stream().map(NetServer::actualPort).toList();
          if (tls != null) {
            tls.watch(servers, stats);
          }
        }
        return Future.succeededFuture();
      }
      return Future.join(servers.stream().map(NetServer::close).toList())
        .transform(closed -> Future.failedFuture(all.cause()));
    });
  }

  /** The first instance loads the listener's certificates before anything listens; the others share them. */
  private Future<?> startTls() {
    if (config.tls() == null) {
      return Future.succeededFuture();
    }
    if (first != this) {
      tls = first.tls;
      return Future.succeededFuture();
    }
    return TlsSetup.load(vertx, config.name(), config.tls()).onSuccess(t -> tls = t);
  }

  /**
   * Reloads the listener's certificates now if their files changed (as the periodic check does): completes
   * with whether the listener switched to new ones; false also when there is no TLS or the new files do not
   * load (logged and counted in {@code tlsReloadFailures}). Runs on the first instance's context.
   */
  public Future<Boolean> reloadTls() {
    TcpServerVerticle owner = first;
    if (owner.tls == null) {
      return Future.succeededFuture(false);
    }
    Promise<Boolean> reloaded = Promise.promise();
    owner.context.runOnContext(v -> owner.tls.reload(owner.servers, owner.stats).onComplete(reloaded));
    return reloaded.future();
  }

  /**
   * vertx engine: a connection Vert.x accepted, on this instance's context; served (by a built-in or a custom
   * protocol) if the listener's guard admits the client, before anything is sent to it.
   */
  private void connected(NetSocket socket) {
    guardListening(VertxInsides.listeningChannel(socket));
    if (drained != null) {
      AccessLog.refused(config.name(), NetSocketAdapter.clientAddress(socket), AccessLog.STOPPING, 0);
      socket.close();
      return;
    }
    if (proxyGate != null && !proxyGate.admit(socket)) {
      return;
    }
    SocketAddress client = NetSocketAdapter.clientAddress(socket);
    ConnectionGuard admitting = guard;
    ConnectionGuard.Admission admission = admitting.admit(client);
    if (!admission.admitted()) {
      refusedAtAccept(admission.refusal(), client);
      if (refusedText.length == 0) {
        socket.close();
      } else {
        stats.bytesOut += refusedText.length;
        socket.end(Buffer.buffer(refusedText));
      }
      return;
    }
    TcpConnection<Buffer> connection = custom != null
      ? new HandlerConnection(this, stats, config.name(), custom, socket)
      : this.<Buffer>newConnection();
    connection.admitted(admitting, admission);
    NetSocketAdapter.serve(socket, client, connection);
  }

  /** vertx engine: a connection Vert.x closed before handing it over (a bad PROXY header, a failed TLS handshake). */
  private void serverFailed(Throwable cause) {
    if (proxyGate != null && proxyGate.failed(cause)) {
      return;
    }
    if (tls != null && TlsSetup.handshakeFailed(config.name(), stats, cause)) {
      return;
    }
    failures.report(cause, "accept");
  }

  /**
   * vertx engine: puts the accept guard (and, with the PROXY protocol, the header watch) on the NetServer's
   * listening socket, which Vert.x does not expose otherwise, when it accepts its first connection (once per
   * socket: the instances share it). Until then an accept failure is Netty's own affair (docs/RELIABILITY.md).
   */
  private void guardListening(Channel listening) {
    if (listening != null && listening.attr(GUARDED).setIfAbsent(Boolean.TRUE) == null) {
      listening.pipeline().addFirst(AcceptGuard.NAME, acceptGuard);
      if (proxyHeaderWatch != null) {
        listening.pipeline().addAfter(AcceptGuard.NAME, ProxyHeaderWatch.NAME, proxyHeaderWatch);
      }
      first.guardedListening.add(listening);
    }
  }

  /**
   * vertx engine: completes once the guards put on the listening sockets so far act. Netty adds a handler to a
   * pipeline from another thread by a task on the socket's event loop, and until that task has run the handler
   * is passed by: a connection accepted in that moment (the loop handles its I/O before its tasks) is neither
   * guarded nor watched.
   */
  Future<Void> guarded() {
    return Future.join(first.guardedListening.stream().map(channel -> {
      Promise<Void> ran = Promise.promise();
      channel.eventLoop().execute(() -> ran.complete());
      return ran.future();
    }).toList()).mapEmpty();
  }

  /**
   * The instance's periodic sweep, instead of a timer per connection: it closes the connections idle for
   * {@code idleTimeoutSeconds} and those whose protocol deadline passed (greeting: {@code lineTimeoutSeconds}),
   * and (the first instance) lets the guard forget the sources it no longer needs. The sweeps are a quarter of
   * the shortest timeout apart, at most a second, so a connection is closed between its deadline and a quarter
   * of the timeout (or a second) later.
   */
  private void sweep() {
    long idle = TimeUnit.SECONDS.toNanos(config.idleTimeoutSeconds());
    long line = greeting != null ? TimeUnit.SECONDS.toNanos(config.guard().lineTimeoutSeconds()) : 0;
    long period = Long.MAX_VALUE;
    for (long timeout : new long[] {idle, line}) {
      if (timeout > 0) {
        period = Math.min(period, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(timeout) / 4));
      }
    }
    boolean sources = first == this && guard.needsSweep();
    if (period == Long.MAX_VALUE && !sources) {
      return;
    }
    sweepTimer = vertx.setPeriodic(period == Long.MAX_VALUE ? 1000 : Math.max(1, period), t -> {
      long now = System.nanoTime();
      // collected first: closing one removes it from the set
      List<TcpConnection<?>> due = new ArrayList<>();
      for (TcpConnection<?> connection : connections) {
        if ((idle > 0 && connection.idleSince(now - idle)) || (line > 0 && connection.deadlinePassed(now))) {
          due.add(connection);
        }
      }
      for (TcpConnection<?> connection : due) {
        if (idle > 0 && connection.idleSince(now - idle)) {
          connection.timeOut();
        } else {
          connection.deadline();
        }
      }
      if (sources) {
        guard.sweep();
      }
    });
  }

  void opened(TcpConnection<?> connection) {
    if (connections.add(connection)) {
      first.open.incrementAndGet();
    }
  }

  /** A connection closed: it leaves this instance and gives its slot back to the listener's guard. */
  void closed(TcpConnection<?> connection, ConnectionGuard slotGuard, ConnectionGuard.Admission admission) {
    if (admission != null) {
      slotGuard.release(admission);
    }
    if (connections.remove(connection)) {
      first.open.decrementAndGet();
    }
    if (drained != null && connections.isEmpty()) {
      drained.tryComplete();
    }
  }

  /**
   * Stops accepting (the first instance closes the listening sockets, the others stop getting
   * connections), tells each open connection the server is stopping, gives them the grace period to
   * finish, closes the rest, and publishes the final counts.
   */
  @Override
  public Future<?> stop() {
    started.remove(this);
    instances.leave(this);
    vertx.cancelTimer(sweepTimer);
    if (tls != null && first == this) {
      tls.stop();
    }
    long grace = Math.max(1, TimeUnit.SECONDS.toMillis(runtime.shutdown().graceSeconds()));
    List<Future<Void>> closing = new ArrayList<>();
    for (Channel channel : listening) {
      closing.add(close(channel));
    }
    for (NetServer server : servers) {
      // stops accepting at once; the connections are left to the grace below (Vert.x's own shutdown
      // would close them at the same deadline)
      closing.add(server.shutdown(grace, TimeUnit.MILLISECONDS));
    }
    drained = Promise.promise();
    for (TcpConnection<?> connection : List.copyOf(connections)) {
      connection.serverShutdown();
    }
    if (connections.isEmpty()) {
      drained.tryComplete();
    }
    long timer = vertx.setTimer(grace, t -> {
      for (TcpConnection<?> connection : List.copyOf(connections)) {
        connection.close();
      }
    });
    closing.add(drained.future().onComplete(v -> vertx.cancelTimer(timer)));
    return Future.join(closing).andThen(ar -> {
      if (publisher != null) {
        publisher.stop();
      }
    });
  }

  /**
   * Switches the listener to {@code next}, which differs from its configuration only in settings that need no
   * new bind (the reload's comparison decides that): the guard, line budget and texts are made once and every
   * instance takes them, and restarts its sweep with the new timeouts, on its own event loop. Completes once
   * every instance has switched. Call it on the first instance.
   */
  public Future<Void> update(TcpListenerConfig next) {
    ConnectionGuard nextGuard = new ConnectionGuard(next.guard().limits(), next.guard().access());
    LineBudget nextBudget = lineBudget(next);
    byte[] nextRefused = refusedText(next);
    List<Future<Void>> switched = new ArrayList<>();
    for (TcpServerVerticle instance : started) {
      Promise<Void> done = Promise.promise();
      instance.context.runOnContext(v -> {
        instance.config = next;
        instance.guard = nextGuard;
        instance.lineBudget = nextBudget;
        instance.refusedText = nextRefused;
        instance.greeting = next.protocol() == TcpProtocol.GREETING ? new GreetingProtocol(next) : null;
        vertx.cancelTimer(instance.sweepTimer);
        instance.sweepTimer = -1;
        instance.sweep();
        done.complete();
      });
      switched.add(done.future());
    }
    return Future.all(switched).mapEmpty();
  }

  /**
   * Stops taking new connections and leaves the open ones alone, so a listener that replaces this one can bind
   * the same address; a later undeploy drains them. Direct engine only (the first instance's listening sockets);
   * completes once they are closed. Call it on the first instance.
   */
  public Future<Void> stopAccepting() {
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> Future.join(listening.stream().map(TcpServerVerticle::close).toList())
      .<Void>mapEmpty().onComplete(closed));
    return closed.future();
  }

  /** The engine that serves the listener. */
  public Engine engine() {
    return engine;
  }

  private static LineBudget lineBudget(TcpListenerConfig config) {
    int buffered = config.guard().limits().maxBufferedBytes();
    return config.protocol() == TcpProtocol.GREETING && buffered > 0 ? new LineBudget(buffered) : null;
  }

  private static byte[] refusedText(TcpListenerConfig config) {
    return config.texts().refused().isEmpty() ? new byte[0]
      : (config.texts().refused() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Closes a channel; the future completes once it is closed, whatever the outcome. */
  static Future<Void> close(Channel channel) {
    Promise<Void> closed = Promise.promise();
    channel.close().addListener(f -> closed.complete());
    return closed.future();
  }

  /** The listener's open connections now, over all its instances; from any thread. */
  public int openConnections() {
    return first.open.get();
  }

  /** The ports actually bound, one per address of the binding; empty until started. */
  public List<Integer> boundPorts() {
    return first.boundPorts;
  }

  /** The addresses actually bound, as {@code ip:port}; empty until started. */
  public List<String> boundAddresses() {
    List<String> out = new ArrayList<>();
    List<Integer> bound = boundPorts();
    for (int i = 0; i < bound.size(); i++) {
      out.add(Binding.hostAndPort(config.binding().addresses().get(i), bound.get(i)));
    }
    return out;
  }

  /** direct engine: the listening sockets (the first instance's). */
  List<Channel> listeningChannels() {
    return List.copyOf(first.listening);
  }

  EventLoop loop() {
    return loop;
  }

  FailureLog failures() {
    return failures;
  }

  /** The listener's guard (shared by its instances). */
  ConnectionGuard guard() {
    return guard;
  }

  /** The listener's budget of unfinished lines (shared by its instances); null when it has none. */
  LineBudget lineBudget() {
    return lineBudget;
  }

  /** The channels of this instance's open connections (direct engine); on its event loop. */
  List<Channel> connectionChannels() {
    return connections.stream().map(c -> ((ChannelAdapter) c.wire()).channel()).toList();
  }
}
