package run.codetether.gateway.infra.auth;

import java.time.Clock;
import java.util.List;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.JwtPolicy;
import run.codetether.gateway.domain.TokenVerifier;

/** Builds the JWT verifier from {@code codetether.gateway.auth.jwt.*}; a half-done configuration fails start-up. */
public final class JwtAuth {
    private JwtAuth() {}

    /** @return the verifier, or null when no JWT setting is given (API keys only) */
    public static TokenVerifier verifier(GatewayConfig.Jwt c) {
        boolean any = c.issuer().isPresent() || c.audience().isPresent() || c.jwksUrl().isPresent()
                || c.jwksFile().isPresent();
        if (!any) {
            return null;
        }
        List<String> audience = c.audience().orElse(List.of());
        if (c.issuer().isEmpty() || audience.isEmpty() || c.jwksUrl().isPresent() == c.jwksFile().isPresent()) {
            throw new IllegalStateException("JWT auth needs codetether.gateway.auth.jwt.issuer, .audience and exactly "
                    + "one of .jwks-url / .jwks-file (CODETETHER_GATEWAY_AUTH_JWT_ISSUER, _AUDIENCE, _JWKS_URL, "
                    + "_JWKS_FILE)");
        }
        JwtPolicy policy = new JwtPolicy(c.issuer().get(), audience, c.clientClaim(), c.clockSkew());
        var keys = c.jwksFile().isPresent() ? JwksTokenVerifier.fromFile(c.jwksFile().get())
                : JwksTokenVerifier.fromUrl(c.jwksUrl().get(), c.jwksCacheTtl(), c.jwksTimeout());
        return new JwksTokenVerifier(keys, policy, Clock.systemUTC());
    }
}
