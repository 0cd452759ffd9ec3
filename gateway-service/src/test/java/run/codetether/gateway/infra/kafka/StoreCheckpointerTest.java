package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import run.codetether.gateway.domain.InMemoryTaskStore;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.DelegatingTaskStore;

/**
 * The checkpoint thread's failure and close paths: a failed checkpoint is reported (the gateway's readiness reads
 * {@link StoreCheckpointer#failure()}) and retried with the positions it carried until one succeeds, an Error
 * included; a stopping reader's {@link StoreCheckpointer#saveNow} answers at once after a failure; close saves what
 * is left and does not wait long for a checkpoint already stuck past the reader's last wait.
 */
class StoreCheckpointerTest {
    private static final Duration LONG = Duration.ofHours(1);

    /** A store whose checkpoints throw what {@code fault} gives while it gives something, then succeed. */
    private static final class FaultyStore extends DelegatingTaskStore {
        volatile Supplier<Throwable> fault;
        volatile CountDownLatch gate = new CountDownLatch(0);
        final List<Map<String, Long>> tried = new CopyOnWriteArrayList<>();

        FaultyStore() {
            super(new InMemoryTaskStore());
        }

        @Override
        public void checkpoint(Map<String, Long> positions) {
            tried.add(positions);
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Supplier<Throwable> f = fault;
            if (f != null) {
                Throwable t = f.get();
                if (t instanceof Error e) {
                    throw e;
                }
                throw (RuntimeException) t;
            }
            super.checkpoint(positions);
        }
    }

    private static Optional<String> awaitFailure(StoreCheckpointer c, boolean present, String what) {
        return Await.until(c::failure, f -> f.isPresent() == present, Duration.ofSeconds(10), what);
    }

    @Test
    void aFailedCheckpointIsReportedAndRetriedWithItsPositionsUntilOneSucceeds() {
        FaultyStore store = new FaultyStore();
        store.fault = () -> new IllegalStateException("disk full");
        try (StoreCheckpointer c = new StoreCheckpointer(store, Duration.ofMillis(50), "ckpt-retry")) {
            c.offer(Map.of("events-0", 5L));
            String why = awaitFailure(c, true, "the failure reported").orElseThrow();
            assertTrue(why.contains("disk full"), why);
            Await.until(store.tried::size, n -> n >= 3, Duration.ofSeconds(10), "retried at the interval");
            c.offer(Map.of("events-1", 2L));
            store.fault = null;
            awaitFailure(c, false, "the failure cleared once a checkpoint succeeded");
            Await.until(store::checkpoint, m -> m.size() == 2, Duration.ofSeconds(10), "both positions saved");
            assertEquals(Map.of("events-0", 5L, "events-1", 2L), store.checkpoint(),
                    "the positions of the failed checkpoints were kept for the next");
        }
    }

    @Test
    void anErrorIsAFailureTooAndTheCheckpointsGoOn() {
        FaultyStore store = new FaultyStore();
        store.fault = () -> new OutOfMemoryError("the test's Error");
        try (StoreCheckpointer c = new StoreCheckpointer(store, Duration.ofMillis(50), "ckpt-error")) {
            c.offer(Map.of("events-0", 9L));
            String why = awaitFailure(c, true, "an Error reported as the failure").orElseThrow();
            assertTrue(why.contains("the test's Error"), why);
            Await.until(store.tried::size, n -> n >= 2, Duration.ofSeconds(10), "retried after the Error");
            store.fault = null;
            awaitFailure(c, false, "the failure cleared");
            assertEquals(Map.of("events-0", 9L), store.checkpoint());
        }
    }

    @Test
    void saveNowAnswersAtOnceAfterAFailureAndSavesOnceTheStoreDoes() throws InterruptedException {
        FaultyStore store = new FaultyStore();
        store.fault = () -> new IllegalStateException("disk full");
        try (StoreCheckpointer c = new StoreCheckpointer(store, LONG, "ckpt-save-now")) {
            c.offer(Map.of("events-0", 4L));
            long began = System.nanoTime();
            assertFalse(c.saveNow(Duration.ofSeconds(30)), "a failed checkpoint is not saved");
            assertTrue(System.nanoTime() - began < Duration.ofSeconds(10).toNanos(),
                    "saveNow answered when the checkpoint failed, not at its timeout");
            assertTrue(c.failure().isPresent(), "the failure is reported");
            store.fault = null;
            assertTrue(c.saveNow(Duration.ofSeconds(30)), "saved once the store takes it");
            assertEquals(Map.of("events-0", 4L), store.checkpoint());
            assertTrue(c.failure().isEmpty(), "the failure cleared");
        }
    }

    @Test
    void closeSavesWhatIsLeft() {
        FaultyStore store = new FaultyStore();
        StoreCheckpointer c = new StoreCheckpointer(store, LONG, "ckpt-close");
        c.offer(Map.of("events-0", 11L, "events-3", 1L));
        assertEquals(Map.of(), store.checkpoint(), "not due before the interval");
        c.close();
        assertEquals(Map.of("events-0", 11L, "events-3", 1L), store.checkpoint(), "saved at close");
    }

    @Test
    void closeDoesNotWaitLongForACheckpointStuckPastTheLastWait() throws InterruptedException {
        FaultyStore store = new FaultyStore();
        store.gate = new CountDownLatch(1);
        StoreCheckpointer c = new StoreCheckpointer(store, LONG, "ckpt-stuck");
        try {
            c.offer(Map.of("events-0", 1L));
            assertFalse(c.saveNow(Duration.ofMillis(200)), "stuck on the disk");
            long began = System.nanoTime();
            c.close();
            long millis = (System.nanoTime() - began) / 1_000_000;
            assertTrue(millis < 5_000, "close waited " + millis + " ms for a checkpoint already given up on");
        } finally {
            store.gate.countDown();
        }
    }
}
