package dev.netserver.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The CPU time of this process, so that the tool can say how much of the machine it took itself. */
final class ProcessCpu {

  private ProcessCpu() {
  }

  /** Nanoseconds of CPU used by this process so far (all threads, user and system), or -1 if unknown. */
  static long nanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /** The CPU time between two {@link #nanos()}, or -1 if either is unknown. */
  static long between(long start, long end) {
    return start < 0 || end < 0 ? -1 : end - start;
  }

  /**
   * Whether this process may open {@code needed} more file descriptors; a message saying what to do
   * if not, else {@code null}. Unknown limits pass.
   */
  static String fileDescriptorProblem(int needed, String what) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
      return null;
    }
    long max = unix.getMaxFileDescriptorCount();
    long open = unix.getOpenFileDescriptorCount();
    if (max <= 0 || open < 0 || open + needed <= max) {
      return null;
    }
    return what + " needs about " + needed + " file descriptors, and this process may open only " + (max - open)
      + " more (limit " + max + ", " + open + " open): raise the limit (ulimit -n " + (open + needed) * 2
      + ") or lower -c";
  }
}
