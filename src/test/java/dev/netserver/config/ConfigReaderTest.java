package dev.netserver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("ConfigReader's did-you-mean")
class ConfigReaderTest {

  private static final Set<String> LISTENER_KEYS =
    new LinkedHashSet<>(List.of("name", "protocol", "host", "interface", "port", "instances", "socket"));

  @Test
  @DisplayName("the distance of a string to itself is 0, and to the empty string its length")
  void distanceBasics() {
    assertThat(ConfigReader.distance("port", "port")).isZero();
    assertThat(ConfigReader.distance("", "port")).isEqualTo(4);
    assertThat(ConfigReader.distance("port", "")).isEqualTo(4);
  }

  @Test
  @DisplayName("an insertion, a deletion and a substitution each count as one edit")
  void distanceSingleEdits() {
    assertThat(ConfigReader.distance("prt", "port")).isEqualTo(1);
    assertThat(ConfigReader.distance("poort", "port")).isEqualTo(1);
    assertThat(ConfigReader.distance("port", "part")).isEqualTo(1);
    assertThat(ConfigReader.distance("kitten", "sitting")).isEqualTo(3);
  }

  @Test
  @DisplayName("two swapped neighbouring letters count as one edit")
  void distanceTransposition() {
    assertThat(ConfigReader.distance("nmae", "name")).isEqualTo(1);
    assertThat(ConfigReader.distance("recieveBufferSize", "receiveBufferSize")).isEqualTo(1);
  }

  @Test
  @DisplayName("the nearest known key is suggested for a typo")
  void nearestForTypo() {
    assertThat(ConfigReader.nearest("nmae", LISTENER_KEYS)).isEqualTo("name");
    assertThat(ConfigReader.nearest("protcol", LISTENER_KEYS)).isEqualTo("protocol");
    assertThat(ConfigReader.nearest("interfce", LISTENER_KEYS)).isEqualTo("interface");
  }

  @Test
  @DisplayName("case is ignored when looking for the nearest key, and the key comes back as spelled")
  void nearestIgnoresCase() {
    assertThat(ConfigReader.nearest("PORT", LISTENER_KEYS)).isEqualTo("port");
    assertThat(ConfigReader.nearest("tcpnodelay", Set.of("tcpNoDelay", "keepAlive"))).isEqualTo("tcpNoDelay");
  }

  @Test
  @DisplayName("nothing is suggested when no known key is close")
  void nothingClose() {
    assertThat(ConfigReader.nearest("colour", LISTENER_KEYS)).isNull();
    assertThat(ConfigReader.nearest("verbose", Set.of())).isNull();
  }
}
