package dev.netserver.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("bench chart: one PNG from result files")
@Timeout(60)
class ChartCommandTest {

  @TempDir
  Path dir;

  private Path result(String name, String mode, String label, int size, double throughput, double p99) throws IOException {
    JsonObject json = new JsonObject().put("tool", "netserver-bench").put("mode", mode).put("label", label)
      .put("size", size).put("throughputPerSecond", throughput)
      .put("latencyMicros", new JsonObject().put("p50", p99 / 2).put("p99", p99));
    return Files.writeString(dir.resolve(name), json.encodePrettily());
  }

  private static BufferedImage decode(Path png) throws IOException {
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a PNG that ImageIO decodes").isNotNull();
    return image;
  }

  private static Set<Integer> colours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    return colours;
  }

  @Test
  @DisplayName("renders two small results as a PNG of the asked size with bars in each label's colour")
  void twoResults() throws IOException {
    Path a = result("a.json", "greet", "netserver", 64, 18_234.5, 2_400);
    Path b = result("b.json", "greet", "other", 64, 9_100, 5_100);
    Path png = dir.resolve("out/chart.png");
    BenchRun run = BenchRun.of("chart", "--out", png.toString(), "--title", "test", "--width", "800", "--height", "500",
      a.toString(), b.toString());
    assertThat(run.exit()).as(run.printed()).isZero();
    assertThat(run.out()).contains("wrote " + png).contains("2 results, 1 groups, 2 labels");
    BufferedImage image = decode(png);
    assertThat(image.getWidth()).isEqualTo(800);
    assertThat(image.getHeight()).isEqualTo(500);
    // Not blank: white background, text, grid, and the two labels' bar colours (Tableau blue and orange).
    assertThat(colours(image)).contains(0xffffff, 0x4E79A7, 0xF28E2B);
  }

  @Test
  @DisplayName("draws the same pixels for the same inputs, with the default size")
  void deterministic() throws IOException {
    List<String> files = new ArrayList<>();
    files.add(result("g.json", "greet", "a", 64, 13_000, 9_000).toString());
    files.add(result("u1.json", "udp", "a", 64, 185_000, 2_000).toString());
    files.add(result("u2.json", "udp", "a", 1400, 120_000, 2_800).toString());
    files.add(result("s.json", "stream", "b", 16384, 78_000, 2_300).toString());
    files.add(result("h.json", "hold", "", 0, 2_500, 800).toString());
    Path first = dir.resolve("1.png");
    Path second = dir.resolve("2.png");
    List<String> args = new ArrayList<>(List.of("chart", "--out", first.toString()));
    args.addAll(files);
    assertThat(BenchRun.of(args.toArray(String[]::new)).exit()).isZero();
    args.set(2, second.toString());
    BenchRun run = BenchRun.of(args.toArray(String[]::new));
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("5 results, 5 groups, 3 labels");
    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
    BufferedImage image = decode(first);
    assertThat(image.getWidth()).isEqualTo(BarChart.DEFAULT_WIDTH);
    assertThat(image.getHeight()).isEqualTo(BarChart.DEFAULT_HEIGHT);
  }

  @Test
  @DisplayName("groups by mode in the documented order, splitting a mode by size only when its sizes differ")
  void grouping() {
    List<ChartData.Entry> entries = List.of(
      new ChartData.Entry("1", "udp", "x", 64, 1, 1),
      new ChartData.Entry("2", "greet", "y", 64, 1, 1),
      new ChartData.Entry("3", "udp", "x", 1400, 1, 1),
      new ChartData.Entry("4", "custom", "x", 1, 1, 1),
      new ChartData.Entry("5", "greet", "x", 64, 2, 2),
      new ChartData.Entry("6", "greet", "x", 64, 3, 3));
    List<String> replaced = new ArrayList<>();
    ChartData data = ChartData.of(entries, replaced);
    assertThat(data.groups()).containsExactly("greet", "udp 64 B", "udp 1400 B", "custom");
    assertThat(data.labels()).containsExactly("x", "y");
    assertThat(data.bar("greet", "x").throughputPerSecond()).isEqualTo(3);
    assertThat(replaced).containsExactly("6 replaces an earlier result for greet / x");
  }

  @Test
  @DisplayName("writes compact values: 18.3k, 1.2M, 245, 12.5, 0.82")
  void compactValues() {
    assertThat(BarChart.compact(18_250)).isEqualTo("18.3k");
    assertThat(BarChart.compact(1_200_000)).isEqualTo("1.2M");
    assertThat(BarChart.compact(245.4)).isEqualTo("245");
    assertThat(BarChart.compact(12.5)).isEqualTo("12.5");
    assertThat(BarChart.compact(0.82)).isEqualTo("0.82");
    assertThat(BarChart.compact(10_000)).isEqualTo("10k");
  }

  @Test
  @DisplayName("refuses no --out, no files, and a file that is not a bench result (exit 2, naming the file)")
  void badInput() throws IOException {
    Path good = result("good.json", "echo", "x", 64, 1, 1);
    Path notJson = Files.writeString(dir.resolve("bad.json"), "{ nope");
    Path other = Files.writeString(dir.resolve("other.json"), "{\"tool\":\"wrk\"}");
    Path missingField = Files.writeString(dir.resolve("partial.json"), "{\"tool\":\"netserver-bench\",\"mode\":\"echo\"}");
    Path png = dir.resolve("x.png");
    assertThat(BenchRun.of("chart", good.toString()).err()).startsWith("netserver bench chart: Missing required option: '--out=FILE.png'");
    assertThat(BenchRun.of("chart", "--out", png.toString()).err()).startsWith("netserver bench chart: Missing required parameter: 'RESULT.json'");
    BenchRun bad = BenchRun.of("chart", "--out", png.toString(), good.toString(), notJson.toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains(notJson + ": is not a JSON object");
    assertThat(BenchRun.of("chart", "--out", png.toString(), other.toString()).err())
      .contains(other + ": is not a result of netserver bench");
    assertThat(BenchRun.of("chart", "--out", png.toString(), missingField.toString()).err())
      .contains(missingField + ": \"size\" is missing");
    BenchRun narrow = BenchRun.of("chart", "--out", png.toString(), "--width", "10", good.toString());
    assertThat(narrow.exit()).isEqualTo(2);
    assertThat(narrow.err()).startsWith("netserver bench chart: --width must be an integer in 400..10000 (was 10)");
    assertThat(Files.exists(png)).isFalse();
  }
}
