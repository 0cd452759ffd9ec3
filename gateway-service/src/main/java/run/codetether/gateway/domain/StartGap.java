package run.codetether.gateway.domain;

import java.time.Instant;
import java.util.Map;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskEvent;

/**
 * The events that close the gap between a task's accept writes: its events landed but its work request
 * ({@code StartTask} / {@code ContinueTask} on {@code tasks.requested}) did not, or may not have. A new task is
 * ended REJECTED with the reason (nothing ran for it; the client sends it again); a follow-up message goes back to
 * waiting for input (the task keeps everything it did; the client sends the message again). Neither ever makes a
 * task run twice: a client that was told to retry, or whose connection died with the gateway, may have sent it
 * again already. Pure.
 */
public final class StartGap {
    /** Message id prefix of the sweep's rejection of a task that was never handed to a worker. */
    public static final String UNSTARTED_PREFIX = "unstarted-";
    /** Message id prefix of the note on a follow-up message that was never handed to its agent. */
    public static final String UNDELIVERED_PREFIX = "undelivered-";
    /** What the sweep tells the client of a task its gateway stopped before handing it to a worker. */
    public static final String GATEWAY_STOPPED = "Not started: the gateway stopped before the task was handed to a "
            + "worker; send it again (nothing ran for this task)";

    private StartGap() {}

    /** The task ends REJECTED with {@code why}, its submission kept (its owner still sees it). */
    public static TaskEvent.StatusChanged rejected(String workerId, Task.Submission submission, String taskId,
            String contextId, String messageId, String why, Instant now) {
        return new TaskEvent.StatusChanged(taskId, contextId, workerId, new TaskStatus(TaskState.REJECTED,
                Message.agentText(messageId, contextId, taskId, why), now), Progress.NONE, Map.of(), submission, now);
    }

    /**
     * The task waits for input again: its follow-up message {@code messageId} never reached the agent, which still
     * waits for it.
     */
    public static TaskEvent.StatusChanged backToInput(String workerId, Task task, TaskState waiting, String messageId,
            String why, Instant now) {
        String text = "Your message " + messageId + " was not handed to the agent (" + why + "); the task still "
                + "waits for input: send the message again";
        return new TaskEvent.StatusChanged(task.id(), task.contextId(), workerId, new TaskStatus(waiting,
                Message.agentText(UNDELIVERED_PREFIX + task.id() + "-" + messageId, task.contextId(), task.id(), text),
                now), Map.of(), now);
    }
}
