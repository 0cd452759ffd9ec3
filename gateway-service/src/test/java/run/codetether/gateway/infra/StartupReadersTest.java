package run.codetether.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import run.codetether.gateway.support.Await;

/**
 * The start-up readers begin on threads of their own and hold readiness DOWN, naming each reader that is not
 * started and what its start does (running, or its failed try and the next one), until every one has started.
 */
class StartupReadersTest {

    private static Map<String, Object> data(HealthCheckResponse r) {
        return r.getData().orElse(Map.of());
    }

    @Test
    void readinessIsDownNamingEachReaderUntilAllStarted() throws Exception {
        StartupReaders readers = new StartupReaders(Duration.ZERO);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger tries = new AtomicInteger();
        List<String> threads = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        readers.begin("slow", "slow-reader", () -> {
            threads.add(Thread.currentThread().getName());
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "slow";
        }, r -> { });
        readers.begin("flaky", "flaky-reader", () -> {
            if (tries.incrementAndGet() == 1) {
                throw new IllegalStateException("Kafka did not answer");
            }
            return "flaky";
        }, r -> { });
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "begin waited for a reader's start");

        // the flaky one's first try failed: readiness says so, and that the slow one still starts
        HealthCheckResponse down = Await.until(readers::call,
                r -> String.valueOf(data(r).get("flaky")).contains("Kafka did not answer"), Duration.ofSeconds(10),
                "the failed try in readiness");
        assertEquals(HealthCheckResponse.Status.DOWN, down.getStatus());
        assertEquals(StartupReaders.NAME, down.getName());
        assertTrue(String.valueOf(data(down).get("flaky")).startsWith("try 1 failed"), data(down).toString());
        assertTrue(String.valueOf(data(down).get("slow")).startsWith("starting since "), data(down).toString());

        // the second try goes through: only the slow one is named now
        HealthCheckResponse slowOnly = Await.until(readers::call, r -> !data(r).containsKey("flaky"),
                Duration.ofSeconds(10), "the flaky reader started on its second try");
        assertEquals(HealthCheckResponse.Status.DOWN, slowOnly.getStatus());
        assertEquals(List.of("slow"), List.copyOf(data(slowOnly).keySet()));
        assertEquals(2, tries.get());

        gate.countDown();
        HealthCheckResponse up = Await.until(readers::call, r -> r.getStatus() == HealthCheckResponse.Status.UP,
                Duration.ofSeconds(10), "readiness UP once every reader started");
        assertTrue(data(up).isEmpty(), data(up).toString());
        assertEquals(List.of("slow-reader"), threads, "each start runs on a thread of its own");
    }

    @Test
    void theStartWaitsForTheReadersOnlyAsLongAsToldTo() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        StartupReaders bounded = new StartupReaders(Duration.ofMillis(200));
        BackgroundStart<String> held = bounded.begin("held", "held-reader", () -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "held";
        }, r -> { });
        long t0 = System.nanoTime();
        bounded.awaitStarts(null);
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waited >= 150 && waited < 5_000, "waited " + waited + " ms");
        assertTrue(held.phase() instanceof BackgroundStart.Running, held.describe());
        gate.countDown();

        StartupReaders waiting = new StartupReaders(Duration.ofSeconds(30));
        BackgroundStart<String> slow = waiting.begin("slow", "slow-reader-2", () -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "slow";
        }, r -> { });
        waiting.awaitStarts(null);
        assertTrue(slow.phase() instanceof BackgroundStart.Started, "returned before the reader started: "
                + slow.describe());
    }

    @Test
    void aReaderIsBegunOnce() {
        StartupReaders readers = new StartupReaders(Duration.ZERO);
        readers.begin("stats", "stats-reader", () -> "a", r -> { });
        assertThrows(IllegalStateException.class, () -> readers.begin("stats", "stats-reader", () -> "b", r -> { }));
    }

    @Test
    void noReaderIsUp() {
        assertEquals(HealthCheckResponse.Status.UP, new StartupReaders(Duration.ZERO).call().getStatus());
    }
}
