package run.codetether.gateway.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.codetether.gateway.support.Await;

class BackgroundStartTest {
    private final List<String> closed = new CopyOnWriteArrayList<>();

    @Test
    void beginReturnsAtOnceAndTheStartRunsOnItsOwnThread() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        var start = new BackgroundStart<>("slow-start", () -> {
            threads.add(Thread.currentThread().getName());
            await(gate);
            return "made";
        }, closed::add, Duration.ofMillis(10), Duration.ofMillis(40));
        long t0 = System.nanoTime();
        start.begin();
        start.begin(); // once
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "begin waited for the start");
        Await.until(start::phase, p -> p instanceof BackgroundStart.Running, Duration.ofSeconds(5), "running");
        assertTrue(start.describe().startsWith("starting since "), start.describe());
        assertTrue(start.now().isEmpty());
        assertFalse(start.started().isDone());

        gate.countDown();
        assertEquals("made", start.started().get(5, TimeUnit.SECONDS));
        assertEquals(List.of("slow-start"), threads);
        assertInstanceOf(BackgroundStart.Started.class, start.phase());
        assertTrue(start.describe().startsWith("started in "), start.describe());
        start.close();
        assertEquals(List.of("made"), closed);
    }

    @Test
    void aFailedTryIsShownAndTriedAgain() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        var start = new BackgroundStart<>("flaky-start", () -> {
            if (tries.incrementAndGet() == 1) {
                throw new IllegalStateException("broker not there");
            }
            await(second);
            return "made on try " + tries.get();
        }, closed::add, Duration.ofMillis(300), Duration.ofSeconds(1));
        start.begin();
        BackgroundStart.Phase failed = Await.until(start::phase, p -> p instanceof BackgroundStart.Failed,
                Duration.ofSeconds(5), "failed");
        assertEquals(1, ((BackgroundStart.Failed) failed).attempt());
        assertTrue(start.describe().contains("broker not there") && start.describe().contains("trying again at"),
                start.describe());
        Await.until(start::phase, p -> p instanceof BackgroundStart.Running r && r.attempt() == 2,
                Duration.ofSeconds(5), "second try");
        assertTrue(start.describe().contains("(try 2)"), start.describe());
        second.countDown();
        assertEquals("made on try 2", start.started().get(5, TimeUnit.SECONDS));
    }

    @Test
    void whatATryStillRunningAtCloseMakesIsClosedWhenItArrives() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        var start = new BackgroundStart<>("closed-start", () -> {
            await(gate);
            return "late";
        }, closed::add, Duration.ofMillis(10), Duration.ofMillis(40));
        start.begin();
        Await.until(start::phase, p -> p instanceof BackgroundStart.Running, Duration.ofSeconds(5), "running");
        start.close();
        assertTrue(closed.isEmpty());
        gate.countDown();
        Await.until(() -> closed, c -> c.equals(List.of("late")), Duration.ofSeconds(5), "closed when made");
        assertFalse(start.started().isDone());
        assertInstanceOf(BackgroundStart.Closed.class, start.phase());
    }

    @Test
    void closeEndsTheRetries() {
        AtomicInteger tries = new AtomicInteger();
        var start = new BackgroundStart<String>("failing-start", () -> {
            tries.incrementAndGet();
            throw new IllegalStateException("never");
        }, closed::add, Duration.ofMillis(50), Duration.ofMillis(50));
        start.begin();
        Await.until(tries::get, n -> n >= 2, Duration.ofSeconds(5), "two tries");
        start.close();
        int after = tries.get();
        sleep(300);
        assertTrue(tries.get() <= after + 1, "tries went on after close: " + tries.get());
        assertEquals("stopped", start.describe());
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gate not opened");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
