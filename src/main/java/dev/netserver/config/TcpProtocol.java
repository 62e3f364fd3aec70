package dev.netserver.config;

import java.util.Map;

/** What a TCP listener speaks. */
public enum TcpProtocol {
  /** The textbook exchange: welcome, prompt, one line, the character count, close. */
  GREETING("greeting"),
  /** RFC 862: everything received is sent back. */
  ECHO("echo");

  static final Map<String, TcpProtocol> SPELLINGS = ConfigReader.spellings(TcpProtocol.class, TcpProtocol::configName);

  private final String configName;

  TcpProtocol(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }
}
