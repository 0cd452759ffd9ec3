package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;

/** Admission control's counts follow the folded view, and the caps refuse with a retry hint. */
class InFlightTasksTest {
    private final InFlightTasks inFlight = new InFlightTasks(5, 2, 3);
    private final TaskView view = new TaskView(e -> { }, inFlight::observe);
    private final ViewFeed feed = new ViewFeed(view);

    private void submit(String taskId, String owner) {
        feed.submit(taskId, owner, "hi");
    }

    private void status(String taskId, TaskState state) {
        feed.status(taskId, state);
    }

    @Test
    void aClientAtItsCapIsRefusedWithARetryHintAndOthersAreNot() {
        submit("a1", "alice");
        submit("a2", "alice");
        status("a2", TaskState.WORKING);
        assertEquals(2, inFlight.of("alice"));
        A2AException refused = assertThrows(A2AException.class, () -> inFlight.admit("alice"));
        assertEquals(A2AError.TOO_MANY_TASKS, refused.error());
        assertEquals(3, refused.retryAfterSeconds());
        assertEquals(3L, refused.details().get("retryAfterSeconds"));
        assertEquals(429, refused.error().httpStatus());
        assertEquals("RESOURCE_EXHAUSTED", refused.error().grpcStatus());
        assertTrue(refused.getMessage().contains("at most 2"), refused.getMessage());
        inFlight.admit("bob").close(); // fairness: alice's flood does not refuse bob
        assertEquals(0, inFlight.of("bob"));
    }

    @Test
    void aTaskThatEndsOrAsksForInputFreesItsSlot() {
        submit("a1", "alice");
        submit("a2", "alice");
        status("a1", TaskState.COMPLETED);
        inFlight.admit("alice").close();
        status("a2", TaskState.INPUT_REQUIRED);
        assertEquals(0, inFlight.of("alice"));
        status("a2", TaskState.SUBMITTED); // the follow-up message takes a slot again
        assertEquals(1, inFlight.of("alice"));
        status("a2", TaskState.WORKING);
        assertEquals(1, inFlight.of("alice"), "one task, one slot, whatever events it gets");
        view.remove("a2");
        assertEquals(0, inFlight.of("alice"));
        assertEquals(0, inFlight.total());
    }

    @Test
    void reservationsCountUntilClosedSoConcurrentSendsCannotOvershoot() {
        InFlightTasks.Reservation one = inFlight.admit("alice");
        InFlightTasks.Reservation two = inFlight.admit("alice");
        assertThrows(A2AException.class, () -> inFlight.admit("alice"));
        one.close();
        one.close(); // twice is harmless
        assertEquals(1, inFlight.of("alice"));
        two.close();
        assertEquals(0, inFlight.total());
    }

    @Test
    void theGlobalCapRefusesEveryClient() {
        submit("a1", "alice");
        submit("a2", "alice");
        submit("b1", "bob");
        submit("b2", "bob");
        submit("c1", "carol");
        A2AException refused = assertThrows(A2AException.class, () -> inFlight.admit("dave"));
        assertTrue(refused.getMessage().contains("at capacity (5"), refused.getMessage());
        assertEquals(0, inFlight.of("dave"), "a refused admission leaves no count behind");
        status("c1", TaskState.FAILED);
        inFlight.admit("dave").close();
    }

    @Test
    void restoredTasksCount() {
        Task working = new Task("r1", "ctx", new TaskStatus(TaskState.WORKING, null, Instant.now()), List.of(),
                List.of(), Map.of(), new Task.Submission("alice", null, null));
        view.restore(working, 10);
        assertEquals(1, inFlight.of("alice"));
        view.restore(working.withStatus(new TaskStatus(TaskState.CANCELED, null, Instant.now())), 11);
        assertEquals(0, inFlight.of("alice"));
    }

    @Test
    void zeroDisablesTheCaps() {
        InFlightTasks open = new InFlightTasks(0, 0, 1);
        for (int i = 0; i < 10; i++) {
            open.admit("alice");
        }
        assertEquals(10, open.of("alice"));
    }
}
