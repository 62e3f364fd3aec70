package dev.netserver.reload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/** The reloads so far: counted by outcome, and the last one; written by the reload, read by the admin from any thread. */
public final class ReloadHistory {

  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile ReloadResult last;
  /** Who waits for the next outcome; guarded by {@code this}. */
  private List<CompletableFuture<ReloadResult>> waiting = new ArrayList<>();

  public void record(ReloadResult result) {
    (result.ok() ? ok : failed).incrementAndGet();
    last = result;
    List<CompletableFuture<ReloadResult>> done;
    synchronized (this) {
      done = waiting;
      waiting = new ArrayList<>();
    }
    done.forEach(f -> f.complete(result));
  }

  /** The outcome of the next reload that ends (one a file watch starts, say). */
  public synchronized CompletionStage<ReloadResult> next() {
    CompletableFuture<ReloadResult> next = new CompletableFuture<>();
    waiting.add(next);
    return next;
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
