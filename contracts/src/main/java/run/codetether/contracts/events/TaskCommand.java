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
     * @param skill the skill that runs the task ({@code ralph}, {@code rlm}, ...), or null for the agent loop
     * @param parentTaskId set for swarm subtasks and sub-agents (the task tool)
     * @param swarmId set for swarm subtasks
     * @param subtask set for swarm subtasks: where the subtask sits in its swarm and whose workspace it edits
     * @param metadata the A2A request's metadata as the client sent it (keys in
     *     {@link run.codetether.contracts.a2a.MetadataKeys}); the platform's own facts are the typed fields
     */
    record StartTask(
            String taskId,
            String contextId,
            String tenant,
            Message message,
            String provider,
            String model,
            String skill,
            String parentTaskId,
            String swarmId,
            Subtask subtask,
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

    /**
     * A swarm subtask's place in its swarm.
     *
     * @param subtaskId the subtask's id in the swarm's plan
     * @param stage its dependency stage (0 first)
     * @param attempt 1 for the first dispatch, +1 per retry
     * @param swarmContextId the context of the swarm's own task
     * @param workspaceId the tools-service session whose workspace the subtask edits (the swarm's); honoured only on
     *     a command with both {@code parentTaskId} and {@code swarmId}, which only swarm-service sends
     */
    record Subtask(String subtaskId, int stage, int attempt, String swarmContextId, String workspaceId) {
        public Subtask {
            Required.text(subtaskId, "subtaskId");
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
