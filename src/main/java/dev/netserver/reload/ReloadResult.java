package dev.netserver.reload;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * How one reload ended, as {@code /health} shows it under {@code lastReload}.
 *
 * @param at       when it ended
 * @param trigger  what asked for it ({@code SIGHUP}, {@code POST /reload}, {@code file watch})
 * @param ok       whether the new configuration now runs
 * @param problems why not: one line each, as at start (file, key, value, rule); empty when ok
 * @param summary  what changed ({@link ConfigChanges#summary()}), or that nothing did
 */
public record ReloadResult(Instant at, String trigger, boolean ok, List<String> problems, String summary) {

  public ReloadResult {
    problems = List.copyOf(problems);
  }

  public static ReloadResult succeeded(String trigger, String summary) {
    return new ReloadResult(Instant.now(), trigger, true, List.of(), summary);
  }

  public static ReloadResult failed(String trigger, List<String> problems) {
    return new ReloadResult(Instant.now(), trigger, false, problems, "nothing changed");
  }

  /** {@code ok} or {@code failed}: the outcome word of the log, the JSON and the metric's {@code result} label. */
  public String outcome() {
    return ok ? "ok" : "failed";
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("time", at.toString())
      .put("trigger", trigger)
      .put("outcome", outcome())
      .put("summary", summary)
      .put("problems", new JsonArray(problems));
  }
}
