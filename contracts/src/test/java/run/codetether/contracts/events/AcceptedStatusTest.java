package run.codetether.contracts.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.kafka.TaskEventDeserializer;

/**
 * The gateway's accept as one tasks.events record: the submitted status carries the user's message, and stands for
 * the two records (status, message) the gateway wrote before, in their order.
 */
class AcceptedStatusTest {
    private static final Instant AT = Instant.parse("2026-12-06T13:00:00.123456789Z");
    private static final Task.Submission ALICE = new Task.Submission("alice", "acme", null);

    private static Message user(String text) {
        return new Message("m-1", Role.USER, List.of(Part.Text.of(text)), "ctx", "t-1", null, null, Map.of("k", "v"));
    }

    @Test
    void aNewTasksAcceptIsItsFirstStatusThenTheMessage() {
        Message m = user("fix the bug \u00e9");
        TaskEvent.StatusChanged accept = TaskEvent.StatusChanged.submitted("t-1", "ctx", "gateway", ALICE, m, AT);

        List<TaskEvent> apart = accept.unfolded();

        assertEquals(List.of(
                new TaskEvent.StatusChanged("t-1", "ctx", "gateway", new TaskStatus(TaskState.SUBMITTED, null, AT),
                        Progress.NONE, Map.of(), ALICE, AT),
                new TaskEvent.MessageAdded("t-1", "ctx", "gateway", m, AT)), apart);
        assertNull(((TaskEvent.StatusChanged) apart.get(0)).accepted(), "the status apart carries no message");
        assertFalse(accept.partialUpdate());
    }

    @Test
    void aReplyToATaskThatAskedForInputIsTheMessageThenTheStatus() {
        Message m = user("yes");
        TaskEvent.StatusChanged accept = TaskEvent.StatusChanged.submitted("t-1", "ctx", "gateway", null, m, AT);

        assertEquals(List.of(new TaskEvent.MessageAdded("t-1", "ctx", "gateway", m, AT),
                new TaskEvent.StatusChanged("t-1", "ctx", "gateway", new TaskStatus(TaskState.SUBMITTED, null, AT),
                        Map.of(), AT)), accept.unfolded());
    }

    @Test
    void itReadsBackWithTheMessageAndAStatusWithoutOneKeepsItsBytes() {
        Message m = user("hello");
        TaskEvent.StatusChanged accept = TaskEvent.StatusChanged.submitted("t-1", "ctx", "gateway", ALICE, m, AT);

        byte[] json = ContractJson.write(accept);
        TaskEvent back = new TaskEventDeserializer().deserialize("e", json);

        assertEquals(accept, back);
        assertEquals(m, ((TaskEvent.StatusChanged) back).accepted());
        // the message is in the record once: not as the status's message, only as the accepted one
        String text = new String(json, StandardCharsets.UTF_8);
        assertEquals(text.indexOf("\"hello\""), text.lastIndexOf("\"hello\""), text);
        TaskEvent.StatusChanged plain = (TaskEvent.StatusChanged) accept.unfolded().get(0);
        assertFalse(new String(ContractJson.write(plain), StandardCharsets.UTF_8).contains("accepted"),
                "a status that accepts nothing is written as before");
        assertArrayEquals(ContractJson.write(plain), ContractJson.write(new TaskEvent.StatusChanged("t-1", "ctx",
                "gateway", new TaskStatus(TaskState.SUBMITTED, null, AT), Progress.NONE, Map.of(), ALICE, AT)));
    }

    @Test
    void onlyASubmittedStatusAcceptsAndOnlyAUsersMessage() {
        Message agent = new Message("a-1", Role.AGENT, List.of(Part.Text.of("done")), "ctx", "t-1", null, null, null);
        assertThrows(IllegalArgumentException.class, () -> TaskEvent.StatusChanged.submitted("t-1", "ctx", "gateway",
                ALICE, agent, AT));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TaskEvent.StatusChanged(
                "t-1", "ctx", "w", new TaskStatus(TaskState.WORKING, null, AT), Progress.NONE, Map.of(), null, AT,
                null, user("x")));
        assertTrue(e.getMessage().contains("only a submitted status accepts a message"), e.getMessage());
    }
}
