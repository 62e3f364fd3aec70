package dev.netserver.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where the configuration comes from: a JSON file (the usual {@code -conf conf/config.json}), JSON text on the
 * command line ({@code -conf '{...}'}), or a JSON object handed over already parsed (a deployment's
 * {@code config()}). Exactly one of {@code file}, {@code text} and {@code json} is set.
 *
 * @param name how problems name the source: the file path as given, or a description
 * @param file the file, or {@code null}
 * @param text JSON text, read with the same rules as a file (duplicate keys, limits), or {@code null}
 * @param json an object already parsed, or {@code null}
 */
public record ConfigSource(String name, Path file, String text, JsonObject json) {

  /** The configuration read when there is no {@code -conf}, if it exists in the working directory. */
  public static final Path DEFAULT_FILE = Path.of("conf", "config.json");
  /** How problems name the configuration when there is neither {@code -conf} nor {@link #DEFAULT_FILE}. */
  public static final String BUILT_IN = "built-in defaults";

  public ConfigSource {
    Objects.requireNonNull(name, "name");
    if (Stream.of(file, text, json).filter(Objects::nonNull).count() != 1) {
      throw new IllegalArgumentException("exactly one of file, text and json");
    }
  }

  public static ConfigSource file(Path file) {
    return new ConfigSource(file.toString(), file, null, null);
  }

  /** JSON text given on the command line ({@code -conf '{...}'}, as Vert.x's launcher takes it): read like a file. */
  public static ConfigSource text(String name, String text) {
    return new ConfigSource(name, null, text, null);
  }

  public static ConfigSource inline(String name, JsonObject json) {
    return new ConfigSource(name, null, null, json);
  }

  /**
   * What every command reads: the {@code -conf} JSON text or file when given, else
   * {@link #DEFAULT_FILE} when it exists in the working directory, else the built-in defaults.
   */
  public static ConfigSource forCommand(String conf) {
    return conf != null && conf.strip().startsWith("{") ? text("-conf", conf)
      : conf != null ? file(Path.of(conf))
      : Files.isRegularFile(DEFAULT_FILE) ? file(DEFAULT_FILE)
      : inline(BUILT_IN, new JsonObject());
  }
}
