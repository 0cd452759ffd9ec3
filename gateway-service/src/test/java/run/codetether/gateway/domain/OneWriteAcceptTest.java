package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SwarmCommand;

/**
 * Issue 18: a task is accepted in one round trip. Its events and its work request are both handed to the log before
 * either is acknowledged, and the client's answer waits for both; when only one of them lands the task is ended
 * REJECTED (and canceled), never left SUBMITTED or running for a client told to retry.
 */
class OneWriteAcceptTest {

    /** A log whose acknowledgements the test gives (or refuses) by hand, in any order. */
    static final class ManualLog implements TaskLog {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<TaskEvent> appended = new CopyOnWriteArrayList<>();
        final List<TaskControl> controls = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<List<Long>>> eventAcks = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> requestAck = new CompletableFuture<>();
        volatile boolean refuseEventsAtOnce;

        @Override
        public CompletableFuture<List<Long>> appendEvents(String taskId, List<TaskEvent> events) {
            calls.add("events");
            appended.addAll(events);
            if (refuseEventsAtOnce) {
                return CompletableFuture.failedFuture(A2AException.retryable(A2AError.UNAVAILABLE, "no broker", 2));
            }
            if (!eventAcks.isEmpty()) {
                return CompletableFuture.completedFuture(List.of(99L)); // the rejection, written later
            }
            CompletableFuture<List<Long>> ack = new CompletableFuture<>();
            eventAcks.add(ack);
            return ack;
        }

        @Override
        public void recordState(Task task, long offset) {}

        @Override
        public CompletableFuture<Void> request(TaskCommand command) {
            calls.add("request");
            return requestAck;
        }

        @Override
        public CompletableFuture<Void> requestSwarm(SwarmCommand job) {
            return request(null);
        }

        @Override
        public CompletableFuture<Void> control(TaskControl control) {
            controls.add(control);
            return CompletableFuture.completedFuture(null);
        }
    }

    final ManualLog log = new ManualLog();
    final TaskView view = new TaskView();
    final TaskEngine engine = new TaskEngine(log, view, "test");

    private static SendRequest send() {
        return new SendRequest(new Message("m1", Role.USER, List.of(Part.Text.of("hi")), null, null, null, null, null),
                null, null, true, List.of(), null, Map.of());
    }

    private static A2AException unavailable() {
        return A2AException.retryable(A2AError.UNAVAILABLE, "Kafka did not accept the request in time", 2);
    }

    @Test
    void theWorkRequestGoesOutBeforeTheEventsAreAcknowledgedAndTheAnswerWaitsForBoth() throws Exception {
        CompletableFuture<TaskEngine.Accepted> accepted = engine.send(send(), new Caller("alice"), null);
        assertEquals(List.of("events", "request"), log.calls, "both writes are in flight at once");
        assertFalse(accepted.isDone());
        log.requestAck.complete(null);
        assertFalse(accepted.isDone(), "not accepted while its events are unconfirmed");
        log.eventAcks.get(0).complete(List.of(8L));
        TaskEngine.Accepted a = accepted.get(5, TimeUnit.SECONDS);
        assertEquals(8L, a.offset());
        assertEquals(TaskState.SUBMITTED, view.get(a.task().id()).orElseThrow().status().state(),
                "read-your-writes: this replica knows the task when the client does");
        assertTrue(log.controls.isEmpty());
    }

    @Test
    void eventsThatFailAfterTheRequestLandedEndTheTaskRejectedAndCanceled() throws Exception {
        CompletableFuture<TaskEngine.Accepted> accepted = engine.send(send(), new Caller("alice"), null);
        log.requestAck.complete(null); // an agent may have the start now
        log.eventAcks.get(0).completeExceptionally(unavailable());
        ExecutionException e = assertThrows(ExecutionException.class, () -> accepted.get(5, TimeUnit.SECONDS));
        assertInstanceOf(A2AException.class, e.getCause());
        TaskEvent.StatusChanged rejected = awaitRejection();
        assertEquals("alice", rejected.submission().owner());
        assertEquals(1, log.controls.size(), "the agent that has the start is told to cancel it");
        assertEquals(rejected.taskId(), log.controls.get(0).taskId());
    }

