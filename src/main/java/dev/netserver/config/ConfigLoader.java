package dev.netserver.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration with vertx-config (one explicit store: no environment variables, system
 * properties or periodic rescans sneak in) and validates it off the event loop. Every way of failing,
 * from a missing file to a bad value, ends as a {@link ConfigException} whose lines name the source.
 */
public final class ConfigLoader {

  private static final Pattern JACKSON_LOCATION = Pattern.compile("line: (\\d+), column: (\\d+)");
  /** Jackson's note on where an unclosed object or array began, inside its message. */
  private static final Pattern JACKSON_START_MARKER =
    Pattern.compile("\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)]\\)", Pattern.DOTALL);

  private ConfigLoader() {
  }

  public static Future<NetserverConfig> load(Vertx vertx, ConfigSource source) {
    return readJson(vertx, source)
      .compose(json -> vertx.executeBlocking(() -> NetserverConfig.read(source.name(), json), false));
  }

  /**
   * Reads and validates the configuration without Vert.x, blocking, with the same messages as {@link #load}:
   * for the launcher, which must know a clustered node's configuration is sound before it joins a cluster.
   *
   * @throws ConfigException listing every problem
   */
  public static NetserverConfig read(ConfigSource source) {
    JsonObject json = source.json();
    if (json == null) {
      try {
        json = new JsonObject(Files.readString(source.file()));
      } catch (java.io.IOException | RuntimeException e) {
        throw new ConfigException(describe(source, e));
      }
    }
    return NetserverConfig.read(source.name(), json);
  }

  /** The raw JSON of the source, or a failed future with a {@link ConfigException}. */
  static Future<JsonObject> readJson(Vertx vertx, ConfigSource source) {
    ConfigStoreOptions store = source.file() != null
      ? new ConfigStoreOptions().setType("file").setFormat("json")
        .setConfig(new JsonObject().put("path", source.file().toString()))
      : new ConfigStoreOptions().setType("json").setConfig(source.json());
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
      new ConfigRetrieverOptions().addStore(store).setScanPeriod(0).setIncludeDefaultStores(false));
    return retriever.getConfig()
      .andThen(ar -> retriever.close())
      .recover(e -> vertx.executeBlocking(() -> {
        throw new ConfigException(describe(source, e));
      }, false));
  }

  /** One line saying why the source could not be read, in the words a user needs. */
  static String describe(ConfigSource source, Throwable failure) {
    String name = source.name();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NoSuchFileException) {
        return name + ": cannot read the configuration file: it does not exist";
      }
      if (t instanceof AccessDeniedException) {
        return name + ": cannot read the configuration file: permission denied";
      }
      if (t instanceof DecodeException) {
        return name + ": " + jsonProblem(source, t.getMessage());
      }
    }
    if (source.file() != null && Files.isDirectory(source.file())) {
      return name + ": cannot read the configuration file: it is a directory";
    }
    return name + ": cannot read the configuration: " + failure.getMessage();
  }

  private static String jsonProblem(ConfigSource source, String message) {
    if (source.file() != null && isBlank(source.file())) {
      return "is empty (write {} to run with every default)";
    }
    String text = message == null ? "" : message.replaceFirst("^Failed to decode:\\s*", "");
    if (text.contains("Unexpected trailing token")) {
      return "must hold one JSON object ({ ... }), but more follows it";
    }
    // the location of the error is the last one; an unclosed object's message also says where it began
    int cut = text.lastIndexOf(" at [Source");
    Matcher m = JACKSON_LOCATION.matcher(cut >= 0 ? text.substring(cut) : "");
    if (!m.find()) {
      return "must hold one JSON object ({ ... }) at the top level";
    }
    String location = " at line " + m.group(1) + ", column " + m.group(2);
    String reason = JACKSON_START_MARKER.matcher(text.substring(0, cut)).replaceAll("(opened at line $1, column $2)").strip();
    return "is not valid JSON" + location + ": " + reason;
  }

  private static boolean isBlank(java.nio.file.Path file) {
    try {
      return Files.readString(file).isBlank();
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }
}
