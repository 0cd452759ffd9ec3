package run.codetether.gateway.infra.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.support.Await;

/**
 * Webhook deliveries against a real loopback HTTP server: the caller (the Kafka consumer) never waits, a failing
 * target retries on a schedule without delaying another target, one target's notifications keep their order, and
 * a full queue drops with a counted reason. Every delivery is settled exactly once.
 */
class PushDeliveriesTest {
    private HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    /** Holds the failing target's first answer: what happens meanwhile cannot be waiting on it. */
    private final CountDownLatch badGate = new CountDownLatch(1);
    private final AtomicBoolean firstBadAnswered = new AtomicBoolean();
    private final List<String> drops = new CopyOnWriteArrayList<>();
    private final AtomicInteger settled = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int attempt = attempts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            int status = 200;
            if (path.equals("/bad")) {
                status = 503;
                if (attempt == 1) {
                    try {
                        badGate.await(40, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    firstBadAnswered.set(true);
                }
            } else if (path.equals("/flaky") && failFirst.getAndDecrement() > 0) {
                status = 503;
            } else if (path.equals("/slow")) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (status == 200) {
                received.add(path + ":" + body);
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        badGate.countDown();
        server.stop(0);
    }

    private PushDeliveries deliveries(int maxQueued, int maxAttempts, Duration backoff) {
        return new PushDeliveries((config, id, body) -> http.send(HttpRequest.newBuilder(URI.create(config.url()))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), maxQueued, maxAttempts, backoff, drops::add);
    }

    private PushConfig target(String task, String path) {
        return new PushConfig(task, "cfg", "http://127.0.0.1:" + server.getAddress().getPort() + path, null, null,
                null);
    }

    /**
     * The failing target's first answer is held until the test has seen what must not wait for it: no wall-clock
     * bound (a loaded CI machine stretches those), the order of events says it.
     */
    @Test
    void aFailingTargetRetriesOnASchedulerWithoutDelayingAnotherTarget() {
        try (PushDeliveries d = deliveries(100, 4, Duration.ofMillis(300))) {
            assertTrue(d.submit(target("t1", "/bad"), "id", "b1", settled::incrementAndGet));
            assertTrue(d.submit(target("t2", "/good"), "id", "g1", settled::incrementAndGet));
            assertFalse(firstBadAnswered.get(), "submitting never waits for a webhook (the failing one is held)");
            Await.until(() -> received.contains("/good:g1"), ok -> ok, Duration.ofSeconds(20), "the good target");
            assertFalse(firstBadAnswered.get(), "the good target was delivered while the failing one's first attempt"
                    + " was still unanswered: not behind it or its retries");
            long t0 = System.nanoTime();
            badGate.countDown();
            Await.until(() -> drops.contains("attempts_exhausted"), ok -> ok, Duration.ofSeconds(30), "given up");
            long retriesMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(4, attempts.get("/bad").get(), "maxAttempts requests");
            assertTrue(retriesMs >= 300 + 600 + 1200, "backoff 300, 600, 1200 ms: " + retriesMs + " ms");
            Await.until(settled::get, n -> n == 2, Duration.ofSeconds(5), "both settled once");
            assertEquals(0, d.queued());
        }
    }

    @Test
    void oneTargetsNotificationsKeepTheirOrderAcrossRetries() {
        failFirst.set(2);
        try (PushDeliveries d = deliveries(100, 6, Duration.ofMillis(50))) {
            for (int i = 0; i < 5; i++) {
                d.submit(target("t", "/flaky"), "id", "n" + i, settled::incrementAndGet);
            }
            Await.until(settled::get, n -> n == 5, Duration.ofSeconds(10), "all settled");
            assertEquals(List.of("/flaky:n0", "/flaky:n1", "/flaky:n2", "/flaky:n3", "/flaky:n4"), received);
            assertTrue(drops.isEmpty(), drops::toString);
        }
    }

    @Test
    void aFullQueueDropsWithACountedReasonAndSettlesAtOnce() {
        try (PushDeliveries d = deliveries(2, 3, Duration.ofMillis(50))) {
            assertTrue(d.submit(target("t", "/slow"), "id", "s1", settled::incrementAndGet));
            assertTrue(d.submit(target("t", "/slow"), "id", "s2", settled::incrementAndGet));
            assertFalse(d.submit(target("u", "/good"), "id", "g", settled::incrementAndGet), "the queue is full");
            assertEquals(List.of("queue_full"), drops);
            assertEquals(1, settled.get(), "the dropped one is settled at once");
            release.countDown();
            Await.until(settled::get, n -> n == 3, Duration.ofSeconds(10), "the queued ones delivered");
            assertEquals(List.of("/slow:s1", "/slow:s2"), received);
            assertTrue(d.submit(target("u", "/good"), "id", "g2", settled::incrementAndGet), "room again");
        }
    }
}
