package run.codetether.gateway.support;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Starts a loopback JWKS endpoint (the way an OIDC provider publishes its jwks_uri) for a freshly generated RSA key
 * and points {@code codetether.gateway.auth.jwt.*} at it. Global, so every test class shares the one boot.
 */
public class JwtTestResource implements QuarkusTestResourceLifecycleManager {
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        JwtIssuer issuer = JwtIssuer.generate("test-key-1");
        System.setProperty(JwtIssuer.PROPERTY, issuer.key().toJSONString());
        byte[] jwks = issuer.publicJwks().getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/jwks.json", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, jwks.length);
            ex.getResponseBody().write(jwks);
            ex.close();
        });
        server.start();
        return Map.of(
                "codetether.gateway.auth.jwt.issuer", JwtIssuer.ISSUER,
                "codetether.gateway.auth.jwt.audience", JwtIssuer.AUDIENCE,
                "codetether.gateway.auth.jwt.jwks-url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
