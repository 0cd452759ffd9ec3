package run.codetether.gateway.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
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
            case TaskEvent.StatusChanged s when s.accepted() != null -> accepted(current, s);
            case TaskEvent.StatusChanged s -> status(current, s);
            case TaskEvent.ArtifactAdded a -> artifact(orNew(current, a), a);
            case TaskEvent.MessageAdded m -> withMessage(orNew(current, m), m.message());
        };
    }

    /**
     * The gateway's accept in one record (issue 18): the status and the user's message it carries, folded as the two
     * records they were written as before, in their order.
     */
    private static Task accepted(Task current, TaskEvent.StatusChanged s) {
        Task next = current;
        for (TaskEvent e : s.acceptedApart()) {
            next = apply(next, e);
        }
        return next;
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
        // a final status that finishes the answer artifact (issue 18) is that artifact event, then the status
        Task closed = s.closedArtifact().map(a -> artifact(orNew(current, s), a)).orElse(current);
        // its message sent without the answer's text (the artifact's): the task shows it as if sent whole
        TaskStatus shown = s.messageInArtifact() ? s.shownStatus(text(closed, s.finishes().artifactId())) : s.status();
        return statusOnly(closed, s, shown);
    }

    private static Task statusOnly(Task current, TaskEvent.StatusChanged s, TaskStatus shown) {
        Task next = current == null
                ? new Task(s.taskId(), s.contextId(), shown, null, null, s.metadata(), s.submission())
                : current.withStatus(shown);
        if (s.isFinal()) {
            next = withoutStreaming(next);
        }
        return shown.message() == null || isPartial(s) ? next : withMessage(next, shown.message());
    }

    /** The text of the task's artifact {@code artifactId} as folded (its text parts in order), or "" without it. */
    static String text(Task task, String artifactId) {
        List<String> texts = new ArrayList<>(1);
        for (Artifact a : task.artifacts()) {
            if (a.artifactId().equals(artifactId)) {
                for (Part p : a.parts()) {
                    if (p instanceof Part.Text t) {
                        texts.add(t.text());
                    }
                }
            }
        }
        // one part (a folded answer): its string itself, which the status message then shares (one copy in the heap)
        return texts.size() == 1 ? texts.get(0) : String.join("", texts);
    }

    /**
     * A run that stops (ends, or waits for input) while its answer still streams leaves no half answer behind: the
     * streamed text was a preview, as the partial status message it replaced was (a completed run has already
     * replaced it by the finished answer, same artifact id).
     */
    private static Task withoutStreaming(Task task) {
        if (task.artifacts().stream().noneMatch(TaskEvent.ArtifactAdded::isStreaming)) {
            return task;
        }
        return task.withArtifacts(task.artifacts().stream().filter(a -> !TaskEvent.ArtifactAdded.isStreaming(a))
                .toList());
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
        boolean closes = a.closes();
        Artifact added = a.streamed() || closes ? withoutOffset(a.artifact()) : a.artifact();
        if (index < 0) {
            artifacts.add(added);
        } else if (closes) {
            // the finished artifact is the streamed text and this rest, with the last chunk's marks (none: no
            // longer partial), name and description, as if it had been sent whole
            Artifact old = artifacts.get(index);
            artifacts.set(index, new Artifact(old.artifactId(), added.name() == null ? old.name() : added.name(),
                    added.description() == null ? old.description() : added.description(),
                    streamed(old.parts(), added.parts(), a.textOffset()), added.extensions(), added.metadata()));
        } else if (a.append()) {
            Artifact old = artifacts.get(index);
            List<Part> parts = a.streamed() ? streamed(old.parts(), added.parts(), a.textOffset())
                    : appended(old.parts(), added.parts());
            Map<String, Object> metadata = added.metadata().isEmpty() ? old.metadata() : added.metadata();
            artifacts.set(index, new Artifact(old.artifactId(), old.name(), old.description(), parts,
                    old.extensions(), metadata));
        } else {
            artifacts.set(index, added);
        }
        return task.withArtifacts(artifacts);
    }

    /**
     * The folded artifact holds the whole text so far, so a chunk's offset no longer applies to it (a client that
     * gets it in a snapshot takes it whole).
     */
    private static Artifact withoutOffset(Artifact chunk) {
        Map<String, Object> metadata = new java.util.LinkedHashMap<>(chunk.metadata());
        metadata.remove(MetadataKeys.TEXT_OFFSET);
        return new Artifact(chunk.artifactId(), chunk.name(), chunk.description(), chunk.parts(), chunk.extensions(),
                metadata);
    }

    /**
     * A streamed chunk placed at its offset: the text it continues is kept up to there, so a chunk folded twice
     * (delivered again) does not repeat text. A chunk past the end (an earlier one never arrived) is appended: a gap
     * beats losing the rest.
     */
    private static List<Part> streamed(List<Part> old, List<Part> added, long offset) {
        if (offset >= 0 && old.size() == 1 && old.get(0) instanceof Part.Text before && before.text().length() > offset
                && before.metadata().isEmpty()) {
            return appended(List.of(new Part.Text(before.text().substring(0, (int) offset), before.mediaType(),
                    Map.of())), added);
        }
        return appended(old, added);
    }

    /**
     * The parts after an appended chunk: text that continues text (same media type, no metadata) joins the part
     * before it, so an answer streamed in n chunks is one text part, as it will be once finished, and not n parts.
     */
    private static List<Part> appended(List<Part> old, List<Part> added) {
        List<Part> parts = new ArrayList<>(old);
        for (Part p : added) {
            int last = parts.size() - 1;
            if (last >= 0 && parts.get(last) instanceof Part.Text before && p instanceof Part.Text more
                    && before.metadata().isEmpty() && more.metadata().isEmpty()
                    && Objects.equals(before.mediaType(), more.mediaType())) {
                parts.set(last, new Part.Text(before.text() + more.text(), before.mediaType(), Map.of()));
            } else {
                parts.add(p);
            }
        }
        return parts;
    }
}
