package dev.netserver.config;

import io.vertx.core.json.JsonObject;

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
}
