package dev.netserver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@DisplayName("TokenBucket, on an injected clock")
class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  /** How many of {@code attempts} takes at {@code now} succeed. */
  private static int take(TokenBucket bucket, int attempts, long now) {
    int taken = 0;
    for (int i = 0; i < attempts; i++) {
      if (bucket.tryTake(now)) {
        taken++;
      }
    }
    return taken;
  }

  @Test
  @DisplayName("starts full: a burst is taken at once, then nothing")
  void startsFull() {
    TokenBucket bucket = new TokenBucket(10, 5, 0);
    assertThat(take(bucket, 100, 0)).isEqualTo(5);
  }

  @Test
  @DisplayName("earns tokens at its rate: one per 1/rate s")
  void refillsAtRate() {
    TokenBucket bucket = new TokenBucket(10, 5, 0);
    take(bucket, 5, 0);
    assertThat(bucket.tryTake(SECOND / 10 - 1)).as("just before a tenth of a second").isFalse();
    assertThat(bucket.tryTake(SECOND / 10)).as("at a tenth of a second").isTrue();
    assertThat(bucket.tryTake(SECOND / 10)).isFalse();
    assertThat(take(bucket, 100, SECOND / 10 + SECOND / 2)).as("half a second later").isEqualTo(5);
  }

  @Test
  @DisplayName("saves up no more than its burst, however long it waits")
  void capsAtBurst() {
    TokenBucket bucket = new TokenBucket(1000, 3, 0);
    take(bucket, 3, 0);
    assertThat(take(bucket, 100, 3600 * SECOND)).isEqualTo(3);
  }

  @Test
  @DisplayName("over a long run, admits rate x time + burst")
  void longRun() {
    TokenBucket bucket = new TokenBucket(1000, 50, 0);
    int taken = 0;
    for (long t = 0; t <= 10 * SECOND; t += SECOND / 10_000) {
      taken += take(bucket, 1, t);
    }
    assertThat(taken).isEqualTo(10 * 1000 + 50);
  }

  @Test
  @DisplayName("works across the wrap of a nanosecond clock")
  void clockWraps() {
    long start = Long.MAX_VALUE - SECOND / 20;
    TokenBucket bucket = new TokenBucket(10, 1, start);
    assertThat(bucket.tryTake(start)).isTrue();
    assertThat(bucket.tryTake(start + SECOND / 20)).as("half an interval later").isFalse();
    assertThat(bucket.tryTake(start + SECOND / 10)).as("an interval later, past the wrap").isTrue();
  }

  @Test
  @DisplayName("says when it is full again, so idle per-source buckets can be dropped")
  void isFull() {
    TokenBucket bucket = new TokenBucket(10, 2, 0);
    assertThat(bucket.isFull(0)).isTrue();
    bucket.tryTake(0);
    assertThat(bucket.isFull(0)).isFalse();
    assertThat(bucket.isFull(SECOND / 10)).isTrue();
  }

  @Test
  @DisplayName("refuses a rate or burst below 1 and a rate above 10^9")
  void refusesBadArguments() {
    assertThatIllegalArgumentException().isThrownBy(() -> new TokenBucket(0, 1, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> new TokenBucket(1, 0, 0));
    assertThatIllegalArgumentException().isThrownBy(() -> new TokenBucket(1_000_000_001, 1, 0));
  }
}
