package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;

/**
 * A start the client was told failed (retryable) but whose writes may have landed is ended REJECTED and canceled:
 * without it the dashboard burst found tasks that stayed SUBMITTED forever beside their clients' retries.
 */
class UnconfirmedStartTest {
    final RecordingTaskLog log = new RecordingTaskLog(0);
    final List<TaskEvent> appended = log.appended;
    final List<TaskControl> controls = log.controls;
    final TaskView view = new TaskView();

    TaskLog log(boolean requestFails) {
        log.failRequests = requestFails;
        return log;
    }

    private static SendRequest send() {
        return new SendRequest(new Message("m1", Role.USER, List.of(Part.Text.of("hi")), null, null, null, null, null),
                null, null, true, List.of(), null, java.util.Map.of());
    }

    @Test
    void aStartWhoseRequestTimedOutEndsRejectedAndCanceledForItsOwner() throws Exception {
        TaskEngine engine = new TaskEngine(log(true), view, "test");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> engine.send(send(), new Caller("alice"), null).get(5, TimeUnit.SECONDS));
        assertInstanceOf(A2AException.class, e.getCause());
        // the rejection is written after the client's answer, on a thread of its own
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((appended.size() < 2 || controls.isEmpty()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(2, appended.size(), "submitted with the message, then the rejection: " + appended);
        var rejected = assertInstanceOf(TaskEvent.StatusChanged.class, appended.get(1));
        assertEquals(TaskState.REJECTED, rejected.status().state());
        assertEquals("alice", rejected.submission().owner(), "its owner sees why");
        String why = rejected.status().message().parts().toString();
        assertTrue(why.contains("Not started: Kafka did not accept the request in time") && why.contains("a retry is a new task"),
                why);
        assertEquals(1, controls.size());
        assertEquals(appended.get(0).taskId(), ((TaskControl.CancelTask) controls.get(0)).taskId());
    }

    /**
     * Under load the client's short send timeout fails the start, and a rejection written with it failed too (the
     * full-path bench left three tasks SUBMITTED so): the rejection and the cancel go through the patient path,
     * retried until they land.
     */
    @Test
    void aRejectionThatFailsOnceIsRetriedPatientlyUntilItLands() throws Exception {
        java.util.concurrent.atomic.AtomicInteger patientAttempts = new java.util.concurrent.atomic.AtomicInteger();
        List<TaskControl> patientControls = new java.util.concurrent.CopyOnWriteArrayList<>();
        TaskLog slow = new TaskLog() {
            @Override
            public java.util.concurrent.CompletableFuture<List<Long>> appendEvents(String taskId, List<TaskEvent> events) {
                return log.appendEvents(taskId, events);
            }

            @Override
            public java.util.concurrent.CompletableFuture<List<Long>> appendEventsPatiently(String taskId,
                    List<TaskEvent> events) {
                if (patientAttempts.incrementAndGet() == 1) {
                    return java.util.concurrent.CompletableFuture.failedFuture(
                            A2AException.retryable(A2AError.UNAVAILABLE, "still slow", 2));
                }
                return log.appendEvents(taskId, events);
            }

            @Override
            public void recordState(run.codetether.contracts.a2a.Task task, long offset) {}

            @Override
            public java.util.concurrent.CompletableFuture<Void> request(run.codetether.contracts.events.TaskCommand c) {
                return java.util.concurrent.CompletableFuture.failedFuture(
                        A2AException.retryable(A2AError.UNAVAILABLE, "Kafka did not accept the request in time", 2));
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> requestSwarm(
                    run.codetether.contracts.swarm.SwarmCommand job) {
                return request(null);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> control(TaskControl control) {
                return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("fast path"));
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> controlPatiently(TaskControl control) {
                patientControls.add(control);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
        };
        TaskEngine engine = new TaskEngine(slow, view, "test");
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> engine.send(send(), new Caller("alice"), null).get(5, TimeUnit.SECONDS));
        A2AException refused = assertInstanceOf(A2AException.class, e.getCause());
        assertEquals(A2AError.UNAVAILABLE, refused.error(), "the standard retryable error of every binding");
        assertEquals(2, refused.retryAfterSeconds());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((appended.size() < 2 || patientControls.isEmpty()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(2, patientAttempts.get(), "the first patient attempt failed, the retry landed");
        assertEquals(TaskState.REJECTED, ((TaskEvent.StatusChanged) appended.get(1)).status().state());
        assertEquals(1, patientControls.size(), "the cancel went the patient way too");
    }

    @Test
    void anAcceptedStartWritesNoRejection() throws Exception {
        TaskEngine engine = new TaskEngine(log(false), view, "test");
        engine.send(send(), new Caller("alice"), null).get(5, TimeUnit.SECONDS);
        assertEquals(1, appended.size(), "the accept is one record: " + appended);
        assertTrue(controls.isEmpty());
    }
}
