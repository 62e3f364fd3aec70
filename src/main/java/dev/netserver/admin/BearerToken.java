package dev.netserver.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>}; else 401 with a
 * {@code WWW-Authenticate} challenge. The comparison is of SHA-256 digests with {@link MessageDigest#isEqual},
 * which takes the same time wherever the first difference is, and hashing first hides the token's length too.
 * Neither the token nor the header that was sent is ever logged.
 */
final class BearerToken implements Handler<RoutingContext> {

  private static final String SCHEME = "Bearer ";

  private final byte[] expected;

  BearerToken(String token) {
    this.expected = digest(token);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (accepts(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(401)
        .putHeader("WWW-Authenticate", "Bearer realm=\"netserver\"")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end("{\"error\":\"unauthorized: send Authorization: Bearer <admin.token>\"}");
    }
  }

  boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    return MessageDigest.isEqual(expected, digest(authorization.substring(SCHEME.length()).strip()));
  }

  private static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
