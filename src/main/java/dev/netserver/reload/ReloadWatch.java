package dev.netserver.reload;

import dev.netserver.config.ConfigSource;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code reload.watch}: vertx-config's file store looks at the configuration file every scan period and says when
 * its text changed; netserver then reloads, reading the file with its own strict reader (duplicate keys, limits,
 * the messages), never with vertx-config's JSON parser. The store reads the file as raw text, so that a file
 * that is not valid JSON is still a change (and the reload then says what is wrong with it), and optional, so
 * that a file that disappears is one too.
 */
public final class ReloadWatch {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadWatch.class);

  private final ConfigRetriever retriever;

  private ReloadWatch(ConfigRetriever retriever) {
    this.retriever = retriever;
  }

  /**
   * Starts watching {@code source}'s file; {@code null} (and a line that says why) when it is not a file.
   *
   * @param reload called on each change
   */
  public static ReloadWatch start(Vertx vertx, ConfigSource source, long scanPeriodMs, Runnable reload) {
    if (source == null || source.file() == null) {
      LOG.warn("reload.watch: the configuration is not a file ({}), so there is nothing to watch",
        source == null ? "the deployment's config()" : source.name());
      return null;
    }
    ConfigStoreOptions file = new ConfigStoreOptions().setType("file").setFormat("raw").setOptional(true)
      .setConfig(new JsonObject().put("path", source.file().toString()).put("raw.key", "text").put("raw.type", "string"));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
      .setIncludeDefaultStores(false).setScanPeriod(scanPeriodMs).addStore(file));
    // the first read is the baseline: a change is a text that differs from it
    retriever.getConfig().onComplete(ar -> retriever.listen(change -> {
      LOG.info("reload.watch: {} changed", source.name());
      reload.run();
    }));
    LOG.info("reload.watch: reloading when {} changes (looked at every {} ms)", source.name(), scanPeriodMs);
    return new ReloadWatch(retriever);
  }

  public void stop() {
    retriever.close();
  }
}
