package dev.netserver.bench;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code netserver bench chart --out FILE.png [--title TEXT] [--width PX] [--height PX] RESULT.json...}:
 * one PNG comparing the results (see {@link ChartData} and {@link BarChart}). Java2D only, headless.
 */
final class ChartCommand {

  static final String DEFAULT_TITLE = "netserver bench";

  private ChartCommand() {
  }

  record Arguments(Path out, String title, int width, int height, List<Path> files) {

    static Arguments parse(String[] args) {
      Path out = null;
      String title = DEFAULT_TITLE;
      int width = BarChart.DEFAULT_WIDTH;
      int height = BarChart.DEFAULT_HEIGHT;
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--out", "--title", "--width", "--height" -> {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
              case "--out" -> out = Path.of(value);
              case "--title" -> title = value;
              case "--width" -> width = size(arg, value, 400);
              default -> height = size(arg, value, 300);
            }
          }
          default -> {
            if (arg.startsWith("-")) {
              throw new IllegalArgumentException("unknown argument: " + arg);
            }
            files.add(Path.of(arg));
          }
        }
      }
      if (out == null) {
        throw new IllegalArgumentException("chart needs --out FILE.png");
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException("chart needs at least one result file (written by --json)");
      }
      return new Arguments(out, title, width, height, List.copyOf(files));
    }

    private static int size(String name, String value, int min) {
      try {
        int n = Integer.parseInt(value);
        if (n >= min && n <= 10_000) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(name + " must be an integer in " + min + "..10000 (was \"" + value + "\")");
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("bench chart: " + e.getMessage());
      err.println(BenchOptions.USAGE);
      return BenchCommand.EXIT_USAGE;
    }
    List<ChartData.Entry> entries = new ArrayList<>();
    try {
      for (Path file : arguments.files()) {
        entries.add(ChartData.read(file));
      }
    } catch (IllegalArgumentException e) {
      err.println("bench chart: " + e.getMessage());
      return BenchCommand.EXIT_USAGE;
    }
    List<String> replaced = new ArrayList<>();
    ChartData data = ChartData.of(entries, replaced);
    replaced.forEach(r -> err.println("bench chart: " + r));
    // Before the first AWT class loads: no display is needed or wanted.
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = BarChart.render(data, arguments.title(), arguments.width(), arguments.height());
    try {
      Path parent = arguments.out().toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(image, "png", arguments.out().toFile())) {
        err.println("bench chart: no PNG writer in this JDK");
        return BenchCommand.EXIT_ERRORS;
      }
    } catch (IOException e) {
      err.println("bench chart: cannot write " + arguments.out() + ": " + Client.describe(e));
      return BenchCommand.EXIT_ERRORS;
    }
    out.println("bench chart: wrote " + arguments.out() + " (" + arguments.width() + "x" + arguments.height() + ", "
      + entries.size() + " results, " + data.groups().size() + " groups, " + data.labels().size() + " labels)");
    return BenchCommand.EXIT_OK;
  }
}