    @Test
    void aRequestThatFailsAfterTheEventsLandedEndsTheTaskRejected() throws Exception {
        CompletableFuture<TaskEngine.Accepted> accepted = engine.send(send(), new Caller("alice"), null);
        log.eventAcks.get(0).complete(List.of(2L));
        assertFalse(accepted.isDone(), "the events alone do not accept the task");
        log.requestAck.completeExceptionally(unavailable());
        assertThrows(ExecutionException.class, () -> accepted.get(5, TimeUnit.SECONDS));
        awaitRejection();
        assertEquals(1, log.controls.size());
    }

    @Test
    void eventsRefusedAtOnceSendNoRequest() {
        log.refuseEventsAtOnce = true;
        CompletableFuture<TaskEngine.Accepted> accepted = engine.send(send(), new Caller("alice"), null);
        assertThrows(ExecutionException.class, () -> accepted.get(5, TimeUnit.SECONDS));
        assertFalse(log.calls.contains("request"), "a second write would wait for the missing broker again");
    }

    @Test
    void aPushConfigIsInPlaceBeforeEitherWrite() throws Exception {
        CompletableFuture<Object> attached = new CompletableFuture<>();
        CompletableFuture<TaskEngine.Accepted> accepted = engine.send(send(), new Caller("alice"), null,
                taskId -> attached);
        assertTrue(log.calls.isEmpty(), "nothing of the task is written before its push config is stored");
        attached.complete(null);
        assertEquals(List.of("events", "request"), log.calls);
        log.requestAck.complete(null);
        log.eventAcks.get(0).complete(List.of(2L));
        accepted.get(5, TimeUnit.SECONDS);
    }

    /** A task of alice's that waits for input, as the view folded it. */
    private String waitingTask() {
        String id = "t-wait";
        java.time.Instant now = java.time.Instant.now();
        view.apply(new TaskEvent.StatusChanged(id, "c-wait", "agent", new run.codetether.contracts.a2a.TaskStatus(
                TaskState.INPUT_REQUIRED, null, now), run.codetether.contracts.events.Progress.NONE, Map.of(),
                new Task.Submission("alice", null, null), now), 1, v -> { });
        return id;
    }

    private static SendRequest followUp(String taskId) {
        return new SendRequest(new Message("m2", Role.USER, List.of(Part.Text.of("yes")), null, taskId, null, null,
                null), null, null, true, List.of(), null, Map.of());
    }

    @Test
    void aFollowUpMessageIsAcceptedInOneRoundTripToo() throws Exception {
        String id = waitingTask();
        CompletableFuture<TaskEngine.Accepted> accepted = engine.send(followUp(id), new Caller("alice"), null);
        assertEquals(List.of("events", "request"), log.calls, "the ContinueTask goes out before the events' ack");
        log.requestAck.complete(null);
        assertFalse(accepted.isDone(), "not accepted while its events are unconfirmed");
        log.eventAcks.get(0).complete(List.of(6L));
        assertEquals(6L, accepted.get(5, TimeUnit.SECONDS).offset());
    }

    @Test
    void aFollowUpWhoseRequestFailedSendsItsTaskBackToWaitingForInput() throws Exception {
        String id = waitingTask();
        CompletableFuture<TaskEngine.Accepted> accepted = engine.send(followUp(id), new Caller("alice"), null);
        log.eventAcks.get(0).complete(List.of(6L)); // SUBMITTED with the message landed
        log.requestAck.completeExceptionally(unavailable());
        assertThrows(ExecutionException.class, () -> accepted.get(5, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (log.appended.size() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        TaskEvent.StatusChanged back = assertInstanceOf(TaskEvent.StatusChanged.class, log.appended.get(1));
        assertEquals(TaskState.INPUT_REQUIRED, back.status().state(), "the agent still waits for the message");
        assertTrue(back.status().message().text().contains("send the message again"));
        assertTrue(log.controls.isEmpty(), "a waiting task is not canceled");
    }

    private TaskEvent.StatusChanged awaitRejection() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((log.appended.size() < 2 || log.controls.isEmpty()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(2, log.appended.size(), "submitted with the message, then the rejection: " + log.appended);
        TaskEvent.StatusChanged rejected = assertInstanceOf(TaskEvent.StatusChanged.class, log.appended.get(1));
        assertEquals(TaskState.REJECTED, rejected.status().state());
        return rejected;
    }
}
