package dev.netserver.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the configuration comes from: a JSON file (the usual {@code -conf conf/config.json}) or a JSON
 * object handed over directly (inline {@code -conf '{...}'}, a deployment's {@code config()}).
 *
 * @param name how problems name the source: the file path as given, or a description
 * @param file the file, or {@code null} for an inline object
 * @param json the inline object, or {@code null} for a file
 */
public record ConfigSource(String name, Path file, JsonObject json) {

  /** The configuration {@code ./run.sh} passes, read by the commands when they get no {@code -conf}. */
  public static final Path DEFAULT_FILE = Path.of("conf", "config.json");
  /** How problems name the configuration when there is neither {@code -conf} nor {@link #DEFAULT_FILE}. */
  public static final String BUILT_IN = "built-in defaults";

  public ConfigSource {
    Objects.requireNonNull(name, "name");
    if ((file == null) == (json == null)) {
      throw new IllegalArgumentException("exactly one of file and json");
    }
  }

  public static ConfigSource file(Path file) {
    return new ConfigSource(file.toString(), file, null);
  }

  public static ConfigSource inline(String name, JsonObject json) {
    return new ConfigSource(name, null, json);
  }

  /**
   * What a command ({@code sockopts}, {@code stats}) reads: the {@code -conf} file when given, else
   * {@link #DEFAULT_FILE} when it exists in the working directory, else the built-in defaults.
   */
  public static ConfigSource forCommand(String conf) {
    return conf != null ? file(Path.of(conf))
      : Files.isRegularFile(DEFAULT_FILE) ? file(DEFAULT_FILE)
      : inline(BUILT_IN, new JsonObject());
  }
}
