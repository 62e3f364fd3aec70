package dev.netserver.tcp;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("ProxyGate: which failures Vert.x reports are the PROXY header's")
class ProxyGateTest {

  @Test
  @DisplayName("the codec's exception, as is or wrapped, and Vert.x's refusal of a datagram transport are")
  void headerFailures() {
    assertThat(ProxyGate.isHeaderFailure(new HAProxyProtocolException("invalid header"))).isTrue();
    assertThat(ProxyGate.isHeaderFailure(new DecoderException(new HAProxyProtocolException("x")))).isTrue();
    assertThat(ProxyGate.isHeaderFailure(new IOException("Unsupported HA PROXY transport protocol"))).isTrue();
  }

  @Test
  @DisplayName("other failures before the handover (a TLS handshake, a reset) are not")
  void otherFailures() {
    assertThat(ProxyGate.isHeaderFailure(new SSLHandshakeException("no cipher suites in common"))).isFalse();
    assertThat(ProxyGate.isHeaderFailure(new DecoderException(new IllegalStateException("x")))).isFalse();
    assertThat(ProxyGate.isHeaderFailure(new IOException("Connection reset by peer"))).isFalse();
  }
}
