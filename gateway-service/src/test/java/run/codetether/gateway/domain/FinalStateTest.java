package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;

/** How a blocking SendMessage learns that its task ended (issue 18: the waiter's notification path). */
class FinalStateTest {
    private static final Instant NOW = Instant.parse("2026-12-05T15:00:00Z");

    private static Task task(String id, TaskState state) {
        return new Task(id, "ctx-" + id, new TaskStatus(state, null, NOW), List.of(), List.of(), Map.of(), null);
    }

    private static TaskEvent status(String id, TaskState state) {
        return new TaskEvent.StatusChanged(id, "ctx-" + id, "agent", new TaskStatus(state, null, NOW), Map.of(), NOW);
    }

    @Test
    void theCallerContinuesOnAVirtualThreadOfItsOwnOnlyOnceTheTaskEnded() throws Exception {
        FinalState waiter = new FinalState();
        CompletableFuture<Thread> continuedOn = waiter.done().thenApply(t -> Thread.currentThread());
        waiter.onEvent(status("t1", TaskState.WORKING), task("t1", TaskState.WORKING), 1);
        assertFalse(continuedOn.isDone(), "a working task is not an end");

        waiter.onEvent(status("t1", TaskState.COMPLETED), task("t1", TaskState.COMPLETED), 2);
        Thread thread = continuedOn.get(5, TimeUnit.SECONDS);
        assertNotSame(Thread.currentThread(), thread, "never on the reader thread that folded the end");
        assertTrue(thread.isVirtual(), "a thread of its own, not the common pool's: " + thread);
        assertEquals(TaskState.COMPLETED, waiter.done().get().status().state());

        waiter.onEvent(status("t1", TaskState.FAILED), task("t1", TaskState.FAILED), 3);
        assertEquals(TaskState.COMPLETED, waiter.done().get().status().state(), "the first end counts");
    }

    /**
     * The ends folded in one poll continue side by side: each caller's reply (encoding, writing) waits for no other.
     * Every continuation here waits until all of them run at once; on the common pool (one thread on a 2-core
     * machine, the size of the machine less one elsewhere) they queued behind each other and this timed out.
     */
    @Test
    void endsFoldedTogetherContinueSideBySide() throws Exception {
        int n = 64;
        CountDownLatch allRunning = new CountDownLatch(n);
        List<CompletableFuture<Boolean>> replies = new ArrayList<>();
        List<FinalState> waiters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FinalState w = new FinalState();
            waiters.add(w);
            replies.add(w.done().thenApply(t -> {
                allRunning.countDown();
                try {
                    return allRunning.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }));
        }
        for (int i = 0; i < n; i++) {
            waiters.get(i).onEvent(status("t" + i, TaskState.COMPLETED), task("t" + i, TaskState.COMPLETED), i);
        }
        for (CompletableFuture<Boolean> r : replies) {
            assertTrue(r.get(20, TimeUnit.SECONDS), "a reply waited for the others to finish first");
        }
    }
}
