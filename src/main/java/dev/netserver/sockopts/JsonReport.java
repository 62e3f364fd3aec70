package dev.netserver.sockopts;

import dev.netserver.sockopts.TransportListing.KindListing;
import dev.netserver.sockopts.TransportListing.OptionRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The report as one JSON object, for machines. Field names are stable; a field that does not apply is
 * {@code null} rather than missing, except {@code unavailabilityCause}, {@code errors} and {@code note}.
 */
final class JsonReport {

  private JsonReport() {
  }

  static JsonObject toJson(Report report) {
    JsonArray transports = new JsonArray();
    for (TransportListing t : report.transports()) {
      transports.add(transport(t));
    }
    JsonArray listeners = new JsonArray();
    for (SocketCheck check : report.listeners()) {
      listeners.add(listener(check));
    }
    JsonObject config = new JsonObject()
      .put("source", report.configSource())
      .put("transport", report.configuredTransport())
      .put("checkedOn", report.transport())
      .put("probeAddress", Probes.LOOPBACK + ":0");
    if (report.transportNote() != null) {
      config.put("note", report.transportNote());
    }
    return new JsonObject()
      .put("transports", transports)
      .put("notes", new JsonArray().add(Report.BINDTODEVICE_NOTE))
      .put("config", config)
      .put("listeners", listeners);
  }

  private static JsonObject transport(TransportListing t) {
    JsonObject json = new JsonObject().put("name", t.name()).put("available", t.available());
    if (!t.available()) {
      return json.put("unavailabilityCause", t.unavailabilityCause());
    }
    JsonObject kinds = new JsonObject();
    JsonObject channels = new JsonObject();
    JsonObject errors = new JsonObject();
    for (KindListing kind : t.kinds()) {
      JsonArray options = new JsonArray();
      for (OptionRow row : kind.options()) {
        options.add(option(row));
      }
      kinds.put(kind.kind().jsonName(), options);
      channels.put(kind.kind().jsonName(), kind.channel());
      if (kind.error() != null) {
        errors.put(kind.kind().jsonName(), kind.error());
      }
    }
    json.put("kinds", kinds).put("channels", channels);
    if (!errors.isEmpty()) {
      json.put("errors", errors);
    }
    return json;
  }

  private static JsonObject option(OptionRow row) {
    OptionDoc doc = row.doc();
    return new JsonObject()
      .put("option", doc.osName())
      .put("netty", row.netty())
      .put("nettyConstant", row.nettyConstant())
      .put("level", doc.level())
      .put("osLevel", doc.osLevel())
      .put("meaning", doc.meaning())
      .put("value", doc.value())
      .put("default", NettyOptions.json(row.current()))
      .put("configKey", row.configKey())
      .put("configNote", row.configNote());
  }

  static JsonObject listener(SocketCheck check) {
    JsonArray options = new JsonArray();
    for (SocketCheck.Row row : check.rows()) {
      options.add(new JsonObject()
        .put("key", row.key())
        .put("config", row.key() == null ? null : NettyOptions.json(row.config()))
        .put("option", row.doc() == null ? null : row.doc().osName())
        .put("netty", row.netty())
        .put("level", row.doc() == null ? null : row.doc().level())
        .put("asked", NettyOptions.json(row.asked()))
        .put("reported", row.hasValue() ? NettyOptions.json(row.reported()) : null)
        .put("effective", NettyOptions.json(row.effective()))
        .put("note", row.note()));
    }
    JsonObject json = new JsonObject()
      .put("name", check.listener())
      .put("kind", check.section())
      .put("index", check.index())
      .put("configured", check.configured())
      .put("transport", check.transport())
      .put("socket", check.socket())
      .put("options", options);
    if (check.error() != null) {
      json.put("error", check.error());
    }
    return json;
  }
}
