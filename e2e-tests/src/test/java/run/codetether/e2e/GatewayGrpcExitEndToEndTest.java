package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/**
 * Issue 19: the PACKAGED gateway whose gRPC port is taken. Its gRPC server cannot bind (Quarkus logs that and serves
 * HTTP on without it); readiness {@code grpc-server} is DOWN saying why, and after
 * {@code codetether.gateway.grpc-watch.timeout} the process exits with status 3 and says why in its log, so that
 * Kubernetes (the pod) or {@code ./codetether up} (run again) starts it.
 */
class GatewayGrpcExitEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final LocalPlatform platform = new LocalPlatform();

    @AfterAll
    static void stop() throws Exception {
        platform.close();
    }

    @Test
    void aGatewayWhoseGrpcPortIsTakenIsNotReadyThenExitsWithStatus3SayingWhy() throws Exception {
        // Bound, not listening, without SO_REUSEADDR: the gateway's bind fails (EADDRINUSE) and a connect is refused,
        // as for a port held by a process that stopped listening. (A program that LISTENS on the port would answer
        // the watch's connect: see docs/operations.md.)
        try (Socket squatter = new Socket()) {
            squatter.setReuseAddress(false);
            squatter.bind(new InetSocketAddress("127.0.0.1", 0));
            int taken = squatter.getLocalPort();
            long started = System.nanoTime();
            ServiceProcess gateway = platform.gateway(SharedKafkaBroker.bootstrapServers(), Map.of(),
                    "-Dquarkus.grpc.server.port=" + taken, // the later -D wins over ServiceProcess's free port
                    "-Dcodetether.gateway.grpc-watch.timeout=20s", "-Dcodetether.gateway.grpc-watch.interval=500ms");

            JsonNode check = awaitGrpcCheck(gateway, Duration.ofSeconds(120));
            assertEquals("DOWN", check.path("status").asText(), check.toString());
            String why = check.path("data").path("why").asText();
            assertTrue(why.contains("ConnectException"), "readiness says why: " + check);
            assertEquals("PT20S", check.path("data").path("exitsAfter").asText(), check.toString());
            assertTrue(gateway.alive(), "not exited before its timeout");

            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (gateway.alive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(!gateway.alive(), "the gateway exits within the timeout (+ its boot):\n" + gateway.tail());
            long tookS = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            int status = gateway.kill(); // the process is gone already: this only reads its exit status
            assertEquals(3, status, "exit status 3 (GrpcServerWatch.EXIT_STATUS):\n" + gateway.tail());
            String log = gateway.log();
            assertTrue(log.contains("the gRPC server has not listened on /127.0.0.1:" + taken + " for PT20S")
                    && log.contains("exiting so that it is started again"), "the log says why:\n" + gateway.tail());
            System.out.printf("gateway with gRPC port %d taken: exited with %d after %d s (load %s)%n", taken, status,
                    tookS, LoadAverage.now());
        }
    }

    /** The grpc-server entry of the gateway's readiness, once it answers (200 or 503). */
    private static JsonNode awaitGrpcCheck(ServiceProcess gateway, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!gateway.alive()) {
                throw new AssertionError("the gateway exited before readiness answered:\n" + gateway.tail());
            }
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(gateway.url("/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                for (JsonNode c : JSON.readTree(r.body()).path("checks")) {
                    if (c.path("name").asText().equals("grpc-server") && c.path("data").has("why")) {
                        assertEquals(503, r.statusCode(), "a DOWN check makes readiness 503: " + r.body());
                        return c;
                    }
                }
            } catch (java.io.IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no grpc-server readiness with a reason within " + timeout + ": " + last + "\n"
                + gateway.tail());
    }
}
