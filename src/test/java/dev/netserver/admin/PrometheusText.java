package dev.netserver.admin;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus text, parsed by the Prometheus project's own parser (prometheus_client's, through
 * src/test/resources/prometheus-parse.py; .ci/run installs Debian's python3-prometheus-client): what a
 * Prometheus server would read, not what the code under test believes it wrote.
 */
final class PrometheusText {

  record Sample(String family, String type, String name, Map<String, String> labels, double value) {
  }

  static List<Sample> parse(String text) throws IOException, InterruptedException {
    Path script = Files.createTempFile("prometheus-parse", ".py");
    try (InputStream in = PrometheusText.class.getResourceAsStream("/prometheus-parse.py")) {
      Files.write(script, in.readAllBytes());
    }
    try {
      // Debian's interpreter, which has the Debian package, even when another python3 comes first on the PATH
      String interpreter = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
      Process python = new ProcessBuilder(interpreter, script.toString()).redirectErrorStream(true).start();
      try (OutputStream stdin = python.getOutputStream()) {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!python.waitFor(30, TimeUnit.SECONDS) || python.exitValue() != 0) {
        throw new AssertionError("the Prometheus parser rejected the text, or is missing (apt-get install"
          + " python3-prometheus-client): " + out);
      }
      return out.lines().map(JsonObject::new).map(j -> new Sample(j.getString("family"), j.getString("type"),
        j.getString("name"), toStrings(j.getJsonObject("labels")), j.getDouble("value"))).toList();
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static Map<String, String> toStrings(JsonObject labels) {
    return labels.getMap().entrySet().stream()
      .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
  }

  private PrometheusText() {
  }
}
