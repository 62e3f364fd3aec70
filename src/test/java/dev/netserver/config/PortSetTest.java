package dev.netserver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@DisplayName("PortSet")
class PortSetTest {

  @Test
  @DisplayName("a range holds both ends and every port between, and nothing outside")
  void rangeIsInclusive() {
    PortSet ports = PortSet.parse("0-1023");
    assertThat(ports.contains(0)).isTrue();
    assertThat(ports.contains(512)).isTrue();
    assertThat(ports.contains(1023)).isTrue();
    assertThat(ports.contains(1024)).isFalse();
  }

  @Test
  @DisplayName("single ports and ranges combine, separated by commas")
  void singlePortsAndRanges() {
    PortSet ports = PortSet.parse("0-1023,2049");
    assertThat(ports.contains(2049)).isTrue();
    assertThat(ports.contains(2048)).isFalse();
    assertThat(ports.contains(2050)).isFalse();
    assertThat(ports.contains(65535)).isFalse();
  }

  @Test
  @DisplayName("spaces around items and around the dash are ignored")
  void spacesAreIgnored() {
    PortSet ports = PortSet.parse(" 7 , 9 - 11 ");
    assertThat(ports).isEqualTo(PortSet.parse("7,9,10,11"));
    assertThat(ports.contains(8)).isFalse();
  }

  @Test
  @DisplayName("the highest port, 65535, can be listed")
  void highestPort() {
    assertThat(PortSet.parse("65535").contains(65535)).isTrue();
    assertThat(PortSet.parse("0-65535").contains(65535)).isTrue();
  }

  @Test
  @DisplayName("the empty string, or only spaces, is the empty set")
  void emptyStringIsNone() {
    assertThat(PortSet.parse("")).isEqualTo(PortSet.NONE);
    assertThat(PortSet.parse("   ").isEmpty()).isTrue();
    assertThat(PortSet.parse("").contains(0)).isFalse();
  }

  @Test
  @DisplayName("two sets are equal when they hold the same ports, however written; toString gives the text back")
  void equalityAndText() {
    assertThat(PortSet.parse("1-3")).isEqualTo(PortSet.parse("3,2,1")).hasSameHashCodeAs(PortSet.parse("1,2,3"));
    assertThat(PortSet.parse(" 0-1023,2049 ")).hasToString("0-1023,2049");
  }

  @Test
  @DisplayName("a range that runs backwards is refused")
  void backwardsRange() {
    assertThatIllegalArgumentException().isThrownBy(() -> PortSet.parse("5-1"))
      .withMessage("range \"5-1\" runs backwards");
  }

  @Test
  @DisplayName("an item that is not a number is refused, naming the item")
  void notANumber() {
    assertThatIllegalArgumentException().isThrownBy(() -> PortSet.parse("22,x"))
      .withMessage("\"x\" is not a port");
  }

  @Test
  @DisplayName("a number above 65535 is refused with the port range")
  void aboveHighestPort() {
    assertThatIllegalArgumentException().isThrownBy(() -> PortSet.parse("70000"))
      .withMessage("70000 is not a port (0..65535)");
  }

  @Test
  @DisplayName("a negative number is refused")
  void negative() {
    assertThatIllegalArgumentException().isThrownBy(() -> PortSet.parse("-1"))
      .withMessage("range \"-1\" needs a port on each side of the dash");
  }

  @Test
  @DisplayName("an empty item (a stray comma) is refused")
  void strayComma() {
    assertThatIllegalArgumentException().isThrownBy(() -> PortSet.parse("1,,2"))
      .withMessage("empty item (a stray comma?)");
    assertThatIllegalArgumentException().isThrownBy(() -> PortSet.parse("1,2,"))
      .withMessage("empty item (a stray comma?)");
  }

  @Test
  @DisplayName("every bad item is refused, in the order written, not only the first")
  void everyProblem() {
    assertThatIllegalArgumentException().isThrownBy(() -> PortSet.parse("22,x,5-1,,70000,1-y"))
      .withMessage("\"x\" is not a port; range \"5-1\" runs backwards; empty item (a stray comma?);"
        + " 70000 is not a port (0..65535); \"y\" is not a port");
  }

  @Test
  @DisplayName("both ends of a range are checked")
  void bothEndsOfRange() {
    assertThatIllegalArgumentException().isThrownBy(() -> PortSet.parse("x-99999"))
      .withMessage("\"x\" is not a port; 99999 is not a port (0..65535)");
  }

  @Test
  @DisplayName("parsing with a problem sink hands over each problem and keeps the good items")
  void problemSink() {
    List<String> problems = new ArrayList<>();
    PortSet ports = PortSet.parse("7, x, 9-8, 11-12", problems::add);
    assertThat(problems).containsExactly("\"x\" is not a port", "range \"9-8\" runs backwards");
    assertThat(ports).isEqualTo(PortSet.parse("7,11,12"));
  }

  @Test
  @DisplayName("only ASCII digits make a port")
  void asciiDigitsOnly() {
    assertThatIllegalArgumentException().isThrownBy(() -> PortSet.parse("\u0662\u0662"))
      .withMessage("\"\u0662\u0662\" is not a port");
  }
}
