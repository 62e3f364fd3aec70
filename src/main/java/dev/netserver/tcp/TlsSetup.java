package dev.netserver.tcp;

import dev.netserver.config.TlsConfig;
import dev.netserver.config.TlsMaterial;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS on one listener (vertx engine): its certificates as loaded ({@link TlsMaterial}), Vert.x's SSL options
 * made from them, the watch that reloads them when their files change, and the count of failed handshakes.
 * Made by the listener's first instance before it listens; every instance's servers take their options
 * from it. Reloads run on the first instance's context.
 */
final class TlsSetup {

  private static final Logger LOG = LoggerFactory.getLogger(TlsSetup.class);
  /** How often the files are looked at: a renewed certificate is served within this (plus a read). */
  static final long CHECK_INTERVAL_MS = 2000;

  private final Vertx vertx;
  private final String listener;
  private final TlsConfig config;
  private volatile TlsMaterial current;
  /** The fingerprint of the last files that failed to load, so that a bad file is reported once, not every check. */
  private String failedFingerprint;
  private Future<Boolean> reloading;
  private long timer = -1;

  private TlsSetup(Vertx vertx, String listener, TlsConfig config, TlsMaterial material) {
    this.vertx = vertx;
    this.listener = listener;
    this.config = config;
    this.current = material;
  }

  /** Loads the listener's certificates (on a worker thread); fails naming what is wrong. */
  static Future<TlsSetup> load(Vertx vertx, String listener, TlsConfig config) {
    return vertx.executeBlocking(() -> TlsMaterial.load(config, System::getenv, where(listener)))
      .compose(loaded -> loaded.material() != null
        ? Future.succeededFuture(new TlsSetup(vertx, listener, config, loaded.material()))
        : Future.failedFuture(new IllegalStateException(String.join("; ", loaded.problems()))))
      .onSuccess(t -> LOG.info("{}: TLS by the {} provider ({}), {}", listener, config.provider().configName(),
        providerText(config.provider()), String.join(", ", config.protocols())));
  }

  /** What runs a provider's TLS: the JDK's version, or the native library's own version string. */
  static String providerText(TlsConfig.Provider provider) {
    return provider == TlsConfig.Provider.OPENSSL
      ? io.netty.handler.ssl.OpenSsl.versionString() + " through netty-tcnative"
      : "SunJSSE of Java " + Runtime.version().feature();
  }

  /** Vert.x's engine options for a provider; a fresh object each call, as options are copied per server. */
  static SSLEngineOptions engineOptions(TlsConfig.Provider provider) {
    return switch (provider) {
      case JDK -> new JdkSSLEngineOptions();
      case OPENSSL -> new OpenSSLEngineOptions();
    };
  }

  private static String where(String listener) {
    return "listener " + listener + " tls";
  }

  /** Puts the current certificates and the listener's TLS settings on a server's options. */
  NetServerOptions apply(NetServerOptions options) {
    return apply(options, current);
  }

  private NetServerOptions apply(NetServerOptions options, TlsMaterial material) {
    options.setSsl(true)
      .setSslEngineOptions(engineOptions(config.provider()))
      .setKeyCertOptions(material.keyCertOptions())
      .setEnabledSecureTransportProtocols(new LinkedHashSet<>(config.protocols()))
      .setSslHandshakeTimeout(config.handshakeTimeoutSeconds())
      .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS);
    options.setSni(!config.sni().isEmpty());
    options.setClientAuth(switch (config.clientAuth()) {
      case NONE -> ClientAuth.NONE;
      case REQUEST -> ClientAuth.REQUEST;
      case REQUIRED -> ClientAuth.REQUIRED;
    });
    if (material.trustOptions() != null) {
      options.setTrustOptions(material.trustOptions());
    }
    return options;
  }

  /**
   * Counts a failed handshake (plain text on the port, no common protocol, no client certificate, the
   * timeout, a client that closed or reset before finishing it, as a TCP health check does) on the instance
   * whose server saw it. Vert.x reports these to a NetServer's exception handler, on that server's context;
   * Netty has already closed the connection. No stack trace: a client's mistake is not the server's error.
   * False for any other failure, which the caller reports as such.
   */
  static boolean handshakeFailed(String listener, TcpStats stats, Throwable failure) {
    if (!(failure instanceof IOException)) { // SSLException is one
      return false;
    }
    stats.tlsHandshakeFailures++;
    // Vert.x reports the failure without its socket: the line has no client
    AccessLog.refused(listener, null, AccessLog.TLS_HANDSHAKE, 0);
    LOG.debug("{}: TLS handshake failed: {}", listener, failure.toString());
    return true;
  }

  /** Checks the files every {@link #CHECK_INTERVAL_MS} on the caller's context (the first instance's). */
  void watch(List<NetServer> servers, TcpStats stats) {
    timer = vertx.setPeriodic(CHECK_INTERVAL_MS, t -> reload(servers, stats));
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /**
   * Reloads the certificates if a file changed since they were loaded: the servers switch with
   * {@code updateSSLOptions} (new connections get the new certificate, open ones keep theirs). A file that
   * does not load keeps the old certificate, is logged at ERROR once per content and counted in
   * {@code tlsReloadFailures}. Completes with whether the servers switched. Call on the first instance's
   * context; a call during a reload gets that reload's outcome.
   */
  Future<Boolean> reload(List<NetServer> servers, TcpStats stats) {
    if (reloading != null) {
      return reloading;
    }
    TlsMaterial was = current;
    String lastFailed = failedFingerprint;
    Future<Boolean> outcome = vertx.<Attempt>executeBlocking(() -> {
      String now = TlsMaterial.fingerprint(config);
      if (now.equals(was.fingerprint()) || now.equals(lastFailed)) {
        return null;
      }
      return new Attempt(now, TlsMaterial.load(config, System::getenv, where(listener)));
    }).compose(attempt -> {
      if (attempt == null) {
        return Future.succeededFuture(false);
      }
      TlsMaterial material = attempt.loaded().material();
      if (material == null) {
        failedFingerprint = attempt.fingerprint();
        stats.tlsReloadFailures++;
        LOG.error("{}: the changed certificate files do not load; still serving the certificate with serial {}: {}",
          listener, was.serial(), String.join("; ", attempt.loaded().problems()));
        return Future.succeededFuture(false);
      }
      NetServerOptions options = apply(new NetServerOptions(), material);
      return Future.all(servers.stream().map(s -> s.updateSSLOptions(options.getSslOptions())).toList())
        .map(all -> {
          current = material;
          failedFingerprint = null;
          LOG.info("{}: TLS certificate reloaded (serial {}, was {})", listener, material.serial(), was.serial());
          return true;
        })
        .recover(e -> {
          failedFingerprint = attempt.fingerprint();
          stats.tlsReloadFailures++;
          LOG.error("{}: Vert.x refused the changed certificates; still serving the certificate with serial {}: {}",
            listener, was.serial(), e.toString());
          return Future.succeededFuture(false);
        });
    });
    reloading = outcome;
    return outcome.andThen(ar -> reloading = null);
  }

  /** The serial number of the certificate served by default now, in hex. */
  String serial() {
    return current.serial();
  }

  private record Attempt(String fingerprint, TlsMaterial.Loaded loaded) {
  }
}
