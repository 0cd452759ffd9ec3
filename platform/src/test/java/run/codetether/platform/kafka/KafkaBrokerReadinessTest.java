package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's readiness probe against a hung broker (issue 19): a loopback socket that accepts connections and never
 * answers, as a SIGSTOPped broker does. A probe answers "down" within its bound, and closing the check while a probe
 * waits returns at once, not when the probe gives up (Quarkus' check waited 60 s in both places).
 */
class KafkaBrokerReadinessTest {
    ServerSocket hung;
    final List<Socket> held = new CopyOnWriteArrayList<>();

    @BeforeEach
    void hungBroker() throws IOException {
        hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!hung.isClosed()) {
                try {
                    held.add(hung.accept()); // read nothing, answer nothing
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        hung.close();
        for (Socket s : held) {
            s.close();
        }
    }

    KafkaBrokerReadiness check(Duration probeTimeout) {
        return new KafkaBrokerReadiness(KafkaClients.forBootstrap("127.0.0.1:" + hung.getLocalPort()), "probe-test",
                probeTimeout);
    }

    @Test
    void aProbeOfAHungBrokerAnswersDownWithinItsBound() {
        try (KafkaBrokerReadiness check = check(KafkaBrokerReadiness.PROBE_TIMEOUT)) {
            long began = System.nanoTime();
            KafkaBrokerReadiness.Probe r = check.probe();
            long tookMs = (System.nanoTime() - began) / 1_000_000;
            assertEquals(false, r.up(), r.detail());
            // the admin call's own timeout, or (under load) the probe's bound on waiting for it, whichever fires first
            assertTrue(r.detail().contains("TimeoutException")
                    || r.detail().contains("the broker did not answer within " + KafkaBrokerReadiness.PROBE_TIMEOUT),
                    r.detail());
            assertTrue(tookMs >= KafkaBrokerReadiness.PROBE_TIMEOUT.toMillis() - 100
                    && tookMs < KafkaBrokerReadiness.PROBE_TIMEOUT.toMillis() + 2_000, "the probe took " + tookMs
                    + " ms");
            assertTrue(!held.isEmpty(), "the probe reached the hung broker");
        }
    }

    @Test
    void closingWhileAProbeWaitsOnAHungBrokerReturnsAtOnce() throws Exception {
        // a probe that would wait 30 s: an unbounded close (Quarkus' admin.close()) returned when it gave up
        KafkaBrokerReadiness check = check(Duration.ofSeconds(30));
        CompletableFuture<KafkaBrokerReadiness.Probe> probe = CompletableFuture.supplyAsync(check::probe);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(!held.isEmpty(), "the probe reached the hung broker");
        long began = System.nanoTime();
        check.close();
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertTrue(tookMs < 5_000, "closing waited " + tookMs + " ms on the probe in flight");
        KafkaBrokerReadiness.Probe r = probe.get(5, TimeUnit.SECONDS);
        assertEquals(false, r.up(), r.detail());
        KafkaBrokerReadiness.Probe after = check.probe();
        assertEquals(new KafkaBrokerReadiness.Probe(false, "java.lang.IllegalStateException: the service is stopping"),
                after);
    }
}
