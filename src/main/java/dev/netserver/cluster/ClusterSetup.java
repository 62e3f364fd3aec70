package dev.netserver.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.config.YamlConfigBuilder;
import dev.netserver.config.ClusterConfig;
import dev.netserver.config.ConfigException;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds and reads the Hazelcast configuration for {@code -cluster}, before anything is started, so that a
 * missing or broken file is one clear line and never a silent fallback to Hazelcast's multicast default
 * (which is what Vert.x's own lookup does with a missing file).
 *
 * <p>Which file: {@code cluster.config} when the configuration names one (it must exist); else
 * {@value ClusterConfig#DEFAULT_CONFIG} when it exists in the working directory; else the copy of it built
 * into the jar as {@value #BUILT_IN}.
 */
public final class ClusterSetup {

  /** The class path resource holding the shipped loopback configuration (the build copies conf/cluster.xml). */
  public static final String BUILT_IN = "cluster.xml";

  private ClusterSetup() {
  }

  /**
   * Where the Hazelcast configuration comes from.
   *
   * @param name how messages name it: the path as written, or the built-in copy
   * @param file the file, or {@code null} for the built-in copy
   */
  public record Source(String name, Path file) {

    public static Source builtIn() {
      return new Source(BUILT_IN + " built into netserver.jar (a copy of " + ClusterConfig.DEFAULT_CONFIG + ")", null);
    }
  }

  /** The file to read: the one the configuration names, else the default file if it exists, else the built-in copy. */
  public static Source choose(ClusterConfig config) {
    return choose(config, Path.of(""));
  }

  /** As {@link #choose(ClusterConfig)}, with relative paths taken from {@code workingDirectory}. */
  static Source choose(ClusterConfig config, Path workingDirectory) {
    if (config.configured()) {
      return new Source(config.config(), workingDirectory.resolve(config.config()));
    }
    Path conventional = workingDirectory.resolve(ClusterConfig.DEFAULT_CONFIG);
    return Files.isRegularFile(conventional) ? new Source(ClusterConfig.DEFAULT_CONFIG, conventional) : Source.builtIn();
  }

  /**
   * Reads and checks the Hazelcast configuration (XML, or YAML for {@code .yaml}/{@code .yml}).
   *
   * @throws ConfigException with one line naming the file when it can't be read or is not a valid configuration
   */
  public static Config load(Source source) {
    if (source.file() != null && Files.isDirectory(source.file())) {
      throw new ConfigException(source.name() + ": cannot read the Hazelcast configuration: it is a directory");
    }
    Config config;
    try (InputStream in = open(source)) {
      config = isYaml(source) ? new YamlConfigBuilder(in).build() : new XmlConfigBuilder(in).build();
    } catch (NoSuchFileException e) {
      throw new ConfigException(source.name() + ": cannot read the Hazelcast configuration: it does not exist");
    } catch (AccessDeniedException e) {
      throw new ConfigException(source.name() + ": cannot read the Hazelcast configuration: permission denied");
    } catch (IOException e) {
      throw new ConfigException(source.name() + ": cannot read the Hazelcast configuration: " + e.getMessage());
    } catch (RuntimeException e) {
      throw new ConfigException(source.name() + ": is not a valid Hazelcast configuration: " + firstLine(e));
    }
    try {
      config.getNetworkConfig().getJoin().verify();
    } catch (RuntimeException e) {
      throw new ConfigException(source.name() + ": is not a valid Hazelcast configuration: " + firstLine(e));
    }
    if (source.file() != null) {
      config.setConfigurationFile(source.file().toFile());
    }
    return config;
  }

  private static InputStream open(Source source) throws IOException {
    if (source.file() != null) {
      return Files.newInputStream(source.file());
    }
    InputStream in = ClusterSetup.class.getClassLoader().getResourceAsStream(BUILT_IN);
    if (in == null) {
      throw new NoSuchFileException(BUILT_IN);
    }
    return in;
  }

  private static boolean isYaml(Source source) {
    String name = source.file() == null ? "" : source.file().getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /** The most telling line of a failure: the deepest cause's message, first line only, trimmed. */
  private static String firstLine(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    String line = message.strip().lines().findFirst().orElse("").strip();
    return line.length() > 300 ? line.substring(0, 297) + "..." : line;
  }

  /**
   * {@code -options} JSON with every event bus option that it leaves out set to its default. Vert.x 5.0.7's
   * {@code EventBusOptions(JsonObject)} leaves them at zero, so that any {@code "eventBusOptions"} object (for TLS,
   * say) fails with "reconnect interval must be >= 1" unless it repeats every default.
   */
  public static JsonObject withEventBusDefaults(JsonObject vertxOptions) {
    if (vertxOptions == null || !(vertxOptions.getValue("eventBusOptions") instanceof JsonObject given)) {
      return vertxOptions;
    }
    JsonObject eventBus = new EventBusOptions().toJson();
    eventBus.fieldNames().removeIf(key -> eventBus.getValue(key) == null);
    return vertxOptions.copy().put("eventBusOptions", eventBus.mergeIn(given));
  }

  /**
   * A one-line account of how this configuration finds peers and where it listens, for the start-up log:
   * {@code cluster name netserver, join tcp-ip [127.0.0.1], interfaces [127.0.0.1], port 5701+}.
   */
  public static String describe(Config config) {
    NetworkConfig network = config.getNetworkConfig();
    JoinConfig join = network.getJoin();
    List<String> joins = new ArrayList<>();
    if (join.getTcpIpConfig().isEnabled()) {
      joins.add("tcp-ip " + join.getTcpIpConfig().getMembers());
    }
    if (join.getMulticastConfig().isEnabled()) {
      joins.add("multicast " + join.getMulticastConfig().getMulticastGroup() + ":" + join.getMulticastConfig().getMulticastPort());
    }
    if (join.getKubernetesConfig().isEnabled()) {
      joins.add("kubernetes");
    }
    if (join.getAwsConfig().isEnabled() || join.getGcpConfig().isEnabled() || join.getAzureConfig().isEnabled()
      || join.getEurekaConfig().isEnabled()) {
      joins.add("cloud discovery");
    }
    if (join.getDiscoveryConfig().isEnabled()) {
      joins.add("discovery SPI");
    }
    if (join.isAutoDetectionEnabled()) {
      joins.add("auto-detection");
    }
    String interfaces = network.getInterfaces().isEnabled() ? network.getInterfaces().getInterfaces().toString() : "all";
    return "cluster name " + config.getClusterName()
      + ", join " + (joins.isEmpty() ? "none (a cluster of one)" : String.join(" + ", joins))
      + ", interfaces " + interfaces
      + (network.getPublicAddress() != null ? ", public address " + network.getPublicAddress() : "")
      + ", port " + network.getPort() + (network.isPortAutoIncrement() ? "+" : "");
  }

  /**
   * Whether this configuration looks for peers by multicast, or by auto-detection, Hazelcast's default when a
   * file leaves {@code <join>} out (which, outside a cloud, is multicast again).
   */
  public static boolean searchesByMulticast(Config config) {
    JoinConfig join = config.getNetworkConfig().getJoin();
    return join.getMulticastConfig().isEnabled() || join.isAutoDetectionEnabled();
  }
}
