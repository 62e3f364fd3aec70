package dev.netserver.config;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

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

  @Test
  @DisplayName("never lets more through than burst + rate x elapsed time, nor more than burst at once, and lets that much through when asked, on 300 random runs")
  void greedyCallerGetsExactlyWhatIsEarned() {
    // one seed per run, named in every message: a failure is rerun by calling greedyCallerGetsExactlyWhatIsEarned(seed)
    for (long seed = 1; seed <= 300; seed++) {
      greedyCallerGetsExactlyWhatIsEarned(seed);
    }
  }

  /** One run: a random rate and burst, and a caller that takes every token it can after each random step of time. */
  private static void greedyCallerGetsExactlyWhatIsEarned(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int rate = between(random, 1, 100_000);
    int burst = between(random, 1, 1000);
    int steps = between(random, 0, 200);
    long start = 1L << 62;
    long interval = SECOND / rate;
    TokenBucket bucket = new TokenBucket(rate, burst, start);
    long now = start;
    long taken = 0;
    for (int i = 0; i < steps; i++) {
      long step = between(random, 0, 50_000_000);
      now += step;
      long takenNow = 0;
      while (bucket.tryTake(now)) {
        takenNow++;
      }
      taken += takenNow;
      assertThat(takenNow).as("seed %d (rate %d, burst %d), step %d: never more than burst at once", seed, rate, burst, i)
        .isLessThanOrEqualTo(burst);
      assertThat(taken).as("seed %d (rate %d, burst %d), step %d: never more than burst + earned", seed, rate, burst, i)
        .isLessThanOrEqualTo(burst + (now - start) / interval);
      // the bucket was full at the start, and empty after each greedy round: it earned step / interval since
      assertThat(takenNow).as("seed %d (rate %d, burst %d), step %d: a greedy caller gets every token earned", seed, rate, burst, i)
        .isGreaterThanOrEqualTo(i == 0 ? burst : Math.min(burst, step / interval));
    }
    assertThat(bucket.isFull(now + burst * interval)).as("seed %d: full again after burst intervals", seed).isTrue();
  }

  /** A number in min..max, one of the two ends one time in eight: the edges (no time, rate 1, burst 1) come up. */
  private static int between(SplittableRandom random, int min, int max) {
    return switch (random.nextInt(16)) {
      case 0 -> min;
      case 1 -> max;
      default -> random.nextInt(min, max + 1);
    };
  }
}
