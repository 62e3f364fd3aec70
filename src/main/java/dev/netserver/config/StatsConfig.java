package dev.netserver.config;

/**
 * @param publishIntervalMs  how often each listener instance publishes its counters on the event bus
 * @param logIntervalSeconds how often the reporting verticle logs a summary line per listener; 0 = never
 */
public record StatsConfig(int publishIntervalMs, int logIntervalSeconds) {

  public static final int DEFAULT_PUBLISH_INTERVAL_MS = 1000;
  public static final int DEFAULT_LOG_INTERVAL_SECONDS = 10;

  public StatsConfig {
    if (publishIntervalMs < 10) {
      throw new IllegalArgumentException("publishIntervalMs must be >= 10");
    }
    if (logIntervalSeconds < 0) {
      throw new IllegalArgumentException("logIntervalSeconds must be >= 0");
    }
  }

  static StatsConfig read(ConfigReader r) {
    int publish = r.integer("publishIntervalMs", DEFAULT_PUBLISH_INTERVAL_MS, 10, 3_600_000);
    int log = r.integer("logIntervalSeconds", DEFAULT_LOG_INTERVAL_SECONDS, 0, 86_400);
    r.finish();
    return new StatsConfig(publish, log);
  }
}
