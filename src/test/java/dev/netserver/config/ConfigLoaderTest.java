package dev.netserver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.netserver.config.Configs.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

@DisplayName("ConfigLoader")
class ConfigLoaderTest {

  @TempDir
  Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  /** The problems of a source that must fail to read. */
  private static List<String> problems(ConfigSource source) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.read(source));
    assertThat(e).as("a ConfigException from reading " + source.name()).isNotNull();
    return e.problems();
  }

  private List<String> problemsOfFile(String content) throws IOException {
    return problems(ConfigSource.file(file("config.json", content)));
  }

  private String name() {
    return dir.resolve("config.json").toString();
  }

  // --- reading the file

  @Test
  @DisplayName("a valid file is read and validated")
  void validFile() throws IOException {
    Path config = file("config.json", "{ \"tcp\": [ { \"name\": \"t\", \"protocol\": \"echo\", \"port\": 0 } ], \"udp\": [] }");
    NetserverConfig c = ConfigLoader.read(ConfigSource.file(config));
    assertThat(c.tcp()).extracting(TcpListenerConfig::name).containsExactly("t");
    assertThat(c.udp()).isEmpty();
  }

  @Test
  @DisplayName("a problem in a file's configuration is reported naming the file")
  void validationNamesFile() throws IOException {
    assertThat(problemsOfFile("{ \"tcp\": [ { \"name\": \"t\", \"protocol\": \"echo\", \"port\": 70000 } ] }"))
      .containsExactly(name() + ": tcp[0].port must be an integer in 0..65535 (was 70000)");
  }

  @Test
  @DisplayName("a missing file is reported as such")
  void missingFile() {
    Path missing = dir.resolve("nosuch.json");
    assertThat(problems(ConfigSource.file(missing)))
      .containsExactly(missing + ": cannot read the configuration file: it does not exist");
  }

  @Test
  @DisplayName("a directory is reported as such")
  void directory() {
    assertThat(problems(ConfigSource.file(dir))).containsExactly(dir + ": cannot read the configuration file: it is a directory");
  }

  @Test
  @DisplayName("an unreadable file is reported as such")
  void unreadableFile() throws IOException {
    Path config = file("config.json", "{}");
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("-w-------"));
    assumeFalse(Files.isReadable(config), "running as a user who can read any file (root)");
    assertThat(problems(ConfigSource.file(config)))
      .containsExactly(config + ": cannot read the configuration file: permission denied");
  }

  @Test
  @DisplayName("a file of 1 MiB is read, a larger one is refused without being read whole")
  void sizeLimit() throws IOException {
    String object = "{ \"udp\": [] }";
    Path largest = file("largest.json", object + " ".repeat(ConfigLoader.MAX_FILE_BYTES - object.length()));
    assertThat(Files.size(largest)).isEqualTo(1 << 20);
    assertThat(ConfigLoader.read(ConfigSource.file(largest)).udp()).isEmpty();

    Path tooLarge = file("large.json", object + " ".repeat(ConfigLoader.MAX_FILE_BYTES - object.length() + 1));
    assertThat(problems(ConfigSource.file(tooLarge)))
      .containsExactly(tooLarge + ": is larger than 1048576 bytes, too large for a configuration file");
  }

  // --- the JSON text, through the file (JsonTextTest has the details)

  @Test
  @DisplayName("invalid JSON is reported with the file, line and column of the error")
  void invalidJson() throws IOException {
    assertThat(problemsOfFile("""
      {
        "tcp": [
          { "name": "ab",, "port": 1 }
        ]
      }
      """)).singleElement().asString()
      .startsWith(name() + ": is not valid JSON at line 3, column 20: Unexpected character (','");
  }

  @Test
  @DisplayName("an unclosed object is reported where the text ends, and says where the object began")
  void unclosedObject() throws IOException {
    assertThat(problemsOfFile("{\n  \"tcp\": [],\n  \"stats\": {\n")).containsExactly(
      name() + ": is not valid JSON at line 4, column 1: the text ends inside an object (opened at line 3, column 12)");
  }

  @Test
  @DisplayName("text after the top-level object is reported as such, with where it starts")
  void trailingText() throws IOException {
    assertThat(problemsOfFile("{ \"tcp\": [] }\n{ \"udp\": [] }\n"))
      .containsExactly(name() + ": must hold one JSON object ({ ... }), but more follows it at line 2, column 1");
  }

  @Test
  @DisplayName("a top-level array is refused: the configuration is one JSON object")
  void topLevelArray() throws IOException {
    assertThat(problemsOfFile("[ { \"tcp\": [] } ]"))
      .containsExactly(name() + ": must hold one JSON object ({ ... }) at the top level");
  }

  @Test
  @DisplayName("an empty file is reported as empty, with how to ask for every default")
  void emptyFile() throws IOException {
    assertThat(problemsOfFile("\n  \n")).containsExactly(name() + ": is empty (write {} to run with every default)");
  }

  @Test
  @DisplayName("a duplicate key and the validation problems of the file are reported together, in the order of the file")
  void duplicateWithOtherProblems() throws IOException {
    assertThat(problemsOfFile("""
      {
        "tcp": [
          {
            "name": "t",
            "prot": "echo",
            "port": 70000,
            "port": 0
          }
        ],
        "udp": []
      }
      """)).containsExactly(
      name() + ": tcp[0].port appears twice (second at line 7, column 7)",
      name() + ": tcp[0].protocol is required (one of greeting, echo)",
      name() + ": tcp[0].port must be an integer in 0..65535 (was 70000)",
      name() + ": tcp[0].prot is not a known key (did you mean \"protocol\"?)");
  }

  @Test
  @DisplayName("a limit of the JSON text is reported with the file and the line")
  void limitNamesFileAndLine() throws IOException {
    assertThat(problemsOfFile("{\n  \"stats\": {\n    \"publishIntervalMs\": " + "9".repeat(101) + "\n  }\n}\n"))
      .containsExactly(name() + ": has a number longer than 100 digits at line 3");
  }

  // --- inline configurations

  @Test
  @DisplayName("an inline configuration is validated, and its problems carry the source's name")
  void inlineSourceNamed() {
    assertThat(problems(ConfigSource.inline("-conf", json("{'transport': 'kqueue'}"))))
      .containsExactly("-conf: transport must be one of auto, nio, epoll, io_uring (was \"kqueue\")");
  }

  @Test
  @DisplayName("a valid inline configuration is read")
  void inlineValid() {
    NetserverConfig c = ConfigLoader.read(ConfigSource.inline("-conf", json("{'node': {'name': 'n1'}, 'udp': []}")));
    assertThat(c.nodeName()).isEqualTo("n1");
    assertThat(c.udp()).isEmpty();
  }

  @Test
  @DisplayName("JSON text given as -conf is read by the rules of a file: a duplicate key is reported with its path and position")
  void textSourceReadLikeAFile() {
    assertThat(problems(ConfigSource.forCommand("{ \"udp\": [], \"udp\": [] }")))
      .containsExactly("-conf: udp appears twice (second at line 1, column 14)");
    assertThat(ConfigLoader.read(ConfigSource.forCommand(" {\"node\": {\"name\": \"n1\"}, \"udp\": []}")).nodeName())
      .isEqualTo("n1");
  }
}
