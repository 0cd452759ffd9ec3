package run.codetether.contracts.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Control signals broadcast to every worker on {@link Topics#TASKS_CONTROL} (each worker reads it in its own
 * consumer group), so a signal reaches whichever worker runs the task.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = TaskControl.CancelTask.class, name = "cancel_task")})
public sealed interface TaskControl {

    String taskId();

    Instant requestedAt();

    record CancelTask(String taskId, String contextId, String reason, Instant requestedAt) implements TaskControl {
        public CancelTask {
            Required.text(taskId, "taskId");
            requestedAt = requestedAt == null ? Instant.now() : requestedAt;
        }
    }
}
