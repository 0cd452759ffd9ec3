package run.codetether.gateway.domain.handler;

import java.util.Map;
import java.util.Optional;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.Tasks;

/**
 * One item of a task stream (SendStreamingMessage, SubscribeToTask) or one push notification: A2A 1.0's
 * StreamResponse, typed. Everything in it is fit for the client (the gateway's own metadata removed); bindings only
 * encode it.
 */
public sealed interface StreamEvent {

    String taskId();

    /** The first item of a stream: the task as it stands. */
    record TaskSnapshot(Task task) implements StreamEvent {
        @Override
        public String taskId() {
            return task.id();
        }
    }

    /**
     * A status change.
     *
     * @param last the task reached a terminal or interrupted state: the stream ends after this item (0.3's
     *     {@code final})
     */
    record StatusUpdate(String taskId, String contextId, TaskStatus status, Map<String, Object> metadata,
            boolean last) implements StreamEvent {
        public StatusUpdate {
            metadata = metadata == null ? Map.of() : metadata;
        }
    }

    record ArtifactUpdate(String taskId, String contextId, Artifact artifact, boolean append, boolean lastChunk)
            implements StreamEvent {}

    /** The first item of a stream for {@code task}. */
    static StreamEvent snapshot(Task task) {
        return new TaskSnapshot(Tasks.forClient(task, null));
    }

    /**
     * The items a task event becomes, in order: a final status that finishes the answer artifact (issue 18) is that
     * artifact's last chunk, then the status, as when the worker sent them apart; any other event is one item, or
     * none (a message goes into the history only). {@code after} is the task folded after the event (status and
     * context come from there).
     */
    static java.util.List<StreamEvent> items(TaskEvent event, Task after) {
        java.util.List<StreamEvent> out = new java.util.ArrayList<>(2);
        for (TaskEvent e : event.unfolded()) {
            single(e, after).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<StreamEvent> single(TaskEvent event, Task after) {
        return switch (event) {
            case TaskEvent.StatusChanged s -> {
                TaskState state = after.status().state();
                yield Optional.of(new StatusUpdate(s.taskId(), after.contextId(), after.status(),
                        Tasks.publicMetadata(s.metadata()), state.isTerminal() || state.isInterrupted()));
            }
            case TaskEvent.ArtifactAdded a -> Optional.of(new ArtifactUpdate(a.taskId(), after.contextId(),
                    a.artifact(), a.append(), a.lastChunk()));
            case TaskEvent.MessageAdded m -> Optional.empty();
        };
    }
}
