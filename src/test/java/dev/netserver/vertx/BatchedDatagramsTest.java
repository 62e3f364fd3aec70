package dev.netserver.vertx;

import dev.netserver.TestTransports;
import io.netty.channel.ChannelOption;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.netserver.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("Vert.x's DatagramSocket with batching (BatchedDatagrams)")
class BatchedDatagramsTest {

  private static final ChannelOption<Integer> MAX_DATAGRAM_PAYLOAD_SIZE = ChannelOption.valueOf("MAX_DATAGRAM_PAYLOAD_SIZE");
  private static final int BURST = 10;

  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  @DisplayName("NIO is left as it is: Vert.x knows it by its class")
  void nioUnwrapped() {
    assertThat(BatchedDatagrams.wrap(Transport.NIO)).isSameAs(Transport.NIO);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "io_uring"})
  @DisplayName("a running Vert.x still names the transport it wraps")
  void namesTheWrappedTransport(String transport) {
    vertx = TestTransports.vertxOn(transport);
    assertThat(VertxInsides.transport(vertx).name()).isEqualTo(transport);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "io_uring"})
  @DisplayName("a socket made for netserver keeps its read burst, reads several datagrams per call and holds flushes to the end of a burst")
  void configuresTheChannel(String transport) {
    DatagramChannel channel = configured(transport, true);
    MaxMessagesRecvByteBufAllocator allocator = channel.config().getRecvByteBufAllocator();
    assertThat(allocator.maxMessagesPerRead()).isEqualTo(BatchedDatagrams.READS_PER_WAKEUP);
    assertThat(channel.config().getOption(MAX_DATAGRAM_PAYLOAD_SIZE)).isEqualTo(65);
    assertThat(channel.pipeline().get("flushes")).isNotNull();
    assertThat(channel.config().getReceiveBufferSize()).isGreaterThanOrEqualTo(256 * 1024); // SO_RCVBUF stays Vert.x's
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "io_uring"})
  @DisplayName("any other datagram socket is Vert.x's own")
  void othersUntouched(String transport) {
    DatagramChannel channel = configured(transport, false);
    MaxMessagesRecvByteBufAllocator allocator = channel.config().getRecvByteBufAllocator();
    assertThat(allocator.maxMessagesPerRead()).isEqualTo(1);
    assertThat(channel.pipeline().get("flushes")).isNull();
  }

  /**
   * A datagram channel configured by the batching transport on {@code transport}, as {@code DatagramSocketImpl}
   * configures it (a 256 KiB receive buffer), inside {@link BatchedDatagrams#batched} with a 65-byte slot or not,
   * and then set to one read per wake-up, as {@code DatagramSocketImpl} does next.
   */
  private DatagramChannel configured(String transport, boolean forNetserver) {
    vertx = TestTransports.vertxOn(transport);
    io.vertx.core.spi.transport.Transport batching = BatchedDatagrams.wrap(VertxInsides.transport(vertx)).implementation();
    DatagramChannel channel = VertxInsides.of(vertx).datagramChannel(false);
    DatagramSocketOptions options = new DatagramSocketOptions().setReceiveBufferSize(256 * 1024);
    if (forNetserver) {
      BatchedDatagrams.batched(65, () -> {
        batching.configure(channel, options);
        return null;
      });
    } else {
      batching.configure(channel, options);
    }
    ((MaxMessagesRecvByteBufAllocator) channel.config().getRecvByteBufAllocator()).maxMessagesPerRead(1);
    return channel;
  }

  /**
   * Datagrams queued while the event loop is held are all handled before a task the first one's handler
   * queues: one burst.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"epoll", "io_uring"})
  @DisplayName("a burst of queued datagrams is handled in one event-loop turn")
  void oneTurnPerBurst(String transport) throws Exception {
    vertx = TestTransports.vertxOn(transport);
    assertThat(handledBeforeATask(() -> BatchedDatagrams.batched(65, () -> vertx.createDatagramSocket(new DatagramSocketOptions()))))
      .isEqualTo(BURST);
  }

  /** What the batching changes, and that the test above tells it apart: on io_uring Vert.x's own socket reads a burst too. */
  @Test
  @DisplayName("on epoll, Vert.x's own socket handles one datagram per event-loop turn")
  void vertxOwnSocketOnEpoll() throws Exception {
    vertx = TestTransports.vertxOn("epoll");
    assertThat(handledBeforeATask(() -> vertx.createDatagramSocket(new DatagramSocketOptions()))).isEqualTo(1);
  }

  @Test
  @DisplayName("replies written in a burst all reach the client")
  void repliesOfABurst() throws Exception {
    vertx = TestTransports.vertxOn("epoll");
    Context context = vertx.getOrCreateContext();
    Promise<DatagramSocket> made = Promise.promise();
    context.runOnContext(v -> {
      DatagramSocket socket = BatchedDatagrams.batched(65, () -> vertx.createDatagramSocket(new DatagramSocketOptions()));
      socket.handler(p -> socket.send(p.data(), p.sender().port(), p.sender().hostAddress()));
      socket.listen(0, "127.0.0.1").onComplete(made);
    });
    int port = await(made.future()).localAddress().port();
    try (java.net.DatagramSocket client = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      client.setSoTimeout(5000);
      CountDownLatch held = hold(context);
      for (int i = 0; i < BURST; i++) {
        client.send(new DatagramPacket(new byte[] {(byte) i}, 1, new InetSocketAddress("127.0.0.1", port)));
      }
      held.countDown();
      boolean[] seen = new boolean[BURST];
      for (int i = 0; i < BURST; i++) {
        DatagramPacket reply = new DatagramPacket(new byte[16], 16);
        client.receive(reply);
        assertThat(reply.getLength()).isEqualTo(1);
        seen[reply.getData()[0]] = true;
      }
      assertThat(seen).containsOnly(true);
    }
  }

  /** How many of {@link #BURST} datagrams, queued while the loop was held, the socket handled before a task queued by the first. */
  private int handledBeforeATask(Supplier<DatagramSocket> create) throws Exception {
    Context context = vertx.getOrCreateContext();
    Promise<DatagramSocket> made = Promise.promise();
    Promise<Integer> atTask = Promise.promise();
    int[] handled = {0};
    context.runOnContext(v -> {
      DatagramSocket socket = create.get();
      socket.handler(p -> {
        if (handled[0]++ == 0) {
          context.runOnContext(t -> atTask.tryComplete(handled[0]));
        }
      });
      socket.listen(0, "127.0.0.1").onComplete(made);
    });
    DatagramSocket socket = await(made.future());
    try (java.net.DatagramSocket client = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      CountDownLatch held = hold(context);
      for (int i = 0; i < BURST; i++) {
        client.send(new DatagramPacket(new byte[] {(byte) i}, 1, new InetSocketAddress("127.0.0.1", socket.localAddress().port())));
      }
      held.countDown();
      return await(atTask.future());
    } finally {
      await(socket.close());
    }
  }

  /** Holds the context's event loop until the returned latch is released, so datagrams queue in the kernel. */
  private static CountDownLatch hold(Context context) throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    context.runOnContext(v -> {
      holding.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    return release;
  }
}
