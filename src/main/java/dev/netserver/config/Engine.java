package dev.netserver.config;

import java.util.Map;

/**
 * The {@code engine} key of a listener: which of netserver's two data paths serves it. Both behave the same on
 * the wire; they differ in what they offer and what they cost (docs/DESIGN.md).
 */
public enum Engine {
  /** {@link #DIRECT} unless the listener asks for something only {@link #VERTX} has; then {@link #VERTX}. */
  AUTO("auto"),
  /** Vert.x's public API: {@code NetServer} and {@code NetSocket}, {@code DatagramSocket}. */
  VERTX("vertx"),
  /** The tuned path: Netty channels made by Vert.x's transport, on the verticles' event loops. */
  DIRECT("direct");

  static final Map<String, Engine> SPELLINGS = ConfigReader.spellings(Engine.class, Engine::configName);

  private final String configName;

  Engine(String configName) {
    this.configName = configName;
  }

  /** The spelling in the configuration file and in log lines. */
  public String configName() {
    return configName;
  }
}
