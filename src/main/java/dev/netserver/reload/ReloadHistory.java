package dev.netserver.reload;

import java.util.concurrent.atomic.AtomicLong;

/** The reloads so far: counted by outcome, and the last one; written by the reload, read by the admin from any thread. */
public final class ReloadHistory {

  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile ReloadResult last;

  public void record(ReloadResult result) {
    (result.ok() ? ok : failed).incrementAndGet();
    last = result;
  }

  public long succeeded() {
    return ok.get();
  }

  public long failed() {
    return failed.get();
  }

  /** The last reload, or {@code null} before the first. */
  public ReloadResult last() {
    return last;
  }
}
