package dev.netserver.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a TCP listener speaks. */
public enum TcpProtocol {
  /** The textbook exchange: welcome, prompt, one line, the character count, close. */
  GREETING("greeting"),
  /** RFC 862: everything received is sent back. */
  ECHO("echo"),
  /** A class's own {@code Handler<NetSocket>} ({@link HandlerProtocol}), spelt {@code handler:ClassName}. */
  HANDLER("handler");

  /** The built-in protocols by name; a handler is spelt with its class ({@link HandlerProtocol#PREFIX}). */
  static final Map<String, TcpProtocol> SPELLINGS;

  static {
    Map<String, TcpProtocol> spellings = new LinkedHashMap<>(ConfigReader.spellings(TcpProtocol.class, TcpProtocol::configName));
    spellings.remove(HANDLER.configName());
    SPELLINGS = Collections.unmodifiableMap(spellings);
  }

  private final String configName;

  TcpProtocol(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }
}
