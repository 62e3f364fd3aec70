package dev.netserver.udp;

import dev.netserver.config.Binding;
import dev.netserver.config.ListenerRuntime;
import dev.netserver.config.UdpListenerConfig;
import dev.netserver.stats.StatsPublisher;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.datagram.DatagramSocket;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One instance of a UDP echo listener: a Vert.x {@link DatagramSocket} per bound address, with the echo
 * itself done by {@link UdpEchoHandler} in the socket's channel pipeline, ahead of Vert.x's packet
 * dispatch (which would copy each datagram and format its sender as a String).
 */
public final class UdpEchoVerticle extends VerticleBase {

  /** Datagrams read per wake-up before the replies are flushed together. */
  private static final int READS_PER_WAKEUP = 16;

  private final UdpListenerConfig config;
  private final ListenerRuntime runtime;
  private final List<Integer> ports;
  private final List<DatagramSocket> sockets = new ArrayList<>();
  private final UdpStats stats = new UdpStats();
  private volatile List<Integer> boundPorts = List.of();
  private StatsPublisher publisher;

  /**
   * @param ports the port to bind for each of the binding's addresses, in order: the configured port, or,
   *              for the further instances of a listener on port 0, the ports its first instance got
   */
  public UdpEchoVerticle(UdpListenerConfig config, ListenerRuntime runtime, List<Integer> ports) {
    if (ports.size() != config.binding().addresses().size()) {
      throw new IllegalArgumentException("one port per address");
    }
    this.config = config;
    this.runtime = runtime;
    this.ports = List.copyOf(ports);
  }

  public UdpEchoVerticle(UdpListenerConfig config, ListenerRuntime runtime) {
    this(config, runtime, config.binding().addresses().stream().map(a -> config.binding().port()).toList());
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(SourcePolicy::broadcastAddresses, false).compose(this::listen);
  }

  private Future<?> listen(Set<InetAddress> broadcastAddresses) {
    SourcePolicy policy = new SourcePolicy(config.blockedSourcePorts(), broadcastAddresses);
    List<String> addresses = config.binding().addresses();
    List<Future<DatagramSocket>> listening = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      String address = addresses.get(i);
      DatagramSocket socket = vertx.createDatagramSocket(config.socket().toDatagramSocketOptions(address.contains(":")));
      DatagramChannel channel = DatagramChannels.of(socket);
      // limit + 1: a datagram that fills the buffer was larger than the limit (the kernel cut it)
      channel.config().setRecvByteBufAllocator(
        new FixedRecvByteBufAllocator(config.maxDatagramBytes() + 1).maxMessagesPerRead(READS_PER_WAKEUP));
      channel.pipeline().addBefore("handler", "netserver-udp-echo",
        new UdpEchoHandler(config.name(), config.maxDatagramBytes(), policy, stats));
      sockets.add(socket);
      listening.add(socket.listen(ports.get(i), address));
    }
    return Future.all(listening).onSuccess(all -> {
      boundPorts = sockets.stream().map(s -> s.localAddress().port()).toList();
      publisher = new StatsPublisher(vertx, runtime.node(), config.name(), "udp", config.protocol().configName(), stats::toJson);
      publisher.start(runtime.stats().publishIntervalMs());
    });
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> closing = new ArrayList<>();
    for (DatagramSocket socket : sockets) {
      closing.add(socket.close());
    }
    return Future.join(closing).andThen(ar -> {
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
