package dev.netserver.stats;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The summary line")
class SummaryLineTest {

  private static ListenerTotals totals(String name, ListenerKind kind, String protocol, JsonObject counters) {
    ListenerTotals t = new ListenerTotals(name, kind, protocol);
    t.add(new StatsSnapshot("n", name, kind, protocol, "i", 0, false, Counters.fromJson(counters)), Rates.ZERO, true);
    return t;
  }

  @Test
  @DisplayName("reads like the issue's example for a TCP listener, with the rate over the interval")
  void tcp() {
    ListenerTotals before = totals("greeter", ListenerKind.TCP, "greeting", new JsonObject().put("connectionsAccepted", 22L));
    ListenerTotals now = totals("greeter", ListenerKind.TCP, "greeting", new JsonObject()
      .put("connectionsAccepted", 1204L).put("connectionsActive", 3L).put("linesAnswered", 1190L)
      .put("bytesIn", 14438L).put("bytesOut", 62464L));
    assertThat(SummaryLine.of(now, before, 10_000))
      .isEqualTo("greeter tcp: 1204 accepted (3 active), 118.2 conn/s, in 14.1 KiB, out 61.0 KiB, 1190 answered");
  }

  @Test
  @DisplayName("names too-long lines, timeouts and errors only when there are some")
  void problems() {
    ListenerTotals now = totals("echo", ListenerKind.TCP, "echo", new JsonObject()
      .put("connectionsAccepted", 4L).put("timedOut", 2L).put("errors", 1L));
    assertThat(SummaryLine.of(now, null, 2_000))
      .isEqualTo("echo tcp: 4 accepted (0 active), 2.0 conn/s, in 0 B, out 0 B, 2 timed out, 1 errors");
  }

  @Test
  @DisplayName("counts datagrams for a UDP listener")
  void udp() {
    ListenerTotals now = totals("udp-echo", ListenerKind.UDP, "echo", new JsonObject()
      .put("datagramsIn", 310L).put("datagramsEchoed", 300L).put("bytesIn", 3 * 1024 * 1024L).put("bytesOut", 512L));
    assertThat(SummaryLine.of(now, null, 10_000))
      .isEqualTo("udp-echo udp: 310 datagrams (300 echoed, 10 dropped), 31.0 dgram/s, in 3.0 MiB, out 512 B");
  }

  @Test
  @DisplayName("names refusals (all reasons together) and accept failures, and the kernel's drops apart")
  void guards() {
    ListenerTotals tcp = totals("greeter", ListenerKind.TCP, "greeting", new JsonObject().put("connectionsAccepted", 4L)
      .put("refusedPerSource", 2L).put("refusedLineTimeout", 1L).put("acceptFailures", 7L));
    assertThat(SummaryLine.of(tcp, null, 2_000))
      .isEqualTo("greeter tcp: 4 accepted (0 active), 2.0 conn/s, in 0 B, out 0 B, 0 answered, 3 refused, 7 accept failures");
    ListenerTotals udp = totals("udp-echo", ListenerKind.UDP, "echo", new JsonObject()
      .put("datagramsIn", 10L).put("datagramsEchoed", 9L).put("droppedKernel", 47L));
    assertThat(SummaryLine.of(udp, null, 10_000))
      .isEqualTo("udp-echo udp: 10 datagrams (9 echoed, 1 dropped, 47 dropped by the kernel), 1.0 dgram/s, in 0 B, out 0 B");
  }
}
