package run.codetether.gateway.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;

/**
 * The shape a folded task is kept in outside the heap ({@code tasks.state}, the local {@link TaskStore}): a completed
 * answer's text once. A client sees the answer three times in a task: as the answer artifact, as the completed
 * status's message and as that message again at the end of the history. Stored so, a 4,000-token answer cost three
 * times its bytes per stored task (issue 18). Stored, the status message and its copy in the history lose their
 * first text part and name the artifact whose text it is ({@value #TEXT_OF} in the message's metadata, only ever in
 * the stored form); reading a stored task puts the text back, so everything read from the store (GetTask, ListTasks,
 * streams, push) is the task as folded, byte for byte.
 *
 * <p>Tasks stored before (the text three times) read as they did; their copies are made one string in the heap on
 * the way, as a fold makes them ({@link #read}). A gateway of an earlier release reading the stored form sees a
 * status message without its text and with the marker: the answer artifact is whole either way
 * (docs/operations.md "Upgrades").
 */
public final class StoredTask {
    /**
     * The metadata key of a stored message whose first text part was left out: its value is the id of the artifact
     * whose text that part was. Never shown: reading puts the text back and drops the key.
     */
    public static final String TEXT_OF = "codetether.stored.textOfArtifact";
    /**
     * Shorter texts are stored as they are: naming the artifact twice costs about as much as the text (a one-word
     * answer stays readable to an earlier gateway).
     */
    static final int MIN_CHARS = 128;

    private StoredTask() {}

    /** The task's JSON in the stored shape ({@link ContractJson} writes the shape). */
    public static byte[] encode(Task task) {
        return ContractJson.write(compact(task));
    }

    /** A stored task's JSON (either shape) as the task it was folded to. */
    public static Task decode(byte[] json) {
        return read(ContractJson.read(json, Task.class));
    }

    /**
     * The task with its status message's text left out where it is an artifact's whole text (and so in the history's
     * copy of that message); the task itself when nothing is left out.
     */
    public static Task compact(Task task) {
        Message m = task.status() == null ? null : task.status().message();
        Artifact source = m == null ? null : sourceOf(task, m);
        if (source == null) {
            return task;
        }
        Map<String, Object> marked = new HashMap<>();
        marked.put(TEXT_OF, source.artifactId());
        Message stored = with(m, m.parts().subList(1, m.parts().size()), marked);
        return rebuilt(task, m, stored, h -> h.equals(m));
    }

    /**
     * The task as folded from its stored shape: a message that names an artifact gets that artifact's text back as
     * its first part (the same string: one copy in the heap). A task stored with the text in every place (before this
     * shape, or too short to leave out) is returned with the status message's text and its history copy as the
     * artifact's string, which is what the fold holds too.
     *
     * @throws IllegalStateException when a message names an artifact the task has no single text of (a damaged
     *     record: the text it stood for is not in it)
     */
    public static Task read(Task task) {
        Message m = task.status() == null ? null : task.status().message();
        if (m == null) {
            return task;
        }
        Object named = m.metadata().get(TEXT_OF);
        if (named == null) {
            Artifact source = sourceOf(task, m);
            if (source == null) {
                return task;
            }
            Message shared = with(m, withFirst(singleText(source), m.parts().subList(1, m.parts().size())),
                    m.metadata());
            return rebuilt(task, m, shared, h -> h.equals(m));
        }
        String text = null;
        for (Artifact a : task.artifacts()) {
            if (a.artifactId().equals(named) && singleText(a) != null) {
                text = singleText(a);
                break;
            }
        }
        if (text == null) {
            throw new IllegalStateException("stored task " + task.id() + ": its status message is the text of artifact "
                    + named + ", which the record does not hold as one text part (a damaged record)");
        }
        Map<String, Object> visible = new HashMap<>(m.metadata());
        visible.remove(TEXT_OF);
        Message whole = with(m, withFirst(text, m.parts()), visible);
        return rebuilt(task, m, whole,
                h -> h.messageId().equals(m.messageId()) && named.equals(h.metadata().get(TEXT_OF)));
    }

    /**
     * The artifact whose whole text the message's first part is, when leaving that part out pays: a plain text part
     * (no media type, no metadata) of at least {@link #MIN_CHARS}, in a message without metadata of its own (so
     * the marker is all its stored metadata and reading restores an empty map), the artifact's only part.
     */
    private static Artifact sourceOf(Task task, Message m) {
        if (m.parts().isEmpty() || !m.metadata().isEmpty() || !(m.parts().get(0) instanceof Part.Text first)
                || first.text().length() < MIN_CHARS || first.mediaType() != null || !first.metadata().isEmpty()) {
            return null;
        }
        for (Artifact a : task.artifacts()) {
            String text = singleText(a);
            if (text != null && text.equals(first.text())) {
                return a;
            }
        }
        return null;
    }

    /** The artifact's text when it is one plain text part (what the fold makes of an answer), else null. */
    private static String singleText(Artifact a) {
        return a.parts().size() == 1 && a.parts().get(0) instanceof Part.Text t && t.mediaType() == null
                && t.metadata().isEmpty() ? t.text() : null;
    }

    private static List<Part> withFirst(String text, List<Part> rest) {
        List<Part> parts = new ArrayList<>(rest.size() + 1);
        parts.add(Part.Text.of(text));
        parts.addAll(rest);
        return parts;
    }

    private static Message with(Message m, List<Part> parts, Map<String, Object> metadata) {
        return new Message(m.messageId(), m.role(), parts, m.contextId(), m.taskId(), m.referenceTaskIds(),
                m.extensions(), metadata);
    }

    /** The task with {@code replacement} as its status message and in place of each history message matching. */
    private static Task rebuilt(Task task, Message status, Message replacement,
            java.util.function.Predicate<Message> isCopy) {
        List<Message> history = new ArrayList<>(task.history().size());
        for (Message h : task.history()) {
            history.add(h.messageId().equals(status.messageId()) && isCopy.test(h) ? replacement : h);
        }
        return task.withStatus(new TaskStatus(task.status().state(), replacement, task.status().timestamp()))
                .withHistory(history);
    }
}
