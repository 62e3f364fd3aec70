package dev.netserver.config;

/** @param graceSeconds how long exchanges in progress may take to finish after a stop is asked for */
public record ShutdownConfig(int graceSeconds) {

  public static final int DEFAULT_GRACE_SECONDS = 5;

  public ShutdownConfig {
    if (graceSeconds < 0) {
      throw new IllegalArgumentException("graceSeconds must be >= 0");
    }
  }

  static ShutdownConfig read(ConfigReader r) {
    int grace = r.integer("graceSeconds", DEFAULT_GRACE_SECONDS, 0, 3600);
    r.finish();
    return new ShutdownConfig(grace);
  }
}
