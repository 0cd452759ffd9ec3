package run.codetether.contracts.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Map;
import run.codetether.contracts.a2a.Message;

/**
 * Work for an agent worker, published on {@link Topics#TASKS_REQUESTED} keyed by contextId so that one
 * conversation stays ordered on one partition.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TaskCommand.StartTask.class, name = "start_task"),
    @JsonSubTypes.Type(value = TaskCommand.ContinueTask.class, name = "continue_task")
})
public sealed interface TaskCommand {

    String taskId();

    String contextId();

    Instant requestedAt();

    /**
     * Start a new task.
     *
     * @param tenant A2A tenant, or null
     * @param provider provider name chosen by the client (metadata), or null for the worker's default
     * @param model model id, or null for the provider's default
     * @param parentTaskId set for swarm subtasks and sub-agents (the task tool)
     * @param swarmId set for swarm subtasks
     */
    record StartTask(
            String taskId,
            String contextId,
            String tenant,
            Message message,
            String provider,
            String model,
            String parentTaskId,
            String swarmId,
            Map<String, Object> metadata,
            Instant requestedAt)
            implements TaskCommand {
        public StartTask {
            Required.text(taskId, "taskId");
            Required.text(contextId, "contextId");
            Required.value(message, "message");
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
            requestedAt = requestedAt == null ? Instant.now() : requestedAt;
        }
    }

    /** A follow-up user message on a task that waits for input (A2A input-required). */
    record ContinueTask(String taskId, String contextId, Message message, Instant requestedAt) implements TaskCommand {
        public ContinueTask {
            Required.text(taskId, "taskId");
            Required.text(contextId, "contextId");
            Required.value(message, "message");
            requestedAt = requestedAt == null ? Instant.now() : requestedAt;
        }
    }
}
