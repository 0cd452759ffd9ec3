package run.codetether.gateway.infra.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.JwtPolicy;
import run.codetether.gateway.support.JwtIssuer;

/** Signature and claim checks of bearer JWTs against a JWKS file, with a locally generated RSA key. */
class JwksTokenVerifierTest {
    final JwtIssuer issuer = JwtIssuer.generate("k1");
    final JwtPolicy policy = new JwtPolicy(JwtIssuer.ISSUER, List.of(JwtIssuer.AUDIENCE), "sub",
            Duration.ofSeconds(60));

    JwksTokenVerifier verifier(Path dir) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, issuer.publicJwks());
        return new JwksTokenVerifier(JwksTokenVerifier.fromFile(jwks.toString()), policy, Clock.systemUTC());
    }

    static String refusal(JwksTokenVerifier v, String token) {
        A2AException e = assertThrows(A2AException.class, () -> v.verify(token));
        assertEquals(A2AError.UNAUTHENTICATED, e.error());
        return e.getMessage();
    }

    @Test
    void validTokenAuthenticatesItsSubject(@TempDir Path dir) throws Exception {
        assertEquals("ci-bot", verifier(dir).verify(issuer.valid("ci-bot")).clientId());
        com.nimbusds.jwt.JWTClaimsSet claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(JwtIssuer.ISSUER)
                .subject("svc").audience(JwtIssuer.AUDIENCE)
                .expirationTime(java.util.Date.from(Instant.now().plusSeconds(300))).build();
        assertEquals("svc", verifier(dir).verify(issuer.token(claims, "at+jwt")).clientId(),
                "RFC 9068 access tokens are accepted");
        assertEquals(A2AError.UNAUTHENTICATED, assertThrows(A2AException.class,
                () -> verifier(dir).verify(issuer.token(claims, "secevent+jwt"))).error());
    }

    @Test
    void badTokensAreRefusedWithTheirReason(@TempDir Path dir) throws Exception {
        JwksTokenVerifier v = verifier(dir);
        assertEquals("The bearer token has expired",
                refusal(v, issuer.token("x", JwtIssuer.AUDIENCE, Instant.now().minusSeconds(600))));
        assertEquals("The bearer token is not meant for this audience",
                refusal(v, issuer.token("x", "another-api", Instant.now().plusSeconds(600))));
        // same kid, another key: the signature does not verify
        String forged = JwtIssuer.generate("k1").valid("x");
        assertEquals("The bearer token's signature is not valid", refusal(v, forged));
        String unknownKid = JwtIssuer.generate("k2").valid("x");
        assertEquals(true, refusal(v, unknownKid).contains("not signed by a known key"));
        assertEquals(true, refusal(v, JwtIssuer.hmac("x")).contains("not signed by a known key"));
        assertEquals(true, refusal(v, JwtIssuer.unsigned("x")).contains("known key"));
        String valid = issuer.valid("x");
        String tampered = valid.substring(0, valid.indexOf('.') + 1) + "eyJzdWIiOiJhZG1pbiJ9"
                + valid.substring(valid.lastIndexOf('.'));
        assertEquals(true, refusal(v, tampered).startsWith("The bearer token"));
    }

    @Test
    void aMissingJwksFileFailsLoudly() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JwksTokenVerifier.fromFile("/nonexistent/jwks.json"));
        assertEquals(true, e.getMessage().contains("/nonexistent/jwks.json"));
    }
}
