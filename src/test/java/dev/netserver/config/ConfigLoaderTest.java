package dev.netserver.config;

import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.netserver.Await.awaitFailure;
import static dev.netserver.config.Configs.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
@DisplayName("ConfigLoader")
class ConfigLoaderTest {

  @TempDir
  Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  /** Loads {@code source}, expects it to fail with a ConfigException and hands its problems to {@code check}. */
  private static void expectProblems(Vertx vertx, VertxTestContext testContext, ConfigSource source,
                                     Consumer<List<String>> check) {
    ConfigLoader.load(vertx, source).onComplete(testContext.failing(e -> testContext.verify(() -> {
      assertThat(e).isInstanceOf(ConfigException.class);
      check.accept(((ConfigException) e).problems());
      testContext.completeNow();
    })));
  }

  private static void expectProblem(Vertx vertx, VertxTestContext testContext, ConfigSource source, String line) {
    expectProblems(vertx, testContext, source, problems -> assertThat(problems).containsExactly(line));
  }

  @Test
  @DisplayName("a valid file is read and validated")
  void validFile(Vertx vertx, VertxTestContext testContext) throws IOException {
    Path config = file("config.json", "{ \"tcp\": [ { \"name\": \"t\", \"protocol\": \"echo\", \"port\": 0 } ], \"udp\": [] }");
    ConfigLoader.load(vertx, ConfigSource.file(config)).onComplete(testContext.succeeding(c -> testContext.verify(() -> {
      assertThat(c.tcp()).extracting(TcpListenerConfig::name).containsExactly("t");
      assertThat(c.udp()).isEmpty();
      testContext.completeNow();
    })));
  }

  @Test
  @DisplayName("a problem in a file's configuration is reported naming the file")
  void validationNamesFile(Vertx vertx, VertxTestContext testContext) throws IOException {
    Path config = file("config.json", "{ \"tcp\": [ { \"name\": \"t\", \"protocol\": \"echo\", \"port\": 70000 } ] }");
    expectProblem(vertx, testContext, ConfigSource.file(config),
      config + ": tcp[0].port must be an integer in 0..65535 (was 70000)");
  }

  @Test
  @DisplayName("a missing file is reported as such")
  void missingFile(Vertx vertx, VertxTestContext testContext) {
    Path missing = dir.resolve("nosuch.json");
    expectProblem(vertx, testContext, ConfigSource.file(missing),
      missing + ": cannot read the configuration file: it does not exist");
  }

  @Test
  @DisplayName("a directory is reported as such")
  void directory(Vertx vertx, VertxTestContext testContext) {
    expectProblem(vertx, testContext, ConfigSource.file(dir), dir + ": cannot read the configuration file: it is a directory");
  }

