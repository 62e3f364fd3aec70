package dev.netserver.bench;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The numbers a chart shows, read from result files: throughput and p99 latency per group (a mode, or
 * a mode and size when one mode was run with several sizes) and label. Groups come in mode order
 * (greet, echo, stream, udp, hold, then others by name), labels in the order the files first name them,
 * so the same files always give the same chart.
 */
record ChartData(List<String> groups, List<String> labels, Map<String, Map<String, Bar>> bars) {

  /** One bar pair: a label's numbers in one group. */
  record Bar(double throughputPerSecond, double p99Micros) {
  }

  /** One result file's numbers. */
  record Entry(String file, String mode, String label, int size, double throughputPerSecond, double p99Micros) {
  }

  static final String NO_LABEL = "(no label)";

  /**
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  static Entry read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read it: " + Client.describe(e));
    }
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(file + ": is not a JSON object: " + e.getMessage());
    }
    if (!Result.TOOL.equals(json.getValue("tool"))) {
      throw new IllegalArgumentException(file + ": is not a result of netserver bench (\"tool\" is not \"" + Result.TOOL + "\")");
    }
    try {
      String label = json.getString("label", "");
      JsonObject latency = json.getJsonObject("latencyMicros");
      return new Entry(file.toString(), required(json.getString("mode"), "mode"), label.isEmpty() ? NO_LABEL : label,
        required(json.getInteger("size"), "size"), required(json.getDouble("throughputPerSecond"), "throughputPerSecond"),
        required(latency == null ? null : latency.getDouble("p99"), "latencyMicros.p99"));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException(file + ": a field has the wrong type: " + e.getMessage());
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage());
    }
  }

  private static <T> T required(T value, String name) {
    if (value == null) {
      throw new IllegalStateException("\"" + name + "\" is missing");
    }
    return value;
  }

  /** Groups the entries; a later entry for the same group and label replaces an earlier one (see {@code replaced}). */
  static ChartData of(List<Entry> entries, List<String> replaced) {
    Map<String, Set<Integer>> sizes = new LinkedHashMap<>();
    for (Entry e : entries) {
      sizes.computeIfAbsent(e.mode(), m -> new TreeSet<>()).add(e.size());
    }
    List<String> modes = new ArrayList<>(sizes.keySet());
    modes.sort((a, b) -> {
      int ra = modeRank(a);
      int rb = modeRank(b);
      return ra != rb ? Integer.compare(ra, rb) : a.compareTo(b);
    });
    List<String> groups = new ArrayList<>();
    for (String mode : modes) {
      if (sizes.get(mode).size() == 1) {
        groups.add(mode);
      } else {
        for (int size : sizes.get(mode)) {
          groups.add(groupName(mode, size));
        }
      }
    }
    Set<String> labels = new LinkedHashSet<>();
    Map<String, Map<String, Bar>> bars = new LinkedHashMap<>();
    for (Entry e : entries) {
      String group = sizes.get(e.mode()).size() == 1 ? e.mode() : groupName(e.mode(), e.size());
      labels.add(e.label());
      Bar previous = bars.computeIfAbsent(group, g -> new LinkedHashMap<>())
        .put(e.label(), new Bar(e.throughputPerSecond(), e.p99Micros()));
      if (previous != null) {
        replaced.add(e.file() + " replaces an earlier result for " + group + " / " + e.label());
      }
    }
    return new ChartData(List.copyOf(groups), List.copyOf(labels), bars);
  }

  private static String groupName(String mode, int size) {
    return mode + " " + size + " B";
  }

  private static int modeRank(String mode) {
    for (Mode m : Mode.values()) {
      if (m.cliName().equals(mode)) {
        return m.ordinal();
      }
    }
    return Mode.values().length;
  }

  /** The bar of a label in a group, or {@code null}. */
  Bar bar(String group, String label) {
    Map<String, Bar> byLabel = bars.get(group);
    return byLabel == null ? null : byLabel.get(label);
  }
}
