package run.codetether.gateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.TaskEvent;

/**
 * Tells a task's client that no agent-service runs (issue 19): a SUBMITTED or WORKING task that has not changed for
 * {@code after} while the agents' consumer group has no member gets a status update in its own state, with a
 * message that says so. Nothing else changes: the task still waits in Kafka and runs (or continues from its last
 * saved step) when an agent starts. Swarm tasks are left out (swarm-service runs them).
 *
 * <p>The message id is derived from the task id, so the same notice from two gateway replicas is kept once in the
 * task's history. Pure: the caller says whether agents are alive and publishes what this returns.
 */
public final class NoAgentNotice {
    /** Prefix of the notice's message id (the task id follows). */
    public static final String MESSAGE_ID_PREFIX = "no-agent-";

    private final Duration after;

    /** @param after how long a task must have stood still, with no agent alive, before it is told */
    public NoAgentNotice(Duration after) {
        if (after.isNegative() || after.isZero()) {
            throw new IllegalArgumentException("codetether.gateway.no-agent-notice-after must be positive: " + after);
        }
        this.after = after;
    }

    /** The notices due now: for tasks that wait, stand still for {@code after} and were not told yet. */
    public List<TaskEvent.StatusChanged> due(Collection<Task> tasks, Instant now, String workerId) {
        List<TaskEvent.StatusChanged> out = new ArrayList<>();
        for (Task t : tasks) {
            if (!isDue(t, now)) {
                continue;
            }
            TaskState state = t.status().state();
            Instant since = t.status().timestamp();
            out.add(new TaskEvent.StatusChanged(t.id(), t.contextId(), workerId,
                    new TaskStatus(state, Message.agentText(MESSAGE_ID_PREFIX + t.id(), t.contextId(), t.id(),
                            text(state, Duration.between(since, now))), now), Map.of(), now));
        }
        return out;
    }

    /**
     * Whether any notice is due now, without making one: the watchdog asks this on every look, and Kafka whether an
     * agent is alive only when it is true (issue 18: each look made every due notice, text and all, before knowing
     * whether one would be sent, and named each task's notice id to see whether it was told already).
     */
    public boolean anyDue(Collection<Task> tasks, Instant now) {
        for (Task t : tasks) {
            if (isDue(t, now)) {
                return true;
            }
        }
        return false;
    }

    private boolean isDue(Task t, Instant now) {
        TaskState state = t.status().state();
        if (state != TaskState.SUBMITTED && state != TaskState.WORKING) {
            return false;
        }
        Instant since = t.status().timestamp();
        if (since == null || since.plus(after).isAfter(now)) {
            return false;
        }
        if (t.submission() != null && "swarm".equals(t.submission().skill())) {
            return false;
        }
        Message current = t.status().message();
        return current == null || !isNotice(current.messageId(), t.id()); // else told already
    }

    /** Whether {@code messageId} is {@code MESSAGE_ID_PREFIX + taskId}, without building that string. */
    static boolean isNotice(String messageId, String taskId) {
        return messageId != null && messageId.length() == MESSAGE_ID_PREFIX.length() + taskId.length()
                && messageId.startsWith(MESSAGE_ID_PREFIX) && messageId.endsWith(taskId);
    }

    static String text(TaskState state, Duration waited) {
        long s = Math.max(waited.toSeconds(), 1);
        return state == TaskState.SUBMITTED
                ? "No agent is running: no agent-service has picked this task up for " + s + " s. It waits and runs"
                        + " as soon as an agent-service replica starts."
                : "No agent is running: this task's agent stopped and no agent-service has taken it over for " + s
                        + " s. It continues from its last saved step as soon as an agent-service replica starts.";
    }
}
