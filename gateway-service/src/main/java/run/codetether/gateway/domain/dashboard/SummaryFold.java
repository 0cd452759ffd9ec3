package run.codetether.gateway.domain.dashboard;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.TaskEngine;
import run.codetether.gateway.domain.Tasks;

/**
 * Folds task events into {@link TaskSummary}s. A pure function, as the gateway's own task fold: every replica that
 * reads the same events reaches the same summaries. An ended task never changes again (a worker's late report
 * after a cancel is dropped, as in the task itself).
 *
 * <p>Reads the metadata the workers publish today: the agent's {@code provider}, {@code model}, {@code step},
 * {@code tool}, {@code usage}; swarm-service's {@code subtask_*} progress of a swarm's own task; Ralph's
 * {@code ralph_event} progress. Unknown keys are ignored, so a newer producer never breaks the dashboard.
 */
public final class SummaryFold {
    static final int TITLE_CHARS = 200;
    static final int TEXT_CHARS = 300;

    private SummaryFold() {}

    /** A swarm's progress named the task of one of its sub-agents. */
    public record Link(String childTaskId, String subtaskId) {}

    /** A summary of a task restored from the state topic (no usage: the task keeps none). */
    public static TaskSummary restore(Task task) {
        Draft d = Draft.fresh(task.id(), task.contextId());
        d.state = state(task.status().state());
        d.updatedAt = task.status().timestamp();
        if (task.status().state().isTerminal()) {
            d.endedAt = task.status().timestamp();
        }
        internal(d, task.submission());
        for (Message m : task.history()) {
            if (m.role() == Role.USER && d.title == null) {
                d.title = cut(m.text(), TITLE_CHARS);
            }
        }
        if (task.status().message() != null) {
            d.lastText = cut(task.status().message().text(), TEXT_CHARS);
        }
        return d.build();
    }

    /**
     * @param before the summary so far, or null for the task's first event
     * @return the summary after the event (the same instance when the event changes nothing)
     */
    public static TaskSummary apply(TaskSummary before, TaskEvent event, int partition, long offset) {
        if (before != null && before.ended()) {
            return before;
        }
        Draft d = before == null ? Draft.fresh(event.taskId(), event.contextId()) : Draft.of(before);
        if (d.firstOffset < 0) {
            d.partition = partition;
            d.firstOffset = offset;
        }
        if (d.createdAt == null) {
            d.createdAt = event.at();
        }
        d.updatedAt = event.at();
        if (event.workerId() != null && !TaskEngine.GATEWAY_WORKER.equals(event.workerId())) {
            d.workerId = event.workerId();
        }
        switch (event) {
            case TaskEvent.StatusChanged s -> {
                s.closedArtifact().ifPresent(a -> SwarmFold.artifact(d, a.artifact())); // issue 18: rides on the end
                status(d, s);
                if (s.accepted() != null) {
                    title(d, s.accepted()); // the accept is one record (issue 18): the user's message rides on it
                }
            }
            case TaskEvent.ArtifactAdded a when a.streamed() -> streamed(d, a);
            case TaskEvent.ArtifactAdded a -> SwarmFold.artifact(d, a.artifact());
            case TaskEvent.MessageAdded m -> title(d, m.message());
        }
        return d.build();
    }

    /** A task's title is its first user message, cut. */
    private static void title(Draft d, Message m) {
        if (m.role() == Role.USER && d.title == null) {
            d.title = cut(m.text(), TITLE_CHARS);
        }
    }

    /** The sub-agent task a swarm progress event names, if any. */
    public static Optional<Link> link(TaskEvent event) {
        if (event instanceof TaskEvent.StatusChanged s && s.metadata().get(MetadataKeys.SUBTASK_TASK_ID) instanceof String child
                && s.metadata().get(MetadataKeys.SUBTASK_ID) instanceof String sub && !child.equals(s.taskId())) {
            return Optional.of(new Link(child, sub));
        }
        return Optional.empty();
    }

    /** A sub-agent's summary once its swarm is known: it belongs to the swarm's owner and tenant. */
    public static TaskSummary adopt(TaskSummary child, String childId, String contextId, TaskSummary parent,
            String subtaskId) {
        Draft d = child == null ? Draft.fresh(childId, contextId) : Draft.of(child);
        d.parentId = parent.id();
        d.subtaskId = subtaskId;
        d.kind = "subtask";
        d.owner = d.owner == null ? parent.owner() : d.owner;
        d.tenant = d.tenant == null ? parent.tenant() : d.tenant;
        if (d.updatedAt == null) {
            d.updatedAt = parent.updatedAt();
            d.createdAt = parent.updatedAt();
        }
        if (d.title == null) {
            d.title = "sub-agent " + subtaskId + " of " + (parent.title() == null ? parent.id() : parent.title());
            d.title = cut(d.title, TITLE_CHARS);
        }
        return d.build();
    }

