package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.support.DelegatingTaskStore;

/**
 * Issue 20: the event reader leaves undecoded what the view has folded already (the accept's own events, folded by
 * the request thread); {@link TaskView#folded} says so only for offsets {@link TaskView#apply} would skip.
 */
class TaskViewFoldedTest {
    private final TaskView view = new TaskView();

    private static TaskEvent status(String id, TaskState state) {
        return new TaskEvent.StatusChanged(id, "ctx", "w", new TaskStatus(state, null, Instant.EPOCH), Map.of(),
                Instant.EPOCH);
    }

    @Test
    void foldedUpToTheLastAppliedOffsetOnlyAndNeverForAnUnknownTask() {
        assertFalse(view.folded("t1", 0), "unknown task");
        assertFalse(view.folded(null, 0), "an event without a key is decoded");
        view.apply(status("t1", TaskState.SUBMITTED), 7, v -> { });
        view.apply(status("t1", TaskState.WORKING), 9, v -> { });
        assertTrue(view.folded("t1", 7));
        assertTrue(view.folded("t1", 8));
        assertTrue(view.folded("t1", 9));
        assertFalse(view.folded("t1", 10), "the next event is not folded yet");
        assertFalse(view.folded("t2", 9), "another task's offsets say nothing");
        view.apply(status("t1", TaskState.COMPLETED), 10, v -> { });
        // a finished task leaves memory for the cache: the reader decodes its later events and apply decides
        assertFalse(view.folded("t1", 10));
    }

    /**
     * A reader that skips an event {@link TaskView#folded} calls folded hands its position to the store's checkpoint:
     * so the event's task must be in the store by then, not only in memory (a request thread still inside its put).
     */
    @Test
    void notFoldedUntilTheStoreHoldsTheTask() throws Exception {
        CountDownLatch inPut = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TaskStore slow = new DelegatingTaskStore(new InMemoryTaskStore()) {
            @Override
            public void put(Task task, long offset) {
                if (offset == 8) {
                    inPut.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                super.put(task, offset);
            }
        };
        TaskView slowView = new TaskView(slow, new TaskCache(5, 1 << 20), e -> { }, (before, after) -> { });
        slowView.apply(status("t1", TaskState.SUBMITTED), 7, v -> { });
        CompletableFuture<Void> folding = CompletableFuture.runAsync(
                () -> slowView.apply(status("t1", TaskState.WORKING), 8, v -> { }));
        try {
            assertTrue(inPut.await(30, TimeUnit.SECONDS), "the fold reached the store's put");
            assertTrue(slowView.folded("t1", 7), "the event before is stored");
            assertFalse(slowView.folded("t1", 8), "not folded while the store's put of it has not returned");
        } finally {
            release.countDown();
        }
        folding.get(30, TimeUnit.SECONDS);
        assertTrue(slowView.folded("t1", 8), "folded once the put returned");
        assertTrue(slow.get("t1").map(v -> v.offset() == 8).orElse(false), "stored at its offset");
    }
}
