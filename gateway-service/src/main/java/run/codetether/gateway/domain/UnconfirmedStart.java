package run.codetether.gateway.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;

/**
 * Ends a task whose start the client was told failed. A write whose acknowledgement timed out may still land (Kafka
 * can write a batch it could not confirm in time), and so may the events written before a later step failed: such a
 * task would sit SUBMITTED forever, or run although its client, told to retry, has started it again as a new task.
 * It is ended REJECTED with the reason (with its submission, so its owner sees why), and an agent that may already
 * have its start gets a cancel; a terminal task never changes again ({@link TaskFold}), so nothing it still reports
 * shows. A follow-up message that failed the same way puts its task back to waiting for input ({@link StartGap}).
 *
 * <p>These writes are patient ({@link TaskLog#appendEventsPatiently}, retried with backoff for
 * {@link #GIVE_UP_AFTER}): the client's own writes failed because Kafka was slow or away, and a rejection that
 * failed for the same reason left the task SUBMITTED (issue 19: three such tasks in the full-path bench at load
 * > 30). What a gateway that dies meanwhile leaves behind, the start sweep of another replica ends.
 */
final class UnconfirmedStart {
    private static final Logger LOG = Logger.getLogger(UnconfirmedStart.class);
    /** How long the rejection of an unconfirmed start is retried before it is left to the start sweep. */
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(5);

    private UnconfirmedStart() {}

    /**
     * Writes the rejection and the cancel on a thread of its own: during a Kafka outage each write can wait up to the
     * send timeout (a producer waiting for metadata blocks its caller), and the client, whose answer is this
     * failure, must not wait for them too (issue 19: a SendMessage during an outage fails within 2 s; the kill
     * drill measured 3.2 s with a 1.5 s send timeout while the rejection was written first).
     */
    static void reject(TaskLog log, String workerId, Task.Submission submission, String taskId, String contextId,
            Throwable failure) {
        String why = "Not started: " + reason(failure) + " (a retry is a new task; nothing ran for this one)";
        Instant now = Instant.now();
        TaskEvent rejected = StartGap.rejected(workerId, submission, taskId, contextId, taskId + "-rejected", why, now);
        Thread.ofVirtual().name("reject-" + taskId).start(() -> {
            log.controlPatiently(new TaskControl.CancelTask(taskId, contextId, why, now));
            writePatiently(log, taskId, rejected, "its start failed");
        });
    }

    /** A follow-up message that was not confirmed: its task waits for input again, as before the message. */
    static void restore(TaskLog log, String workerId, Task before, String messageId, Throwable failure) {
        TaskState waiting = before.status().state().isInterrupted() ? before.status().state() : TaskState.INPUT_REQUIRED;
        TaskEvent back = StartGap.backToInput(workerId, before, waiting, messageId, reason(failure), Instant.now());
        Thread.ofVirtual().name("restore-" + before.id())
                .start(() -> writePatiently(log, before.id(), back, "its follow-up message failed"));
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private static void writePatiently(TaskLog log, String taskId, TaskEvent event, String what) {
        long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
        long backoffMs = 500;
        while (true) {
            try {
                log.appendEventsPatiently(taskId, List.of(event)).join();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() + backoffMs * 1_000_000 > deadline) {
                    LOG.warnf("task %s: %s and its closing status could not be written for %s (%s); the start "
                            + "sweep ends it if it stays submitted", taskId, what, GIVE_UP_AFTER, e.toString());
                    return;
                }
                LOG.debugf("task %s: closing status not written yet (%s); retrying in %d ms", taskId, e, backoffMs);
                try {
                    Thread.sleep(backoffMs); // backoff between attempts at a slow or absent Kafka, not a test wait
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 30_000);
            }
        }
    }
}
