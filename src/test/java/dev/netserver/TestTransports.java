package dev.netserver;

import dev.netserver.vertx.BatchedDatagrams;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The transports a test runs on, by the names the configuration uses. A test lists every one of them and
 * asks {@link #vertxOn} for each: where one does not load, that case is a reported skip, saying why (and
 * .ci/skips.py fails CI on it), never a case that quietly disappears.
 */
public final class TestTransports {

  private TestTransports() {
  }

  /** Every transport, whether or not it loads here: a {@code @MethodSource} for parameterized tests. */
  public static Stream<String> all() {
    return Stream.of("nio", "epoll", "io_uring");
  }

  /** A Vert.x on that transport; the test is skipped, saying why, where the transport does not load. */
  public static Vertx vertxOn(String transport) {
    return vertxOn(transport, new VertxOptions());
  }

  /** The same, with these options. */
  public static Vertx vertxOn(String transport, VertxOptions options) {
    Transport t = switch (transport) {
      case "nio" -> Transport.NIO;
      case "epoll" -> Transport.EPOLL;
      case "io_uring" -> Transport.IO_URING;
      default -> throw new IllegalArgumentException("no transport " + transport);
    };
    assumeTrue(t != null && t.available(), () -> transport + " does not load here: "
      + (t == null ? "not on the class path" : t.unavailabilityCause()));
    return Vertx.builder().with(options).withTransport(BatchedDatagrams.wrap(t)).build();
  }
}
