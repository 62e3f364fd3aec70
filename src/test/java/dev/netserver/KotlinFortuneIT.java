package dev.netserver;

import io.vertx.core.json.JsonObject;
import kotlin.Unit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's three steps for a protocol of one's own, done on the packaged jar: examples/kotlin-fortune's
 * classes (compiled by the build) put in a jar in a plugins directory with the Kotlin library they need, and
 * the server started the way run.sh starts it ({@code java -cp netserver.jar:plugins/* ...Netserver}) on the
 * example's configuration. {@link KotlinFortuneTest} checks the protocol in detail, in-process.
 */
@DisplayName("The Kotlin fortune example, from a plugins directory, on the packaged jar")
class KotlinFortuneIT {

  @TempDir
  Path dir;

  @Test
  @DisplayName("run.sh's class path serves the handler named in the configuration")
  void servedFromPlugins() throws IOException, URISyntaxException {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    jar(Path.of("target/test-classes"), "com/example/", plugins.resolve("fortune.jar"));
    Files.copy(Path.of(Unit.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
      plugins.resolve("kotlin-stdlib.jar"));

    JsonObject json = new JsonObject(Files.readString(Path.of("examples/kotlin-fortune/config.json")));
    json.getJsonArray("tcp").getJsonObject(0).put("port", 0);
    Path conf = Files.writeString(dir.resolve("config.json"), json.encodePrettily());

    // the class path run.sh builds: the jar, then every plugin jar (a class path wildcard, expanded by java)
    String classPath = ServerProcess.jar() + ":" + plugins + "/*";
    try (ServerProcess server = ServerProcess.start(List.of("-cp", classPath, "dev.netserver.cli.Netserver",
      "-conf", conf.toString()))) {
      int port = server.port("fortune");
      try (TestClient client = TestClient.connect(port)) {
        assertThat(client.readUntil("\n")).isEqualTo("Fortune favours the event loop.\n");
        assertThat(client.send("from the jar\n").readUntil("\n")).isEqualTo("FROM THE JAR\n");
        client.send("quit\n");
        assertThat(client.readToEnd()).isEmpty();
      }
      assertThat(server.terminate()).isEqualTo(143);
      assertThat(server.output()).contains("handler:com.example.Fortune");
    }
  }

  /** A jar of the classes under {@code root/prefix}, as {@code jar cf} would make it. */
  private static void jar(Path root, String prefix, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
         Stream<Path> files = Files.walk(root.resolve(prefix))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        j.putNextEntry(new JarEntry(root.relativize(file).toString()));
        Files.copy(file, j);
        j.closeEntry();
      }
    }
    assertThat(jar).isNotEmptyFile();
  }
}
