package run.codetether.gateway.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.Progress;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;

/**
 * Ends a task whose start the client was told failed. A write whose acknowledgement timed out may still land (Kafka
 * can write a batch it could not confirm in time), and so may the events written before a later step failed: such a
 * task would sit SUBMITTED forever, or run although its client, told to retry, has started it again as a new task.
 * It is ended REJECTED with the reason (with its submission, so its owner sees why), and an agent that may already
 * have its start gets a cancel; a terminal task never changes again ({@link TaskFold}), so nothing it still reports
 * shows.
 */
final class UnconfirmedStart {
    private static final Logger LOG = Logger.getLogger(UnconfirmedStart.class);

    private UnconfirmedStart() {}

    /**
     * Writes the rejection and the cancel on a thread of its own: during a Kafka outage each write can wait up to the
     * send timeout (a producer waiting for metadata blocks its caller), and the client, whose answer is this
     * failure, must not wait for them too (issue 19: a SendMessage during an outage fails within 2 s; the kill
     * drill measured 3.2 s with a 1.5 s send timeout while the rejection was written first).
     */
    static void reject(TaskLog log, String workerId, Task.Submission submission, String taskId, String contextId,
            Throwable failure) {
        Thread.ofVirtual().name("reject-" + taskId).start(() -> {
            try {
                write(log, workerId, submission, taskId, contextId, failure);
            } catch (RuntimeException e) {
                LOG.warnf("task %s: its start failed and its rejection could not be written either (%s); if its "
                        + "start landed it stays submitted", taskId, e.toString());
            }
        });
    }

    private static void write(TaskLog log, String workerId, Task.Submission submission, String taskId,
            String contextId, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        String why = "Not started: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage())
                + " (a retry is a new task; nothing ran for this one)";
        Instant now = Instant.now();
        TaskEvent rejected = new TaskEvent.StatusChanged(taskId, contextId, workerId, new TaskStatus(TaskState.REJECTED,
                Message.agentText(taskId + "-rejected", contextId, taskId, why), now), Progress.NONE, Map.of(),
                submission, now);
        log.appendEvents(taskId, List.of(rejected)).whenComplete((ok, err) -> {
            if (err != null) {
                LOG.warnf("task %s: its start failed and its rejection could not be written either (%s); if its "
                        + "start landed it stays submitted", taskId, err.toString());
            }
        });
        log.control(new TaskControl.CancelTask(taskId, contextId, why, now));
    }
}
