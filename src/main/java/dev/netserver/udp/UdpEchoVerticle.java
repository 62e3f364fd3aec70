package dev.netserver.udp;

import dev.netserver.config.Binding;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.failure.FailureLog;
import dev.netserver.stats.Counters;
import dev.netserver.stats.ListenerKind;
import dev.netserver.stats.StatsPublisher;
import dev.netserver.vertx.BatchedDatagrams;
import dev.netserver.vertx.VertxInsides;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One instance of a UDP echo listener: a socket per bound address, on this verticle's event loop, echoing by
 * {@link EchoRules}. The listener's engine makes the sockets:
 * <ul>
 *   <li>{@code direct}: a Netty datagram channel created and configured by Vert.x's own transport (the
 *   same calls Vert.x's {@code DatagramSocket} makes, so every option maps exactly as it would there), with
 *   {@link UdpEchoHandler} doing the echo.</li>
 *   <li>{@code vertx}: Vert.x's public {@code DatagramSocket} ({@link VertxDatagramEcho}).</li>
 * </ul>
 *
 * <p>Why the direct path: {@code vertx.createDatagramSocket()} registers the channel before its caller can
 * size the receive buffer, and the size it picks is either Netty's 2 KiB or {@code SO_RCVBUF} itself, one
 * datagram per read, each copied and dispatched through the context. The direct path sizes its buffer to
 * {@code maxDatagramBytes + 1} slots before registration (io_uring posts its first read at registration),
 * reads several datagrams per system call on a native transport, and echoes the received buffer itself.
 */
public final class UdpEchoVerticle extends VerticleBase {

  /** How often idle per-source rate buckets are forgotten. */
  private static final long SWEEP_INTERVAL_MS = 1000;

  /** A bound socket of either engine. */
  interface EchoSocket {
    InetSocketAddress localAddress();

    /** Completes once the socket is closed, failed or not. */
    Future<Void> close();
  }

  /** This instance's; a reload may replace it ({@link #update}), on this instance's event loop. */
  private UdpListenerConfig config;
  private final ListenerRuntime runtime;
  private final List<Integer> ports;
  /** Every socket opened, bound or not yet, so that a failed start and stop close them all. */
  private final List<EchoSocket> sockets = new ArrayList<>();
  private final UdpStats stats = new UdpStats();
  /** This instance's own: UDP instances are separate sockets, each with its rate limit. */
  private final FailureLog failures;
  /** The listener's {@code limits}: shared by all its instances (a new one after a reload changed them). */
  private DatagramRates rates;
  /** The first instance's: every started instance of the listener, for {@link #update}. */
  private final List<UdpEchoVerticle> started;
  /** This instance's echo rules, shared by its sockets; null until started. */
  private EchoRules rules;
  private SourcePolicy.Host host;
  private volatile List<Integer> boundPorts = List.of();
  /** The ports this instance put in {@link OwnPorts#PROCESS}, to take out at stop. */
  private List<Integer> ownPorts = List.of();
  private KernelDrops kernelDrops = KernelDrops.NONE;
  private boolean readingKernelDrops;
  private long sweepTimer = -1;
  private StatsPublisher publisher;

  /**
   * @param ports the port to bind for each of the binding's addresses, in order: the configured port, or,
   *              for the further instances of a listener on port 0, the ports its first instance got
   */
  UdpEchoVerticle(UdpListenerConfig config, ListenerRuntime runtime, List<Integer> ports) {
    this(config, runtime, ports, new DatagramRates(config.name(), config.limits()), new CopyOnWriteArrayList<>());
  }

  private UdpEchoVerticle(UdpListenerConfig config, ListenerRuntime runtime, List<Integer> ports, DatagramRates rates,
                          List<UdpEchoVerticle> started) {
    if (ports.size() != config.binding().addresses().size()) {
      throw new IllegalArgumentException("one port per address");
    }
    this.config = config;
    this.runtime = runtime;
    this.ports = List.copyOf(ports);
    this.rates = rates;
    this.started = started;
    this.failures = new FailureLog(LoggerFactory.getLogger(UdpEchoHandler.class), config.name());
  }

