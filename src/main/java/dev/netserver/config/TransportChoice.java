package dev.netserver.config;

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

  /** The choice named by a configuration value, or {@code null} when the value names none. */
  public static TransportChoice fromConfigName(Object value) {
    return value instanceof String s ? SPELLINGS.get(s) : null;
  }
}
