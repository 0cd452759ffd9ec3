package run.codetether.contracts.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskStatus;

/**
 * What a worker reports about a task, published on {@link Topics#TASKS_EVENTS} keyed by taskId so that one task's
 * events stay in order. The gateway folds them into task state and streams them to A2A clients.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TaskEvent.StatusChanged.class, name = "status_changed"),
    @JsonSubTypes.Type(value = TaskEvent.ArtifactAdded.class, name = "artifact_added"),
    @JsonSubTypes.Type(value = TaskEvent.MessageAdded.class, name = "message_added")
})
public sealed interface TaskEvent {

    String taskId();

    String contextId();

    /** Which worker instance produced the event (for tracing and the dashboard). */
    String workerId();

    Instant at();

    /**
     * The task moved to a new status (or stayed in working with a progress message).
     *
     * @param progress typed progress the platform reads (step, tool, partial text, usage); never null
     * @param details further progress details shown to A2A clients (swarm subtasks, Ralph stories, ...), keys from
     *     {@link run.codetether.contracts.a2a.MetadataKeys}; never a secret. On the wire: {@code metadata}.
     * @param submission set only on a task's first status (the gateway's "submitted"): who submitted it, how it runs
     */
    record StatusChanged(
            String taskId,
            String contextId,
            String workerId,
            TaskStatus status,
            Progress progress,
            @JsonProperty("metadata") Map<String, Object> details,
            Task.Submission submission,
            Instant at)
            implements TaskEvent {
        public StatusChanged {
            Required.text(taskId, "taskId");
            Required.text(contextId, "contextId");
            Required.value(status, "status");
            progress = progress == null ? Progress.NONE : progress;
            details = details == null ? Map.of() : Map.copyOf(details);
            at = at == null ? Instant.now() : at;
        }

        /** A status whose details are for display only (no typed progress). */
        public StatusChanged(String taskId, String contextId, String workerId, TaskStatus status,
                Map<String, Object> details, Instant at) {
            this(taskId, contextId, workerId, status, Progress.NONE, details, null, at);
        }

        /** A worker's status with typed progress and display details. */
        public StatusChanged(String taskId, String contextId, String workerId, TaskStatus status, Progress progress,
                Map<String, Object> details, Instant at) {
            this(taskId, contextId, workerId, status, progress, details, null, at);
        }

        /**
         * Everything an A2A client sees as this update's metadata: the details, and the typed progress under its
         * {@link run.codetether.contracts.a2a.MetadataKeys} (a typed field wins over a detail of the same key).
         */
        public Map<String, Object> metadata() {
            Map<String, Object> typed = progress.toMetadata();
            if (typed.isEmpty()) {
                return details;
            }
            Map<String, Object> all = new LinkedHashMap<>(details);
            all.putAll(typed);
            return all;
        }

        /** The last event of this task: a terminal or interrupted state. */
        public boolean isFinal() {
            return status.state().isTerminal() || status.state().isInterrupted();
        }
    }

    /** An artifact (or a chunk of one, when {@code append} is set) was produced. */
    record ArtifactAdded(
            String taskId,
            String contextId,
            String workerId,
            Artifact artifact,
            boolean append,
            boolean lastChunk,
            Instant at)
            implements TaskEvent {
        public ArtifactAdded {
            Required.text(taskId, "taskId");
            Required.text(contextId, "contextId");
            Required.value(artifact, "artifact");
            at = at == null ? Instant.now() : at;
        }
    }

    /** A message that belongs in the task's history (e.g. the user's follow-up, the agent's answer). */
    record MessageAdded(String taskId, String contextId, String workerId, Message message, Instant at)
            implements TaskEvent {
        public MessageAdded {
            Required.text(taskId, "taskId");
            Required.text(contextId, "contextId");
            Required.value(message, "message");
            at = at == null ? Instant.now() : at;
        }
    }
}