  /** A listener's first instance, on the configured ports. */
  public UdpEchoVerticle(UdpListenerConfig config, ListenerRuntime runtime) {
    this(config, runtime, config.binding().addresses().stream().map(a -> config.binding().port()).toList());
  }

  /**
   * A further instance of {@code first}'s listener, once {@code first} has started: the ports it bound (with
   * reusePort), and the same rate limits, which count the datagrams of all instances together.
   */
  public UdpEchoVerticle(UdpEchoVerticle first) {
    this(first.config, first.runtime, first.boundPorts(), first.rates, first.started);
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(SourcePolicy.Host::scan, false).compose(this::listen);
  }

  private Future<?> listen(SourcePolicy.Host host) {
    this.host = host;
    SourcePolicy policy = new SourcePolicy(config.blockedSourcePorts(), host, OwnPorts.PROCESS);
    rules = new EchoRules(config.name(), config.maxDatagramBytes(), policy, rates.gate(), stats);
    List<String> addresses = config.binding().addresses();
    List<Future<EchoSocket>> listening = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      listening.add(bind(addresses.get(i), ports.get(i), rules));
    }
    // join, not all: every bind has finished before a failure closes the sockets that did bind, and the
    // start fails only once they are closed (their ports free again)
    return Future.join(listening).transform(all -> {
      if (all.failed()) {
        return closeAll().transform(closed -> Future.failedFuture(all.cause()));
      }
      List<InetSocketAddress> bound = listening.stream().map(f -> f.result().localAddress()).toList();
      boundPorts = bound.stream().map(InetSocketAddress::getPort).toList();
      ownPorts = boundPorts;
      ownPorts.forEach(OwnPorts.PROCESS::add);
      started.add(this);
      sweep();
      // a failure to read /proc costs only droppedKernel, never the listener
      return vertx.executeBlocking(() -> KernelDrops.claim(config.name(), bound), false).otherwise(KernelDrops.NONE).map(drops -> {
        kernelDrops = drops;
        publisher = new StatsPublisher(vertx, runtime.node(), config.name(), ListenerKind.UDP, config.protocol().configName(), this::counters);
        publisher.start(runtime.stats().publishIntervalMs());
        return null;
      });
    });
  }

  /**
   * The counters for a snapshot. {@code droppedKernel} is the value read for the previous one: reading
   * /proc/net/udp walks the kernel's whole UDP table, so it is done on a worker, once per snapshot at most.
   */
  private Counters counters() {
    if (kernelDrops != KernelDrops.NONE && !readingKernelDrops) {
      readingKernelDrops = true;
      KernelDrops reading = kernelDrops;
      vertx.executeBlocking(reading::read, false).onComplete(read -> {
        readingKernelDrops = false;
        // never down: a read that lands after the sockets closed finds none of them
        if (read.succeeded()) {
          stats.droppedKernel = Math.max(stats.droppedKernel, read.result());
        }
      });
    }
    return stats.counters();
  }

  private Future<EchoSocket> bind(String address, int port, EchoRules rules) {
    return switch (config.engineInUse()) {
      case VERTX -> VertxDatagramEcho.bind(vertx, config, address, port, rules, failures, sockets::add);
      case DIRECT, AUTO -> bindDirect(address, port, rules);
    };
  }

  /**
   * Binds one channel. Whatever fails on the way fails the returned future, never a callback that throws
   * and leaves it pending (which would hang the deployment). A channel that registered is in
   * {@link #sockets}, so a failed start closes it; one that did not is closed here.
   */
  private Future<EchoSocket> bindDirect(String address, int port, EchoRules rules) {
    Promise<EchoSocket> bound = Promise.promise();
    try {
      InetSocketAddress local = new InetSocketAddress(InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(address)), port);
      boolean ipv6 = address.contains(":");
      VertxInsides insides = VertxInsides.of(vertx);
      DatagramChannel channel = insides.datagramChannel(ipv6);
      try {
        configure(insides, channel, config, ipv6);
        channel.pipeline().addLast("netserver-udp-echo", new UdpEchoHandler(rules, failures));
      } catch (RuntimeException e) {
        channel.unsafe().closeForcibly();
        throw e;
      }
      EchoSocket socket = new EchoSocket() {
        @Override
        public InetSocketAddress localAddress() {
          return channel.localAddress();
        }

        @Override
        public Future<Void> close() {
          Promise<Void> closed = Promise.promise();
          channel.close().addListener(f -> closed.complete());
          return closed.future();
        }
      };
      VertxInsides.eventLoop(context).register(channel).addListener(registered -> {
        if (!registered.isSuccess()) {
          channel.unsafe().closeForcibly();
          bound.fail(registered.cause());
          return;
        }
        sockets.add(socket);
        channel.bind(local).addListener((ChannelFuture f) -> {
          if (f.isSuccess()) {
            // Netty's io_uring counts a datagram socket active from its creation, so its first read was armed at
            // registration, before the bind: then, in a few starts in a hundred, the first datagram stayed
            // unread until a second one arrived (measured: 1-9 of 200 starts; epoll and NIO 0 of 200). A read
            // asked for once bound: 0 of 300. Elsewhere it is the read already pending.
            channel.read();
          }
          bound.handle(f.isSuccess() ? Future.succeededFuture(socket) : Future.failedFuture(f.cause()));
        });
      });
    } catch (Exception e) {
      bound.fail(e);
    }
    return bound.future();
  }

  /**
   * Sets every option of a listener's datagram channel, before it is registered: the socket options as
   * Vert.x maps them, and a receive buffer of {@code maxDatagramBytes + 1} (a datagram that fills it was
   * larger than the limit: the kernel cut it). {@code sockopts} checks its sockets through this too.
   */
  public static void configure(VertxInsides insides, DatagramChannel channel, UdpListenerConfig config, boolean ipv6) {
    insides.configure(channel, config.socket().toDatagramSocketOptions(ipv6));
    BatchedDatagrams.readInBursts(channel, config.maxDatagramBytes() + 1);
  }

  private Future<?> closeAll() {
    return Future.join(sockets.stream().map(EchoSocket::close).toList());
  }

  /** Forgets idle per-source rate buckets now and then, when the listener has a per-source rate. */
  private void sweep() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
    DatagramRates swept = rates;
    if (swept.perSource()) {
      sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> swept.sweep());
    }
  }

  /**
   * Switches the listener to {@code next}, which differs from its configuration only in {@code limits} and
   * {@code blockedSourcePorts} (the reload's comparison decides that): new rate limits, shared by the instances,
   * and a new source policy, which every instance takes on its own event loop, for the datagrams it reads from
   * then on. Completes once every instance has switched. Call it on the first instance.
   */
  public Future<Void> update(UdpListenerConfig next) {
    DatagramRates nextRates = new DatagramRates(next.name(), next.limits());
    List<Future<Void>> switched = new ArrayList<>();
    for (UdpEchoVerticle instance : started) {
      Promise<Void> done = Promise.promise();
      instance.context.runOnContext(v -> {
        instance.config = next;
        instance.rates = nextRates;
        instance.rules.update(new SourcePolicy(next.blockedSourcePorts(), instance.host, OwnPorts.PROCESS), nextRates.gate());
        instance.sweep();
        done.complete();
      });
      switched.add(done.future());
    }
    return Future.all(switched).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    started.remove(this);
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    return closeAll().andThen(ar -> {
      ownPorts.forEach(OwnPorts.PROCESS::remove);
      ownPorts = List.of();
      kernelDrops.release();
      if (publisher != null) {
        publisher.stop();
      }
    });
  }

  /** The ports actually bound, one per address of the binding; empty until started. */
  public List<Integer> boundPorts() {
    return boundPorts;
  }

  /** The bound addresses as {@code ip:port}. */
  public List<String> boundAddresses() {
    List<String> out = new ArrayList<>();
    List<Integer> bound = boundPorts;
    for (int i = 0; i < bound.size(); i++) {
      out.add(Binding.hostAndPort(config.binding().addresses().get(i), bound.get(i)));
    }
    return out;
  }
}
