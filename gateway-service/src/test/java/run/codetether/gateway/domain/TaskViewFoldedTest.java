package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;

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
}