  @Test
  @DisplayName("an unreadable file is reported as such")
  void unreadableFile(Vertx vertx, VertxTestContext testContext) throws IOException {
    Path config = file("config.json", "{}");
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("-w-------"));
    assumeFalse(Files.isReadable(config), "running as a user who can read any file (root)");
    expectProblem(vertx, testContext, ConfigSource.file(config),
      config + ": cannot read the configuration file: permission denied");
  }

  @Test
  @DisplayName("invalid JSON is reported with the line and column of the error")
  void invalidJson(Vertx vertx, VertxTestContext testContext) throws IOException {
    Path config = file("config.json", """
      {
        "tcp": [
          { "name": "ab",, "port": 1 }
        ]
      }
      """);
    expectProblems(vertx, testContext, ConfigSource.file(config), problems -> assertThat(problems).singleElement().asString()
      .startsWith(config + ": is not valid JSON at line 3, column 20: Unexpected character (','"));
  }

  @Test
  @DisplayName("an unclosed object is reported where the text ends, and says where the object began")
  void unclosedObject(Vertx vertx, VertxTestContext testContext) throws IOException {
    Path config = file("config.json", "{\n  \"tcp\": [],\n  \"stats\": {\n");
    expectProblems(vertx, testContext, ConfigSource.file(config), problems -> assertThat(problems).singleElement().asString()
      .startsWith(config + ": is not valid JSON at line 4, column 1: ")
      .endsWith("(opened at line 3, column 12)")
      .doesNotContain("Source", "REDACTED"));
  }

  @Test
  @DisplayName("text after the top-level object is reported as such")
  void trailingText(Vertx vertx, VertxTestContext testContext) throws IOException {
    Path config = file("config.json", "{ \"tcp\": [] }\n{ \"udp\": [] }\n");
    expectProblem(vertx, testContext, ConfigSource.file(config),
      config + ": must hold one JSON object ({ ... }), but more follows it");
  }

  @Test
  @DisplayName("a top-level array is refused: the configuration is one JSON object")
  void topLevelArray(Vertx vertx, VertxTestContext testContext) throws IOException {
    Path config = file("config.json", "[ { \"tcp\": [] } ]");
    expectProblem(vertx, testContext, ConfigSource.file(config), config + ": must hold one JSON object ({ ... }) at the top level");
  }

  @Test
  @DisplayName("an empty file is reported as empty, with how to ask for every default")
  void emptyFile(Vertx vertx, VertxTestContext testContext) throws IOException {
    Path config = file("config.json", "\n  \n");
    expectProblem(vertx, testContext, ConfigSource.file(config), config + ": is empty (write {} to run with every default)");
  }

  @Test
  @DisplayName("an inline configuration is validated, and its problems carry the source's name")
  void inlineSourceNamed(Vertx vertx, VertxTestContext testContext) {
    expectProblem(vertx, testContext, ConfigSource.inline("-conf", json("{'transport': 'kqueue'}")),
      "-conf: transport must be one of auto, nio, epoll, io_uring (was \"kqueue\")");
  }

  @Test
  @DisplayName("a valid inline configuration is read")
  void inlineValid(Vertx vertx, VertxTestContext testContext) {
    ConfigLoader.load(vertx, ConfigSource.inline("-conf", json("{'node': {'name': 'n1'}, 'udp': []}")))
      .onComplete(testContext.succeeding(c -> testContext.verify(() -> {
        assertThat(c.nodeName()).isEqualTo("n1");
        assertThat(c.udp()).isEmpty();
        testContext.completeNow();
      })));
  }

  @Test
  @DisplayName("read without Vert.x (the launcher's check before a node joins a cluster), every failure gives the same line")
  void readSameMessages(Vertx vertx) throws IOException {
    List<ConfigSource> sources = List.of(
      ConfigSource.file(dir.resolve("nosuch.json")),
      ConfigSource.file(dir),
      ConfigSource.file(file("invalid.json", "{\n  \"tcp\": [\n    { \"name\": \"ab\",, \"port\": 1 }\n  ]\n}\n")),
      ConfigSource.file(file("unclosed.json", "{\n  \"tcp\": [],\n  \"stats\": {\n")),
      ConfigSource.file(file("trailing.json", "{ \"tcp\": [] }\n{ \"udp\": [] }\n")),
      ConfigSource.file(file("array.json", "[ { \"tcp\": [] } ]")),
      ConfigSource.file(file("empty.json", "\n  \n")),
      ConfigSource.file(file("bad.json", "{ \"tcp\": [ { \"name\": \"t\", \"protocol\": \"echo\", \"port\": 70000 } ] }")),
      ConfigSource.inline("-conf", json("{'transport': 'kqueue'}")));
    for (ConfigSource source : sources) {
      Throwable viaVertx = awaitFailure(ConfigLoader.load(vertx, source));
      ConfigException now = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.read(source));
      assertThat(now).as(source.name()).isNotNull();
      assertThat(now.problems()).as(source.name()).isEqualTo(((ConfigException) viaVertx).problems());
    }
    assertThat(ConfigLoader.read(ConfigSource.file(file("ok.json", "{ \"udp\": [] }"))).udp()).isEmpty();
  }
}
