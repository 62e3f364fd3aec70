package dev.netserver.sockopts;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Notes on a buffer size that reads back differently")
class NotesTest {

  @Test
  @DisplayName("a native transport reports Linux's doubled size, capped size or minimum as such")
  void nativeTransport() {
    assertThat(Notes.bufferSize("SO_RCVBUF", 65536, 131072, false)).isEqualTo("doubled by Linux (room for its bookkeeping)");
    assertThat(Notes.bufferSize("SO_RCVBUF", 100_000_000, 8_388_608, false))
      .isEqualTo("capped by net.core.rmem_max (4194304), then doubled");
    assertThat(Notes.bufferSize("SO_SNDBUF", 1000, 4608, false)).isEqualTo("raised to the kernel's minimum, then doubled");
  }

  @Test
  @DisplayName("NIO reports half of what Linux keeps, because the JDK halves it, and the note says so")
  void nio() {
    assertThat(Notes.bufferSize("SO_RCVBUF", 65536, 65536, true))
      .isEqualTo("doubled by Linux (room for its bookkeeping): Linux keeps 131072, the JDK reports half");
    assertThat(Notes.bufferSize("SO_SNDBUF", 1000, 2304, true))
      .startsWith("raised to the kernel's minimum, then doubled: Linux keeps 4608");
  }

  @Test
  @DisplayName("an option left to the system, a backlog and a Netty setting each get their own note")
  void otherNotes() {
    OptionDoc rcvbuf = OptionCatalog.describe("SO_RCVBUF");
    assertThat(Notes.of("SO_RCVBUF", rcvbuf, null, 131072, true, "epoll")).isEqualTo("not set: the system's default");
    assertThat(Notes.of("SO_RCVBUF", rcvbuf, 1, null, false, "epoll")).contains("no such option");
    assertThat(Notes.of("SO_BACKLOG", OptionCatalog.describe("SO_BACKLOG"), 64, 64, true, "nio")).contains("kernel does not report it");
    assertThat(Notes.of("AUTO_READ", OptionCatalog.describe("AUTO_READ"), true, true, true, "nio")).contains("Netty setting");
    assertThat(Notes.of("IP_TOS", OptionCatalog.describe("IP_TOS"), 16, 16, true, "nio")).isEmpty();
    assertThat(Notes.of("IP_TOS", OptionCatalog.describe("IP_TOS"), 16, 0, true, "nio")).isEqualTo("differs from what was asked");
  }
}
