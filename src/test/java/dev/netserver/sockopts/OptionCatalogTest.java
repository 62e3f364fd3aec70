package dev.netserver.sockopts;

import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The option catalog and how options are named and printed")
class OptionCatalogTest {

  @Test
  @DisplayName("an option the catalog doesn't know keeps Netty's name and says it has no description")
  void unknownOption() {
    OptionDoc doc = OptionCatalog.describe("SO_SOMETHING_NEW");
    assertThat(doc.osName()).isEqualTo("SO_SOMETHING_NEW");
    assertThat(doc.meaning()).isEqualTo("(no description)");
    assertThat(doc.level()).isEqualTo("unknown");
  }

  @Test
  @DisplayName("Netty's names are translated to the operating system's: SO_BACKLOG, the JDK's TCP_KEEPINTERVAL, IP_MULTICAST_LOOP_DISABLED")
  void osNames() {
    assertThat(OptionCatalog.describe("SO_BACKLOG").osName()).isEqualTo("listen() backlog");
    assertThat(OptionCatalog.describe("TCP_KEEPINTERVAL").osName()).isEqualTo("TCP_KEEPINTVL");
    assertThat(OptionCatalog.describe("TCP_KEEPCOUNT").osName()).isEqualTo("TCP_KEEPCNT");
    assertThat(OptionCatalog.describe("IP_MULTICAST_LOOP_DISABLED").osName()).isEqualTo("IP_MULTICAST_LOOP");
    assertThat(OptionCatalog.describe("IP_TOS").osLevel()).isEqualTo("IPPROTO_IP");
    assertThat(OptionCatalog.describe("WRITE_BUFFER_WATER_MARK").level()).isEqualTo("netty");
  }

  @Test
  @DisplayName("a qualified Netty option name is shortened, and its Java constant found")
  void names() {
    assertThat(NettyOptions.shortName(ChannelOption.TCP_FASTOPEN)).isEqualTo("TCP_FASTOPEN");
    assertThat(NettyOptions.constantName(ChannelOption.TCP_FASTOPEN)).isEqualTo("ChannelOption.TCP_FASTOPEN");
    assertThat(NettyOptions.constantName(ChannelOption.SO_RCVBUF)).isEqualTo("ChannelOption.SO_RCVBUF");
  }

  @Test
  @DisplayName("values print without identity hashes, so equal settings of two channels print the same")
  void rendering() {
    assertThat(NettyOptions.render(new io.netty.channel.FixedRecvByteBufAllocator(2048))).isEqualTo("Fixed, 2048 bytes");
    assertThat(NettyOptions.render(new io.netty.channel.AdaptiveRecvByteBufAllocator())).isEqualTo("Adaptive");
    assertThat(NettyOptions.render(new io.netty.channel.WriteBufferWaterMark(1, 2))).isEqualTo("low 1, high 2");
    assertThat(NettyOptions.render(null)).isEqualTo("(none)");
    assertThat(NettyOptions.json(7)).isEqualTo(7);
  }
}
