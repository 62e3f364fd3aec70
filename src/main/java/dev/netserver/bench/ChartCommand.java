package dev.netserver.bench;

import dev.netserver.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code netserver bench chart --out FILE.png [--title TEXT] [--width PX] [--height PX] RESULT.json...}:
 * one PNG comparing the results (see {@link ChartData} and {@link BarChart}). Java2D only, headless.
 */
@Command(name = "chart",
  description = {"Draw result files (written by bench --json) as one PNG: throughput and p99 latency per mode and label", ""},
  sortOptions = false)
final class ChartCommand implements Callable<Integer> {

  static final String DEFAULT_TITLE = "netserver bench";
  static final int MAX_SIDE = 10_000;
  static final int MIN_WIDTH = 400;
  static final int MIN_HEIGHT = 300;

  @Option(names = "--out", paramLabel = "FILE.png", required = true, description = "the PNG to write (its directory is made)")
  private Path out;

  @Option(names = "--title", paramLabel = "TEXT", defaultValue = DEFAULT_TITLE, description = "the chart's title (default ${DEFAULT-VALUE})")
  private String title;

  @Option(names = "--width", paramLabel = "PX", defaultValue = "" + BarChart.DEFAULT_WIDTH,
    description = MIN_WIDTH + ".." + MAX_SIDE + " (default ${DEFAULT-VALUE})")
  private int width;

  @Option(names = "--height", paramLabel = "PX", defaultValue = "" + BarChart.DEFAULT_HEIGHT,
    description = MIN_HEIGHT + ".." + MAX_SIDE + " (default ${DEFAULT-VALUE})")
  private int height;

  @Parameters(paramLabel = "RESULT.json", arity = "1..*", description = "result files, written by bench --json")
  private List<Path> files;

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    within("--width", width, MIN_WIDTH);
    within("--height", height, MIN_HEIGHT);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return draw(stdout, err).code();
    } finally {
      stdout.flush();
      err.flush();
    }
  }

  private void within(String name, int value, int min) {
    if (value < min || value > MAX_SIDE) {
      throw new ParameterException(spec.commandLine(), name + " must be an integer in " + min + ".." + MAX_SIDE
        + " (was " + value + ")");
    }
  }

  private ExitCode draw(PrintWriter stdout, PrintWriter err) {
    List<ChartData.Entry> entries = new ArrayList<>();
    try {
      for (Path file : files) {
        entries.add(ChartData.read(file));
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<String> replaced = new ArrayList<>();
    ChartData data = ChartData.of(entries, replaced);
    replaced.forEach(r -> err.println("bench chart: " + r));
    // Before the first AWT class loads: no display is needed or wanted.
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = BarChart.render(data, title, width, height);
    try {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(image, "png", out.toFile())) {
        err.println("bench chart: no PNG writer in this JDK");
        return ExitCode.FAILURE;
      }
    } catch (IOException e) {
      err.println("bench chart: cannot write " + out + ": " + Client.describe(e));
      return ExitCode.FAILURE;
    }
    stdout.println("bench chart: wrote " + out + " (" + width + "x" + height + ", " + entries.size() + " results, "
      + data.groups().size() + " groups, " + data.labels().size() + " labels)");
    return ExitCode.OK;
  }
}
