package dev.netserver.config;

import java.util.Map;

/** What a UDP listener speaks. */
public enum UdpProtocol {
  /** RFC 862 over UDP: each datagram is sent back to its sender. */
  ECHO("echo");

  static final Map<String, UdpProtocol> SPELLINGS = ConfigReader.spellings(UdpProtocol.class, UdpProtocol::configName);

  private final String configName;

  UdpProtocol(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }
}
