package run.codetether.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook on loopback that records the push notifications it is sent (the test profile allows private targets):
 * the Authorization and X-A2A-Notification-Token headers and the JSON body of each. It can refuse the first
 * deliveries with 503, so a test sees the dispatcher retry.
 */
public final class PushReceiver implements AutoCloseable {
    public record Received(String authorization, String token, JsonNode body) {}

    /** The accepted deliveries, in arrival order. */
    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final HttpServer server;

    /** @param refuseFirst how many deliveries are answered 503 before the receiver accepts */
    public PushReceiver(int refuseFirst) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (calls.incrementAndGet() <= refuseFirst) {
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            received.add(new Received(ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("X-A2A-Notification-Token"),
                    A2AHttp.JSON.readTree(new String(body, StandardCharsets.UTF_8))));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    /** The webhook's URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Every delivery attempt so far, refused ones included. */
    public int calls() {
        return calls.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
