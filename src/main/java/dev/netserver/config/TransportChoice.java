package dev.netserver.config;

import io.vertx.core.transport.Transport;

import java.util.Map;

/** The {@code transport} key: which Netty transport the Vert.x instance runs on. */
public enum TransportChoice {
  /** The best native transport this machine can load, else NIO with a warning. */
  AUTO("auto"),
  NIO("nio"),
  EPOLL("epoll"),
  IO_URING("io_uring");

  static final Map<String, TransportChoice> SPELLINGS = ConfigReader.spellings(TransportChoice.class, TransportChoice::configName);

  private final String configName;

  TransportChoice(String configName) {
    this.configName = configName;
  }

  /** The spelling used in the configuration file. */
  public String configName() {
    return configName;
  }

  /**
   * The Vert.x transport to build Vert.x with for this choice: {@code auto} takes epoll when it loads,
   * else io_uring, else kqueue, else NIO. Epoll before io_uring because it was measured faster here
   * (docs/BENCHMARKS.md: UDP echo at less than half the rate on io_uring, TCP about even). An explicit native transport is returned even when it can't load:
   * Vert.x then runs NIO, and the server refuses to start, naming the cause.
   */
  public Transport vertxTransport() {
    return switch (this) {
      case NIO -> Transport.NIO;
      case EPOLL -> Transport.EPOLL != null ? Transport.EPOLL : Transport.NIO;
      case IO_URING -> Transport.IO_URING != null ? Transport.IO_URING : Transport.NIO;
      case AUTO -> {
        for (Transport preferred : new Transport[] {Transport.EPOLL, Transport.IO_URING, Transport.KQUEUE}) {
          if (preferred != null && preferred.available()) {
            yield preferred;
          }
        }
        yield Transport.NIO;
      }
    };
  }

  /** The choice named by a configuration value, or {@code null} when the value names none. */
  public static TransportChoice fromConfigName(Object value) {
    return value instanceof String s ? SPELLINGS.get(s) : null;
  }
}
