package dev.netserver.config;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;

/**
 * Reads and validates the configuration: the one way in, for the server and every command. Every way of
 * failing, from a missing file to a bad value, ends as a {@link ConfigException} whose lines name the source.
 */
public final class ConfigLoader {

  /** The largest configuration file read: a thousand listeners fit in a tenth of it. */
  static final int MAX_FILE_BYTES = 1 << 20;

  private ConfigLoader() {
  }

  /**
   * Reads and validates the configuration, blocking (it reads the file, looks up network interfaces and
   * resolves host names).
   *
   * @throws ConfigException listing every problem
   */
  public static NetserverConfig read(ConfigSource source) {
    if (source.json() != null) {
      return NetserverConfig.read(source.name(), source.json());
    }
    Problems problems = new Problems(source.name());
    byte[] text = source.text() != null ? source.text().getBytes(StandardCharsets.UTF_8) : bytes(source);
    JsonObject json = JsonText.parse(text, problems);
    return NetserverConfig.read(problems, json);
  }

  private static byte[] bytes(ConfigSource source) {
    try (InputStream in = Files.newInputStream(source.file())) {
      byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      if (bytes.length > MAX_FILE_BYTES) {
        throw new ConfigException(source.name() + ": is larger than " + MAX_FILE_BYTES
          + " bytes, too large for a configuration file");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new ConfigException(source.name() + ": cannot read the configuration file: it does not exist");
    } catch (AccessDeniedException e) {
      throw new ConfigException(source.name() + ": cannot read the configuration file: permission denied");
    } catch (IOException e) {
      // Linux opens a directory and fails only on the read, with a message that does not say it is one
      String why = Files.isDirectory(source.file()) ? "it is a directory" : String.valueOf(e.getMessage());
      throw new ConfigException(source.name() + ": cannot read the configuration file: " + why);
    }
  }
}
