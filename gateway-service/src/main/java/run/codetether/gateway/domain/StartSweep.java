package run.codetether.gateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;

/**
 * The start sweep's rules (issues 18/19): a task accepted in two writes (its events on {@code tasks.events}, its
 * work request on {@code tasks.requested}) whose gateway died between them, or whose request and rejection both
 * failed, has its events but no request: it would stay SUBMITTED forever. A task that stayed SUBMITTED for
 * {@code after} and whose request for its latest user message was not seen on {@code tasks.requested} is closed
 * by {@link StartGap}: a new task is REJECTED ("the gateway stopped before the task was handed to a worker; send it
 * again") and canceled, a follow-up message sends its task back to waiting for input.
 *
 * <p>Why not re-send the request: the client was never told the task was accepted (the answer waits for both
 * writes), so it may already have sent it again, as a new task; re-sending would run the same work twice. Closing
 * it loses nothing: the task, its message and the reason stay readable. Pure: the caller reads tasks.requested and
 * writes what this returns.
 */
public final class StartSweep {
    private final Duration after;

    /** @param after how long a task waits SUBMITTED, its request not seen, before it is closed */
    public StartSweep(Duration after) {
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("codetether.gateway.start-sweep.after must be positive: " + after);
        }
        this.after = after;
    }

    public Duration after() {
        return after;
    }

    /** How a work request is recognized on tasks.requested: the task and the user message it hands over. */
    public static String requestKey(String taskId, String messageId) {
        return taskId + '\n' + messageId;
    }

    /**
     * The request key a SUBMITTED task waits for (its latest user message), or null when it has none. Swarm tasks
     * (their request goes to swarm.requested) and tasks told that no agent runs (their status time is the notice's,
     * not the submission's) are left out.
     */
    public static String awaitedKey(Task t) {
        if (t.status().state() != TaskState.SUBMITTED
                || t.submission() != null && Routing.SWARM.equals(t.submission().skill())) {
            return null;
        }
        Message status = t.status().message();
        if (status != null && status.messageId() != null
                && status.messageId().startsWith(NoAgentNotice.MESSAGE_ID_PREFIX)) {
            return null;
        }
        Message last = lastUserMessage(t);
        return last == null ? null : requestKey(t.id(), last.messageId());
    }

    /** The tasks that waited SUBMITTED for {@code after} and can be judged (see {@link #awaitedKey}). */
    public List<Task> overdue(Collection<Task> tasks, Instant now) {
        List<Task> out = new ArrayList<>();
        for (Task t : tasks) {
            Instant since = t.status().timestamp();
            if (since != null && !since.plus(after).isAfter(now) && awaitedKey(t) != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** A task whose request never reached a worker: what closes its wait. */
    public record Verdict(TaskEvent.StatusChanged event, TaskControl.CancelTask cancel) {}

    /**
     * The verdict on an overdue task whose request was not seen: a new task is rejected (and canceled, should its
     * request still land), a follow-up goes back to waiting for input (its agent still waits for it).
     */
    public static Verdict verdict(Task t, String workerId, Instant now) {
        Message last = lastUserMessage(t);
        long userMessages = t.history() == null ? 0 : t.history().stream().filter(m -> m.role() == Role.USER).count();
        if (userMessages > 1) {
            return new Verdict(StartGap.backToInput(workerId, t, TaskState.INPUT_REQUIRED, last.messageId(),
                    "the gateway stopped before it was", now), null);
        }
        return new Verdict(StartGap.rejected(workerId, t.submission(), t.id(), t.contextId(),
                StartGap.UNSTARTED_PREFIX + t.id(), StartGap.GATEWAY_STOPPED, now),
                new TaskControl.CancelTask(t.id(), t.contextId(), StartGap.GATEWAY_STOPPED, now));
    }

    private static Message lastUserMessage(Task t) {
        if (t.history() == null) {
            return null;
        }
        for (int i = t.history().size() - 1; i >= 0; i--) {
            Message m = t.history().get(i);
            if (m.role() == Role.USER) {
                return m;
            }
        }
        return null;
    }
}
