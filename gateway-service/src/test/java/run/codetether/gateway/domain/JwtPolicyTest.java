package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The claim rules of bearer JWTs, without keys or HTTP. */
class JwtPolicyTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    final JwtPolicy policy = new JwtPolicy("https://idp.test", List.of("gw"), "sub", Duration.ofSeconds(60));

    static JwtPolicy.Claims claims(String iss, List<String> aud, Instant exp, Instant nbf, Map<String, Object> all) {
        return new JwtPolicy.Claims(iss, aud, exp, nbf, all);
    }

    static String refusal(Runnable r) {
        A2AException e = assertThrows(A2AException.class, r::run);
        assertEquals(A2AError.UNAUTHENTICATED, e.error());
        return e.getMessage();
    }

    @Test
    void aValidTokenNamesItsClient() {
        Caller c = policy.check(claims("https://idp.test", List.of("other", "gw"), NOW.plusSeconds(300), null,
                Map.of("sub", "ci-bot")), NOW);
        assertEquals("ci-bot", c.clientId());
        // within the skew an expired-by-30s token still passes
        assertEquals("ci-bot", policy.check(claims("https://idp.test", List.of("gw"), NOW.minusSeconds(30), null,
                Map.of("sub", "ci-bot")), NOW).clientId());
    }

    @Test
    void everyRuleRefusesWithItsOwnReason() {
        Map<String, Object> sub = Map.of("sub", "x");
        Instant exp = NOW.plusSeconds(300);
        assertEquals("The bearer token's issuer is not accepted",
                refusal(() -> policy.check(claims("https://evil.test", List.of("gw"), exp, null, sub), NOW)));
        assertEquals("The bearer token is not meant for this audience",
                refusal(() -> policy.check(claims("https://idp.test", List.of("api"), exp, null, sub), NOW)));
        assertEquals("The bearer token is not meant for this audience",
                refusal(() -> policy.check(claims("https://idp.test", null, exp, null, sub), NOW)));
        assertEquals("The bearer token has expired", refusal(() -> policy.check(
                claims("https://idp.test", List.of("gw"), NOW.minusSeconds(61), null, sub), NOW)));
        assertEquals("The bearer token has no expiry (exp)",
                refusal(() -> policy.check(claims("https://idp.test", List.of("gw"), null, null, sub), NOW)));
        assertEquals("The bearer token is not valid yet (nbf)", refusal(() -> policy.check(
                claims("https://idp.test", List.of("gw"), exp, NOW.plusSeconds(120), sub), NOW)));
        assertEquals("The bearer token has no sub claim", refusal(() -> policy.check(
                claims("https://idp.test", List.of("gw"), exp, null, Map.of("sub", " ")), NOW)));
    }

    @Test
    void jwtShapeIsRecognised() {
        assertEquals(true, TokenVerifier.looksLikeJwt("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"));
        assertEquals(false, TokenVerifier.looksLikeJwt("test-key-alice-123"));
        assertEquals(false, TokenVerifier.looksLikeJwt("eyJ.a.b.c"));
        assertEquals(false, TokenVerifier.looksLikeJwt(null));
    }
}
