package run.codetether.gateway.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;

/** Feeds a {@link TaskView} the events of tasks' lives at increasing offsets, as the task event reader does. */
final class ViewFeed {
    private final TaskView view;
    private long offset;

    ViewFeed(TaskView view) {
        this.view = view;
    }

    /** A new task of {@code owner}, as the gateway writes it: SUBMITTED with its submission, then the user's text. */
    void submit(String taskId, String owner, String text) {
        Instant now = Instant.now();
        view.apply(new TaskEvent.StatusChanged(taskId, "ctx", "gateway", new TaskStatus(TaskState.SUBMITTED, null,
                now), Progress.NONE, Map.of(), new Task.Submission(owner, null, null), now), next(), v -> { });
        view.apply(new TaskEvent.MessageAdded(taskId, "ctx", "gateway", new Message("m-" + taskId, Role.USER,
                List.of(Part.Text.of(text)), "ctx", taskId, null, null, null), now), next(), v -> { });
    }

    /** A worker's status change. */
    void status(String taskId, TaskState state) {
        Instant now = Instant.now();
        view.apply(new TaskEvent.StatusChanged(taskId, "ctx", "w", new TaskStatus(state, null, now), Map.of(), now),
                next(), v -> { });
    }

    /** The offset of the next event (for an event a test applies itself). */
    long next() {
        return offset++;
    }
}
