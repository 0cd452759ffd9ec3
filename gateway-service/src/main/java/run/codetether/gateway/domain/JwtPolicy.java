package run.codetether.gateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The claim rules a signature-checked JWT must pass (RFC 7519 section 4.1): the configured issuer exactly, at least
 * one configured audience, an expiry (required: a token that never expires is refused), not-before, both with a
 * clock-skew allowance, and a non-blank client claim, which becomes the caller's client id (tasks belong to it).
 */
public record JwtPolicy(String issuer, List<String> audiences, String clientClaim, Duration clockSkew) {

    public JwtPolicy {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("JWT issuer is required");
        }
        if (audiences == null || audiences.isEmpty()) {
            throw new IllegalArgumentException("JWT audience is required");
        }
        audiences = List.copyOf(audiences);
        clientClaim = clientClaim == null || clientClaim.isBlank() ? "sub" : clientClaim;
        clockSkew = clockSkew == null ? Duration.ZERO : clockSkew;
    }

    /** The claims of a verified token, as read from its payload. */
    public record Claims(String issuer, List<String> audience, Instant expiresAt, Instant notBefore,
            Map<String, Object> all) {}

    public Caller check(Claims c, Instant now) {
        if (!issuer.equals(c.issuer())) {
            throw unauthenticated("The bearer token's issuer is not accepted");
        }
        if (c.audience() == null || c.audience().stream().noneMatch(audiences::contains)) {
            throw unauthenticated("The bearer token is not meant for this audience");
        }
        if (c.expiresAt() == null) {
            throw unauthenticated("The bearer token has no expiry (exp)");
        }
        if (!now.isBefore(c.expiresAt().plus(clockSkew))) {
            throw unauthenticated("The bearer token has expired");
        }
        if (c.notBefore() != null && now.plus(clockSkew).isBefore(c.notBefore())) {
            throw unauthenticated("The bearer token is not valid yet (nbf)");
        }
        Object client = c.all().get(clientClaim);
        if (!(client instanceof String s) || s.isBlank()) {
            throw unauthenticated("The bearer token has no " + clientClaim + " claim");
        }
        return new Caller(s);
    }

    public static A2AException unauthenticated(String message) {
        return new A2AException(A2AError.UNAUTHENTICATED, message);
    }
}
