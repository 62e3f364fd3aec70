package dev.netserver.config;

/**
 * What a listener instance needs to know besides its own configuration: the node it runs on, how it
 * reports, how long it may take to stop.
 */
public record ListenerRuntime(String node, StatsConfig stats, ShutdownConfig shutdown) {

  public static ListenerRuntime of(NetserverConfig config) {
    return new ListenerRuntime(config.nodeName(), config.stats(), config.shutdown());
  }
}
