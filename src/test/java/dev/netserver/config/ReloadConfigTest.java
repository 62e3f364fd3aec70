package dev.netserver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The reload object")
class ReloadConfigTest {

  @Test
  @DisplayName("defaults to no watch, a 5 s scan period")
  void defaults() {
    assertThat(Configs.read(Configs.json("{}")).reload()).isEqualTo(ReloadConfig.DEFAULT);
    assertThat(ReloadConfig.DEFAULT.watch()).isFalse();
    assertThat(ReloadConfig.DEFAULT.scanPeriodMs()).isEqualTo(5000);
  }

  @Test
  @DisplayName("reads watch and scanPeriodMs")
  void reads() {
    assertThat(Configs.read(Configs.json("{'reload': {'watch': true, 'scanPeriodMs': 250}}")).reload())
      .isEqualTo(new ReloadConfig(true, 250));
  }

  @Test
  @DisplayName("names every bad value and unknown key, with the file and the rule")
  void problems() {
    assertThat(Configs.problems(Configs.json("{'reload': {'watch': 'yes', 'scanPeriodMs': 10, 'period': 1}}")))
      .hasSize(3)
      .allMatch(p -> p.startsWith("conf/config.json: reload."))
      .anyMatch(p -> p.contains("reload.scanPeriodMs") && p.contains("100"))
      .anyMatch(p -> p.contains("reload.watch"))
      .anyMatch(p -> p.contains("period"));
  }
}
