package dev.netserver.cli;

import dev.netserver.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A launcher flag that takes a JSON object inline or a file holding one ({@code -options}, {@code -deployment-options}),
 * read before anything starts. Vert.x's launcher would only warn about a value it can't read and start without it.
 */
final class JsonArgument {

  private JsonArgument() {
  }

  /**
   * @param flag  the flag, as problems name it
   * @param value inline JSON (starting with {) or a file name
   * @throws ConfigException naming the flag and why
   */
  static JsonObject read(String flag, String value) {
    String text = value.strip();
    if (!text.startsWith("{")) {
      try {
        text = Files.readString(Path.of(value));
      } catch (IOException | RuntimeException e) {
        throw new ConfigException(flag + ": cannot read " + value + ": " + e.getMessage());
      }
    }
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      throw new ConfigException(flag + ": is not a JSON object: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }
}
