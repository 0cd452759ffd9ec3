package run.codetether.gateway.infra.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.gateway.config.GatewayConfig;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.TokenVerifier;
import run.codetether.gateway.support.JwtIssuer;

/** {@code codetether.gateway.auth.jwt.*}: off, complete (file or URL), or a start-up failure that says what is missing. */
class JwtAuthTest {

    record Settings(Optional<String> issuer, Optional<List<String>> audience, Optional<String> jwksUrl,
            Optional<String> jwksFile) implements GatewayConfig.Jwt {
        @Override
        public String clientClaim() {
            return "sub";
        }

        @Override
        public Duration clockSkew() {
            return Duration.ofSeconds(60);
        }

        @Override
        public Duration jwksCacheTtl() {
            return Duration.ofMinutes(5);
        }

        @Override
        public Duration jwksTimeout() {
            return Duration.ofSeconds(2);
        }
    }

    static Settings settings(String issuer, String audience, String url, String file) {
        return new Settings(Optional.ofNullable(issuer), Optional.ofNullable(audience).map(List::of),
                Optional.ofNullable(url), Optional.ofNullable(file));
    }

    @Test
    void noSettingMeansApiKeysOnly() {
        assertNull(JwtAuth.verifier(settings(null, null, null, null)));
    }

    @Test
    void aHalfDoneConfigurationFailsStartUp() {
        for (Settings s : List.of(settings(JwtIssuer.ISSUER, null, null, null),
                settings(JwtIssuer.ISSUER, JwtIssuer.AUDIENCE, null, null),
                settings(null, JwtIssuer.AUDIENCE, "http://127.0.0.1:1/jwks", null),
                settings(JwtIssuer.ISSUER, JwtIssuer.AUDIENCE, "http://127.0.0.1:1/jwks", "/tmp/jwks.json"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> JwtAuth.verifier(s));
            assertTrue(e.getMessage().contains("CODETETHER_GATEWAY_AUTH_JWT_ISSUER"), e.getMessage());
        }
    }

    @Test
    void aJwksFileConfiguresAWorkingVerifier(@TempDir Path dir) throws Exception {
        JwtIssuer issuer = JwtIssuer.generate("file-key");
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, issuer.publicJwks());
        TokenVerifier v = JwtAuth.verifier(settings(JwtIssuer.ISSUER, JwtIssuer.AUDIENCE, null, jwks.toString()));
        assertEquals("svc", v.verify(issuer.valid("svc")).clientId());
    }

    @Test
    void anUnreachableJwksIsUnavailableNotUnauthenticated() throws Exception {
        HttpServer broken = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        broken.createContext("/jwks.json", ex -> {
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        broken.start();
        try {
            TokenVerifier v = JwtAuth.verifier(settings(JwtIssuer.ISSUER, JwtIssuer.AUDIENCE,
                    "http://127.0.0.1:" + broken.getAddress().getPort() + "/jwks.json", null));
            A2AException e = assertThrows(A2AException.class,
                    () -> v.verify(JwtIssuer.generate("k").valid("svc")));
            assertEquals(A2AError.UNAVAILABLE, e.error());
        } finally {
            broken.stop(0);
        }
    }
}
