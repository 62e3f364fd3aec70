package dev.netserver.config;

import java.util.Locale;

/**
 * How this node joins a cluster when started with {@code -cluster}; unused without it.
 *
 * @param config the Hazelcast configuration file (XML or YAML) as written in the configuration, or
 *               {@code null} for the default: {@value #DEFAULT_CONFIG} when it exists in the working
 *               directory, else the same loopback configuration built into the jar
 */
public record ClusterConfig(String config) {

  /** The Hazelcast configuration used when {@code cluster.config} is not set, relative to the working directory. */
  public static final String DEFAULT_CONFIG = "conf/cluster.xml";

  public static final ClusterConfig DEFAULT = new ClusterConfig(null);

  public ClusterConfig {
    if (config != null && !hasKnownExtension(config)) {
      throw new IllegalArgumentException("config must name a .xml, .yaml or .yml file");
    }
  }

  /** Whether the configuration names a Hazelcast file (and so means to be clustered). */
  public boolean configured() {
    return config != null;
  }

  static ClusterConfig read(ConfigReader r) {
    String config = r.string("config", null);
    r.finish();
    if (config != null && (config.isBlank() || !hasKnownExtension(config))) {
      r.problems().invalid(r.at("config"), "must be the path of a Hazelcast XML or YAML file (.xml, .yaml or .yml)", config);
      config = null;
    }
    return new ClusterConfig(config);
  }

  private static boolean hasKnownExtension(String path) {
    String lower = path.strip().toLowerCase(Locale.ROOT);
    return lower.length() > 4 && (lower.endsWith(".xml") || lower.endsWith(".yaml") || lower.endsWith(".yml"));
  }
}
