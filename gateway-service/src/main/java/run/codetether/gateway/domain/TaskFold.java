package run.codetether.gateway.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;

/**
 * Folds one worker event into a task. A pure function: every replica that folds the same events in the same
 * order reaches the same task, which is what lets any replica answer for any task. A task in a terminal state
 * never changes again (a late "completed" after a cancel is dropped).
 */
public final class TaskFold {
    private TaskFold() {}

    /**
     * @param current the task so far, or null when this is its first event
     * @return the task after the event (the same instance when the event changes nothing)
     */
    public static Task apply(Task current, TaskEvent event) {
        if (current != null && current.status().state().isTerminal()) {
            return current;
        }
        return switch (event) {
            case TaskEvent.StatusChanged s -> status(current, s);
            case TaskEvent.ArtifactAdded a -> artifact(orNew(current, a), a);
            case TaskEvent.MessageAdded m -> withMessage(orNew(current, m), m.message());
        };
    }

    private static Task orNew(Task current, TaskEvent event) {
        if (current != null) {
            return current;
        }
        // An event that arrives before the task's first status (should not happen: the gateway writes
        // "submitted" first) still yields a usable task rather than being lost.
        return new Task(event.taskId(), event.contextId(), new TaskStatus(TaskState.SUBMITTED, null, event.at()),
                null, null, null);
    }

    private static Task status(Task current, TaskEvent.StatusChanged s) {
        Task next = current == null
                ? new Task(s.taskId(), s.contextId(), s.status(), null, null, s.metadata(), s.submission())
                : current.withStatus(s.status());
        return s.status().message() == null || isPartial(s) ? next : withMessage(next, s.status().message());
    }

    /**
     * Streamed partial text ({@code progress.partial}) is the answer so far, re-sent as it grows: it is the
     * current status message, but only the finished answer belongs in the history (else a streamed answer of n
     * deltas would leave n growing copies there).
     */
    private static boolean isPartial(TaskEvent.StatusChanged s) {
        return s.progress().partial();
    }

    private static Task withMessage(Task task, Message message) {
        for (Message m : task.history()) {
            if (m.messageId().equals(message.messageId())) {
                return task; // redelivered: history keeps one copy
            }
        }
        List<Message> history = new ArrayList<>(task.history());
        history.add(message);
        return task.withHistory(history);
    }

    private static Task artifact(Task task, TaskEvent.ArtifactAdded a) {
        List<Artifact> artifacts = new ArrayList<>(task.artifacts());
        int index = -1;
        for (int i = 0; i < artifacts.size(); i++) {
            if (artifacts.get(i).artifactId().equals(a.artifact().artifactId())) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            artifacts.add(a.artifact());
        } else if (a.append()) {
            Artifact old = artifacts.get(index);
            List<Part> parts = new ArrayList<>(old.parts());
            parts.addAll(a.artifact().parts());
            Map<String, Object> metadata = a.artifact().metadata().isEmpty() ? old.metadata() : a.artifact().metadata();
            artifacts.set(index, new Artifact(old.artifactId(), old.name(), old.description(), parts,
                    old.extensions(), metadata));
        } else {
            artifacts.set(index, a.artifact());
        }
        return task.withArtifacts(artifacts);
    }
}
