package dev.netserver;

import dev.netserver.config.ConfigException;
import dev.netserver.config.NetserverConfig;
import dev.netserver.config.TransportChoice;
import dev.netserver.vertx.VertxInsides;
import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code transport} setting: which Vert.x transport to build Vert.x with, and, once it runs,
 * whether what runs is what the configuration asked for. Vert.x falls back to NIO silently when a
 * native transport can't load; here that fallback is a warning under {@code auto} and an error otherwise.
 */
final class Transports {

  private static final Logger LOG = LoggerFactory.getLogger(Transports.class);

  private Transports() {
  }

  /** The name ({@code nio}, {@code epoll}, {@code io_uring}) of the transport a Vert.x instance runs on. */
  static String running(Vertx vertx) {
    return VertxInsides.transport(vertx).name();
  }

  /**
   * Compares the running transport with the configured one. Under {@code auto} a NIO fallback is
   * logged once as a warning naming the cause and every configured option that has no effect; an
   * explicit choice that isn't what runs is an error.
   */
  static void check(Vertx vertx, NetserverConfig config, String source) {
    String running = running(vertx);
    if (running.equals("io_uring")) {
      LOG.warn("transport io_uring: out of file descriptors, Netty's io_uring retries accept() in a loop that netserver"
        + " can slow but not stop (measured: about 30% of a core while 600 clients wait under ulimit -n 256, against"
        + " 1% on epoll; docs/OPERATIONS.md); prefer epoll where descriptors can run out");
    }
    TransportChoice wanted = config.transport();
    Throwable cause = vertx.unavailableNativeTransportCause();
    if (wanted == TransportChoice.AUTO) {
      if (!running.equals("nio")) {
        return;
      }
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < config.udp().size(); i++) {
        if (config.udp().get(i).instances() > 1) {
          problems.add(source + ": udp[" + i + "].instances is " + config.udp().get(i).instances()
            + ", but transport \"auto\" fell back to NIO, where several sockets can't share one UDP port"
            + because(cause));
        }
      }
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      List<String> noEffect = config.nativeOnlyOptionsInUse();
      Transport nativeTransport = Transport.nativeTransport();
      boolean nativeLoads = nativeTransport != null && nativeTransport.available();
      if (!nativeLoads || !noEffect.isEmpty()) {
        Throwable why = cause != null ? cause : nativeTransport == null ? null : nativeTransport.unavailabilityCause();
        LOG.warn("transport \"auto\": running on NIO{}{}", nativeLoads
            ? " (this Vert.x instance was built without a native transport)"
            : ", no native transport can load here" + because(why),
          noEffect.isEmpty() ? "" : "; these configured options have no effect on NIO: " + String.join(", ", noEffect));
      }
      return;
    }
    if (!running.equals(wanted.configName())) {
      String reason = !running.equals("nio") || wanted == TransportChoice.NIO || cause == null
        ? "this Vert.x instance runs " + running + " (netserver's own launcher, java -jar netserver.jar, builds Vert.x"
          + " with the configured transport)"
        : "it cannot load here: " + cause;
      throw new ConfigException(source + ": transport is \"" + wanted.configName() + "\", but " + reason);
    }
  }

  private static String because(Throwable cause) {
    return cause == null ? "" : " (" + cause + ")";
  }
}
