package dev.netserver;

import dev.netserver.config.ConfigSource;
import picocli.CommandLine.Option;

/**
 * {@code -conf FILE|JSON}, as every command that reads netserver's configuration takes it ({@code run},
 * {@code check-config}, {@code sockopts}, {@code stats}): one spelling, one description, and one rule for
 * which file is read when it is left out ({@link ConfigSource#forCommand}). A picocli mixin.
 */
public final class ConfigOption {

  @Option(names = {"-conf", "--conf"}, paramLabel = "FILE|JSON",
    description = "the configuration: a file, or JSON text starting with { (default: conf/config.json if it exists,"
      + " else the built-in defaults)")
  private String file;

  /** The configuration to read: {@code -conf} when given, else conf/config.json when it exists, else the defaults. */
  public ConfigSource source() {
    return ConfigSource.forCommand(file);
  }
}
