package run.codetether.gateway.infra.kafka;

import java.time.Instant;
import java.util.Map;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;

/** Task events as the gateway and an agent write them, for the tests that append them to a real log. */
final class TestEvents {
    private TestEvents() {}

    /** The gateway's submitted status of a new task (context {@code ctx-<taskId>}), now. */
    static TaskEvent submitted(String taskId, String owner, String tenant) {
        Instant now = Instant.now();
        return new TaskEvent.StatusChanged(taskId, "ctx-" + taskId, "gateway", new TaskStatus(TaskState.SUBMITTED,
                null, now), Progress.NONE, Map.of(), new Task.Submission(owner, tenant, null), now);
    }

    /** An agent's status change of the task, without a message, now. */
    static TaskEvent status(String taskId, TaskState state) {
        Instant now = Instant.now();
        return new TaskEvent.StatusChanged(taskId, "ctx-" + taskId, "agent", new TaskStatus(state, null, now),
                Map.of(), now);
    }
}
