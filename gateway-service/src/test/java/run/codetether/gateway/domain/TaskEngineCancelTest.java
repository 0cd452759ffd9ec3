package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;

/** CancelTask answers once this replica has folded its own cancel, so a GetTask right after sees it. */
class TaskEngineCancelTest {
    final TaskView view = new TaskView();
    final RecordingTaskLog log = new RecordingTaskLog(10); // durable, not yet read back
    final List<TaskEvent> appended = log.appended;

    @Test
    void cancelWaitsForItsEventToBeFoldedInLogOrder() throws Exception {
        Caller alice = new Caller("alice");
        Instant t0 = Instant.parse("2026-11-25T12:00:00Z");
        view.apply(new TaskEvent.StatusChanged("t1", "c1", "gateway", new TaskStatus(TaskState.SUBMITTED, null, t0),
                Progress.NONE, Map.of(), new Task.Submission("alice", null, null), t0), 5, v -> { });
        TaskEngine engine = new TaskEngine(log, view, "test");
        CompletableFuture<Task> canceled = engine.cancel("t1", alice, null, "client");
        assertFalse(canceled.isDone(), "not answered before this replica has read its cancel back");
        // the reader folds a worker's earlier event first, then the cancel
        view.apply(new TaskEvent.StatusChanged("t1", "c1", "w", new TaskStatus(TaskState.WORKING, null, t0), null,
                t0), 9, v -> { });
        assertFalse(canceled.isDone());
        view.apply(appended.get(0), 10, v -> { });
        assertEquals(TaskState.CANCELED, canceled.get(5, TimeUnit.SECONDS).status().state());
        assertEquals(TaskState.CANCELED, engine.get("t1", alice, null).status().state());
    }
}