    private static void status(Draft d, TaskEvent.StatusChanged s) {
        Map<String, Object> meta = s.metadata();
        internal(d, s.submission());
        TaskState state = s.status().state();
        d.state = state(state);
        if (meta.get(MetadataKeys.PROVIDER) instanceof String p && !p.isBlank()) {
            d.provider = p;
        }
        if (meta.get(MetadataKeys.MODEL) instanceof String m && !m.isBlank()) {
            d.model = m;
        }
        if (meta.get(MetadataKeys.STEP) instanceof Number n) {
            d.steps = Math.max(d.steps, n.intValue());
        }
        boolean partial = Boolean.TRUE.equals(meta.get(MetadataKeys.PARTIAL));
        d.currentTool = meta.get(MetadataKeys.TOOL) instanceof String t ? t : null;
        Message msg = s.status().message();
        boolean streamedAnswer = false;
        if (s.messageInArtifact()) {
            // the message is the answer artifact's text (issue 18): whole in the close, or the streamed tail so far
            // and the close's rest, shown as the tail it was while streaming
            streamedAnswer = s.wholeFinishedText().isEmpty();
            String text = s.wholeFinishedText().orElseGet(() -> (d.lastText == null ? "" : d.lastText)
                    + s.finishes().rest());
            msg = s.shownStatus(text).message();
        }
        if (msg != null && !msg.text().isBlank()) {
            String text = msg.text();
            d.lastText = partial || streamedAnswer ? tail(text, TEXT_CHARS) : cut(text, TEXT_CHARS);
        } else if (msg != null && state.isInterrupted()) {
            d.lastText = dataSummary(msg);
        }
        usage(d, Usage.of(meta), state.isTerminal() || state.isInterrupted());
        if (state.isTerminal()) {
            d.endedAt = s.at();
            d.currentTool = null;
        }
        SwarmFold.progress(d, meta);
        RalphFold.progress(d, meta, msg == null ? "" : msg.text());
    }

    /** A chunk of the answer as the model writes it: the last text shown is the answer's tail so far. */
    private static void streamed(Draft d, TaskEvent.ArtifactAdded a) {
        StringBuilder text = new StringBuilder(a.append() && d.lastText != null ? d.lastText : "");
        a.artifact().parts().forEach(p -> text.append(p instanceof Part.Text t ? t.text() : ""));
        d.lastText = text.length() <= TEXT_CHARS ? text.toString()
                : "…" + text.substring(text.length() - TEXT_CHARS + 1);
        d.currentTool = null;
    }

    /** Per-call usage on progress updates adds up; the final status carries the task's cumulative figures. */
    private static void usage(Draft d, Usage u, boolean cumulative) {
        if (u == null) {
            return;
        }
        if (u.provider() != null) {
            d.provider = u.provider();
        }
        if (u.model() != null) {
            d.model = u.model();
        }
        if (!u.priced()) {
            d.priced = false;
        }
        if (cumulative) {
            d.tokensIn = u.tokensIn();
            d.tokensOut = u.tokensOut();
            d.costUsd = u.costUsd();
        } else {
            d.tokensIn += u.tokensIn();
            d.tokensOut += u.tokensOut();
            // not a conditional expression: `x == null ? d.costUsd : double` unboxes d.costUsd, and an unpriced
            // model's per-call update (no cost) on a task without one threw, so the dashboard dropped the event
            if (u.costUsd() != null) {
                d.costUsd = (d.costUsd == null ? 0.0 : d.costUsd) + u.costUsd();
            }
        }
    }

    private static void internal(Draft d, Task.Submission submission) {
        if (submission == null) {
            return;
        }
        if (submission.owner() != null) {
            d.owner = submission.owner();
        }
        if (submission.tenant() != null) {
            d.tenant = submission.tenant();
        }
        if (submission.skill() != null) {
            d.skill = submission.skill();
            if ("swarm".equals(submission.skill()) || "ralph".equals(submission.skill())) {
                d.kind = submission.skill();
            }
        }
    }

    /** An input request whose message is only data (an approval request): name the tool it asks about. */
    private static String dataSummary(Message msg) {
        for (Part p : msg.parts()) {
            if (p instanceof Part.Data data && data.data() instanceof Map<?, ?> m
                    && m.get(MetadataKeys.APPROVAL_REQUEST) instanceof Map<?, ?> req) {
                return "approval requested for " + req.get(MetadataKeys.TOOL);
            }
        }
        return "input required";
    }

    static String state(TaskState s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String cut(String text, int max) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        return t.length() <= max ? t : t.substring(0, max - 1) + "…";
    }

    static String tail(String text, int max) {
        String t = text.strip();
        return t.length() <= max ? t : "…" + t.substring(t.length() - max + 1);
    }

    static int integer(Object v, int fallback) {
        return v instanceof Number n ? n.intValue() : fallback;
    }

    static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
