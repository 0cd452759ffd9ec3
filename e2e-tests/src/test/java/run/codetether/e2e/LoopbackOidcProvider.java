package run.codetether.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A protocol-faithful OpenID Connect provider on loopback for the dashboard's login: discovery, an authorization
 * endpoint that signs the user in at once (as a provider with an existing session does) and redirects back with a
 * code, a token endpoint that checks the PKCE verifier and answers an RS256 access token, and the JWKS. Its JSON
 * endpoints answer CORS as providers that serve browser (public) clients do.
 */
final class LoopbackOidcProvider implements AutoCloseable {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private record Grant(String challenge, String redirectUri, String clientId) {}

    private final HttpServer server;
    private final KeyPair keys;
    private final String clientId;
    private final String audience;
    private final String subject;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    volatile int tokensIssued;

    LoopbackOidcProvider(String clientId, String audience, String subject) throws Exception {
        this.clientId = clientId;
        this.audience = audience;
        this.subject = subject;
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        keys = g.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/jwks", this::jwks);
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void discovery(HttpExchange x) throws IOException {
        String i = issuer();
        send(x, 200, "{\"issuer\":\"" + i + "\",\"authorization_endpoint\":\"" + i + "/authorize\",\"token_endpoint\":\""
                + i + "/token\",\"jwks_uri\":\"" + i + "/jwks\",\"response_types_supported\":[\"code\"],"
                + "\"code_challenge_methods_supported\":[\"S256\"]}");
    }

    private void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = form(x.getRequestURI().getRawQuery());
        if (!clientId.equals(q.get("client_id")) || !"S256".equals(q.get("code_challenge_method"))
                || !"code".equals(q.get("response_type"))) {
            send(x, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(q.get("code_challenge"), q.get("redirect_uri"), q.get("client_id")));
        String location = q.get("redirect_uri") + "?code=" + code + "&state=" + q.get("state");
        x.getResponseHeaders().add("Location", location);
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    private void token(HttpExchange x) throws IOException {
        if (x.getRequestMethod().equals("OPTIONS")) {
            x.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            x.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type");
            x.sendResponseHeaders(204, -1);
            x.close();
            return;
        }
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant g = codes.remove(String.valueOf(f.get("code")));
        try {
            String challenge = B64.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(f.get("code_verifier")).getBytes(StandardCharsets.US_ASCII)));
            if (g == null || !g.challenge().equals(challenge) || !g.redirectUri().equals(f.get("redirect_uri"))
                    || !g.clientId().equals(f.get("client_id")) || !"authorization_code".equals(f.get("grant_type"))) {
                send(x, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            tokensIssued++;
            send(x, 200, "{\"access_token\":\"" + jwt() + "\",\"token_type\":\"Bearer\",\"expires_in\":600}");
        } catch (Exception e) {
            send(x, 500, "{\"error\":\"server_error\"}");
        }
    }

    private void jwks(HttpExchange x) throws IOException {
        RSAPublicKey k = (RSAPublicKey) keys.getPublic();
        send(x, 200, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + B64.encodeToString(unsigned(k.getModulus())) + "\",\"e\":\"" + B64.encodeToString(unsigned(k.getPublicExponent()))
                + "\"}]}");
    }

    private String jwt() throws Exception {
        long now = Instant.now().getEpochSecond();
        String header = B64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        String claims = B64.encodeToString(("{\"iss\":\"" + issuer() + "\",\"sub\":\"" + subject + "\",\"aud\":\"" + audience
                + "\",\"iat\":" + now + ",\"exp\":" + (now + 600) + "}").getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(keys.getPrivate());
        s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + B64.encodeToString(s.sign());
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        // discovery, JWKS and token answer CORS, as providers that serve browser (public) clients do
        x.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
