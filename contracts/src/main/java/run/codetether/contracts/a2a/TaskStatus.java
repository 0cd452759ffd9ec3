package run.codetether.contracts.a2a;

import java.time.Instant;

/** State of a task at one instant, with the agent's message about it (may be null). */
public record TaskStatus(TaskState state, Message message, Instant timestamp) {
    public TaskStatus {
        if (state == null) {
            throw new IllegalArgumentException("status needs a state");
        }
        timestamp = timestamp == null ? Instant.now() : timestamp;
    }

    public static TaskStatus of(TaskState state) {
        return new TaskStatus(state, null, Instant.now());
    }
}
