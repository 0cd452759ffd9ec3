package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;

/**
 * Issue 19 item 1: the gateway's memory must not grow with the tasks it has seen. Only tasks in progress (and those
 * listened to) stay in the view's memory, finished ones go to the store and a small cache; reading one back, resuming
 * one and the admission counts still work.
 */
class TaskViewStoreTest {
    private final InFlightTasks inFlight = InFlightTasks.unlimited();
    private final InMemoryTaskStore store = new InMemoryTaskStore();
    private final TaskView view = new TaskView(store, new TaskCache(3, 1 << 20), e -> { }, inFlight::observe);
    private final ViewFeed feed = new ViewFeed(view);

    private void submit(String taskId, String owner) {
        feed.submit(taskId, owner, "hi " + taskId);
    }

    private void status(String taskId, TaskState state) {
        feed.status(taskId, state);
    }

    @Test
    void finishedTasksLeaveMemoryAndAreReadBackFromTheStore() {
        for (int i = 0; i < 50; i++) {
            submit("t" + i, "alice");
        }
        assertEquals(50, view.inProgress().size());
        assertEquals(50, inFlight.of("alice"));
        for (int i = 0; i < 50; i++) {
            status("t" + i, TaskState.COMPLETED);
        }
        assertEquals(0, view.inProgress().size());
        assertEquals(0, inFlight.of("alice"));
        assertTrue(view.inMemory() <= 3, "only the cache of 3 holds finished tasks: " + view.inMemory());
        assertEquals(50, view.size(), "every task is stored");
        Task early = view.get("t0").orElseThrow();
        assertEquals(TaskState.COMPLETED, early.status().state());
        assertEquals("hi t0", ((Part.Text) early.history().get(0).parts().get(0)).text());
    }

    @Test
    void aWaitingTaskResumedFromTheStoreIsCountedAgainAndFoldsOnce() {
        submit("w", "bob");
        status("w", TaskState.INPUT_REQUIRED);
        assertEquals(0, inFlight.of("bob"));
        for (int i = 0; i < 10; i++) { // push it out of the cache
            submit("o" + i, "carol");
            status("o" + i, TaskState.FAILED);
        }
        List<Task> changed = new ArrayList<>();
        long at = feed.next();
        TaskEvent answer = new TaskEvent.MessageAdded("w", "ctx", "gateway", new Message("m-answer", Role.USER,
                List.of(Part.Text.of("yes")), "ctx", "w", null, null, null), Instant.now());
        view.apply(answer, at, v -> changed.add(v.task()));
        view.apply(answer, at, v -> changed.add(v.task())); // redelivered: skipped by its offset
        status("w", TaskState.SUBMITTED);
        assertEquals(1, changed.size());
        assertEquals(1, inFlight.of("bob"), "resumed: holds a slot again");
        assertEquals(2, view.get("w").orElseThrow().history().size());
        assertEquals(List.of("w"), view.inProgress().stream().map(Task::id).toList());
    }

    @Test
    void aListenerKeepsAFinishedTaskInMemoryUntilItLeaves() {
        submit("s", "alice");
        List<TaskState> seen = new ArrayList<>();
        TaskListener listener = (event, task, at) -> seen.add(task.status().state());
        view.subscribe("s", listener);
        status("s", TaskState.COMPLETED);
        assertEquals(List.of(TaskState.COMPLETED), seen);
        assertEquals(1, view.inMemory());
        view.unsubscribe("s", listener);
        assertEquals(TaskState.COMPLETED, store.get("s").orElseThrow().task().status().state());
    }

    @Test
    void theCacheIsBoundedByBytes() {
        TaskCache cache = new TaskCache(100, 10_000);
        for (int i = 0; i < 10; i++) {
            cache.put(new TaskView.Versioned(new Task("b" + i, "c", new TaskStatus(TaskState.COMPLETED, null,
                    Instant.now()), List.of(), List.of(new Message("m", Role.AGENT, List.of(Part.Text.of(
                    "x".repeat(3_000))), "c", "b" + i, null, null, null)), Map.of()), i));
        }
        assertTrue(cache.bytes() <= 10_000, "bytes " + cache.bytes());
        assertEquals(2, cache.size(), "two tasks of ~3.5 KB fit in 10 KB with room for none more");
        assertEquals("b9", cache.get("b9").task().id());
    }
}
