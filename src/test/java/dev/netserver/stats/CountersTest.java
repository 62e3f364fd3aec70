package dev.netserver.stats;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The counters of a listener")
class CountersTest {

  /** Every counter a distinct value: a reader or a constructor argument out of place shows. */
  private static final Counters DISTINCT = Counters.of(c -> c.ordinal() + 1);

  @Test
  @DisplayName("each counter reads back the field it was built with")
  void readersMatchTheRecord() {
    for (Counter c : Counter.values()) {
      assertThat(DISTINCT.get(c)).as(c.jsonName()).isEqualTo(c.ordinal() + 1);
    }
    assertThat(DISTINCT.get(Counter.CONNECTIONS_ACCEPTED)).isEqualTo(Counter.CONNECTIONS_ACCEPTED.ordinal() + 1);
    assertThat(DISTINCT.get(Counter.BYTES_OUT)).isEqualTo(Counter.BYTES_OUT.ordinal() + 1);
  }

  @Test
  @DisplayName("a TCP snapshot carries the documented TCP counters, in the documented order")
  void tcpWireFormat() {
    JsonObject json = snapshot(ListenerKind.TCP).toJson().getJsonObject("counters");
    assertThat(List.copyOf(json.fieldNames())).containsExactly("connectionsAccepted", "connectionsActive",
      "connectionsClosed", "linesAnswered", "linesTooLong", "timedOut", "refusedMaxConnections", "refusedPerSource",
      "refusedRate", "refusedDenied", "refusedBusy", "refusedLineTimeout", "acceptFailures", "tlsHandshakeFailures", "tlsReloadFailures",
      "proxyUntrusted", "proxyInvalid", "errors", "bytesIn", "bytesOut");
    assertThat(json.getLong("linesAnswered")).isEqualTo(DISTINCT.get(Counter.LINES_ANSWERED));
  }

  @Test
  @DisplayName("a UDP snapshot carries the documented UDP counters, in the documented order")
  void udpWireFormat() {
    JsonObject json = snapshot(ListenerKind.UDP).toJson().getJsonObject("counters");
    assertThat(List.copyOf(json.fieldNames())).containsExactly("datagramsIn", "datagramsEchoed", "droppedOversize",
      "droppedBlockedSource", "droppedInvalidSource", "droppedOwnSource", "droppedRatePerSource", "droppedRate",
      "droppedOverload", "droppedKernel", "errors", "bytesIn", "bytesOut");
    assertThat(json.getLong("droppedOverload")).isEqualTo(DISTINCT.get(Counter.DROPPED_OVERLOAD));
  }

  @Test
  @DisplayName("a snapshot reads back what it wrote, and only its kind's counters travel")
  void roundTrip() {
    StatsSnapshot tcp = snapshot(ListenerKind.TCP);
    StatsSnapshot back = StatsSnapshot.fromJson(tcp.toJson());
    assertThat(back.kind()).isEqualTo(ListenerKind.TCP);
    assertThat(back.counters()).isEqualTo(Counters.of(ListenerKind.TCP, DISTINCT::get));
    assertThat(back.counters().get(Counter.DATAGRAMS_IN)).isZero();
    assertThat(back.counter("timedOut")).isEqualTo(DISTINCT.get(Counter.TIMED_OUT));
    assertThatThrownBy(() -> back.counter("timeOut")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a snapshot of an unknown kind is malformed")
  void unknownKind() {
    JsonObject json = snapshot(ListenerKind.TCP).toJson().put("kind", "sctp");
    assertThatThrownBy(() -> StatsSnapshot.fromJson(json)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("totals in a reply list counters of their kind, rates and departed counts without the gauge")
  void totalsWireFormat() {
    ListenerTotals t = new ListenerTotals("greeter", ListenerKind.TCP, "greeting");
    StatsSnapshot s = snapshot(ListenerKind.TCP);
    t.add(s, Rates.between(Counters.ZERO, s.counters(), 2000), true);
    t.add(s, Rates.ZERO, false);
    JsonObject json = t.toJson();
    assertThat(json.getJsonObject("counters").fieldNames()).hasSize(Counter.of(ListenerKind.TCP).size()).contains("connectionsActive");
    assertThat(json.getJsonObject("counters").getLong("connectionsAccepted")).isEqualTo(2 * DISTINCT.get(Counter.CONNECTIONS_ACCEPTED));
    assertThat(json.getJsonObject("counters").getLong("connectionsActive")).isEqualTo(DISTINCT.get(Counter.CONNECTIONS_ACTIVE));
    assertThat(json.getJsonObject("rates").fieldNames()).hasSize(Counter.totalsOf(ListenerKind.TCP).size()).doesNotContain("connectionsActive");
    assertThat(json.getJsonObject("rates").getDouble("bytesIn")).isEqualTo(DISTINCT.get(Counter.BYTES_IN) / 2.0);
    assertThat(json.getJsonObject("departed").fieldNames()).hasSize(Counter.totalsOf(ListenerKind.TCP).size()).doesNotContain("connectionsActive");
    assertThat(json.getJsonObject("departed").getLong("linesAnswered")).isEqualTo(DISTINCT.get(Counter.LINES_ANSWERED));
    assertThat(json.getInteger("instances")).isEqualTo(1);

    ListenerTotals back = ListenerTotals.fromJson("greeter", json); // only a TCP listener's counters travel
    assertThat(back.counters()).isEqualTo(Counters.of(ListenerKind.TCP, t.counters()::get));
    assertThat(back.departed()).isEqualTo(Counters.of(ListenerKind.TCP, t.departed()::get));
    assertThat(back.rates().get(Counter.BYTES_IN)).isEqualTo(DISTINCT.get(Counter.BYTES_IN) / 2.0);
  }

  @Test
  @DisplayName("rates are per second over the elapsed time, none for a gauge, 0 when no time elapsed")
  void rates() {
    Counters before = Counters.ZERO.with(Counter.BYTES_IN, 100).with(Counter.CONNECTIONS_ACTIVE, 1);
    Counters after = Counters.ZERO.with(Counter.BYTES_IN, 350).with(Counter.CONNECTIONS_ACTIVE, 9);
    Rates rates = Rates.between(before, after, 500);
    assertThat(rates.get(Counter.BYTES_IN)).isEqualTo(500.0);
    assertThat(rates.get(Counter.CONNECTIONS_ACTIVE)).isZero();
    assertThat(Rates.between(before, after, 0)).isEqualTo(Rates.ZERO);
  }

  private static StatsSnapshot snapshot(ListenerKind kind) {
    return new StatsSnapshot("n1", "l", kind, "echo", "i", 1000, false, DISTINCT);
  }
}
