package run.codetether.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** GitHub's device-flow endpoints on loopback: pending once, then a token (RFC 8628 shapes). */
final class CopilotStub implements AutoCloseable {
    final AtomicInteger polls = new AtomicInteger();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    CopilotStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/login/device/code", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(ex, "{\"device_code\":\"dc-1\",\"user_code\":\"WDJB-MJHT\",\"verification_uri\":"
                    + "\"https://github.com/login/device\",\"expires_in\":60,\"interval\":1}");
        });
        server.createContext("/login/oauth/access_token", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(ex, polls.incrementAndGet() < 2 ? "{\"error\":\"authorization_pending\"}"
                    : "{\"access_token\":\"gho_token123\",\"token_type\":\"bearer\",\"scope\":\"read:user\"}");
        });
        server.start();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
