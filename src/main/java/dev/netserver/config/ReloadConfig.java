package dev.netserver.config;

/**
 * Hot reload's own settings (the {@code reload} object). A reload itself is always possible (SIGHUP,
 * {@code POST /reload}); these only add watching the file.
 *
 * @param watch        reload when the configuration file changes (vertx-config's file store notices it)
 * @param scanPeriodMs how often the file is looked at when {@code watch} is on
 */
public record ReloadConfig(boolean watch, long scanPeriodMs) {

  public static final long DEFAULT_SCAN_PERIOD_MS = 5000;
  public static final ReloadConfig DEFAULT = new ReloadConfig(false, DEFAULT_SCAN_PERIOD_MS);

  public ReloadConfig {
    if (scanPeriodMs < 100) {
      throw new IllegalArgumentException("scanPeriodMs must be >= 100");
    }
  }

  static ReloadConfig read(ConfigReader r) {
    boolean watch = r.bool("watch", false);
    int period = r.integer("scanPeriodMs", (int) DEFAULT_SCAN_PERIOD_MS, 100, 3_600_000);
    r.finish();
    return new ReloadConfig(watch, period);
  }
}
