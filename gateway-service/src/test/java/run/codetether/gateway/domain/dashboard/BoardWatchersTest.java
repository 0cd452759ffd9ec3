package run.codetether.gateway.domain.dashboard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BoardWatchersTest {
    final AtomicLong clock = new AtomicLong(1_000_000);
    final AtomicInteger streams = new AtomicInteger();

    @Test
    void idleOnlyAfterTheQuietTimeWithNoStreamOpen() {
        BoardWatchers w = new BoardWatchers(Duration.ofSeconds(60), streams::get, clock::get);
        assertTrue(w.idle(), "a replica starts unwatched: its feed reads nothing until a first viewer");
        w.seen();
        assertFalse(w.idle());
        clock.addAndGet(59_999);
        assertFalse(w.idle());
        clock.addAndGet(1);
        assertTrue(w.idle());
        streams.set(1);
        assertFalse(w.idle(), "an open stream watches");
        streams.set(0);
        w.seen();
        assertFalse(w.idle(), "a request watches");
        clock.addAndGet(3_600_000);
        assertFalse(new BoardWatchers(Duration.ZERO, streams::get, clock::get).idle());
        assertThrows(IllegalArgumentException.class, () -> new BoardWatchers(Duration.ofSeconds(-1), streams::get,
                clock::get));
    }

    @Test
    void aRequestWaitsForTheCatchUpButNotPastItsBound() throws Exception {
        BoardWatchers w = new BoardWatchers(Duration.ofSeconds(60), streams::get, clock::get);
        assertTrue(w.awaitCurrent(Duration.ZERO), "not paused: current at once");
        w.paused();
        long t0 = System.nanoTime();
        assertFalse(w.awaitCurrent(Duration.ofMillis(200)));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(200));
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return w.awaitCurrent(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertFalse(waiting.isDone());
        w.caughtUp();
        assertTrue(waiting.get(10, TimeUnit.SECONDS));
        assertFalse(w.behind());
    }
}
