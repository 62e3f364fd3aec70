package dev.netserver.tcp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A greeting listener's {@code limits.maxBufferedBytes}: the bytes of unfinished lines its connections hold
 * between reads, over all its instances (thread-safe). A line that arrives whole in one read is answered from
 * that read and never held, so it never touches the budget.
 */
final class LineBudget {

  private final long max;
  private final AtomicLong held = new AtomicLong();

  LineBudget(long max) {
    this.max = max;
  }

  /** Takes {@code bytes} from the budget; {@code false} (taking nothing) if that would go over it. */
  boolean tryReserve(int bytes) {
    while (true) {
      long now = held.get();
      if (now + bytes > max) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(int bytes) {
    held.addAndGet(-bytes);
  }

  /** The bytes held now. */
  long held() {
    return held.get();
  }
}
