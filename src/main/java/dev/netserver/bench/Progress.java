package dev.netserver.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The line printed once a second while a run goes on, when a person is watching (a console and no
 * {@code --quiet}): mode, seconds since the start, phase, completions in the last second, errors.
 */
final class Progress {

  private final PrintWriter out;
  private final String mode;
  private final boolean enabled;
  private long lastCompleted;

  Progress(PrintWriter out, Mode mode, boolean enabled) {
    this.out = out;
    this.mode = mode.cliName();
    this.enabled = enabled;
  }

  /** On a terminal and not quiet. */
  static boolean wanted(BenchOptions options) {
    return !options.quiet() && System.console() != null;
  }

  /** One line; {@code completed} is the running total, the line shows what was added since the last one. */
  void line(long elapsedSeconds, String phase, long completed, String unit, long errors) {
    long delta = completed - lastCompleted;
    lastCompleted = completed;
    if (enabled) {
      out.println(String.format(Locale.ROOT, "%-6s %4ds  %-9s %10d %s/s  errors %d", mode, elapsedSeconds, phase, delta,
        unit, errors));
    }
  }

  /** A free-form line (hold mode's counts). */
  void text(long elapsedSeconds, String phase, String text) {
    if (enabled) {
      out.println(String.format(Locale.ROOT, "%-6s %4ds  %-9s %s", mode, elapsedSeconds, phase, text));
    }
  }
}
