package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's answer path: in one poll of task events the gateway folds the events of tasks a client waits on first
 * (a blocking send, a stream), each task's events in their order, so another tenant's flood of events in the same
 * poll does not stand before a waiting client's answer.
 */
class TaskViewListenedFirstTest {
    private final TaskView view = new TaskView();

    /** An event of a poll: its task (the record key) and a label. */
    record Item(String taskId, String label) {}

    @Test
    void theEventsOfListenedTasksGoFirstEachTaskInOrder() {
        view.subscribe("b", (event, after, offset) -> { });
        view.subscribe("d", (event, after, offset) -> { });
        List<Item> poll = List.of(new Item("a", "a1"), new Item("b", "b1"), new Item("a", "a2"),
                new Item("c", "c1"), new Item("d", "d1"), new Item("b", "b2"), new Item(null, "keyless"),
                new Item("a", "a3"));
        assertEquals(List.of("b1", "d1", "b2", "a1", "a2", "c1", "keyless", "a3"),
                view.listenedFirst(poll, Item::taskId).stream().map(Item::label).toList());
    }

    @Test
    void withNobodyListeningThePollKeepsItsOrder() {
        TaskListener gone = (event, after, offset) -> { };
        view.subscribe("b", gone);
        view.unsubscribe("b", gone);
        List<Item> poll = List.of(new Item("a", "a1"), new Item("b", "b1"), new Item("a", "a2"));
        assertEquals(List.of("a1", "b1", "a2"),
                view.listenedFirst(poll, Item::taskId).stream().map(Item::label).toList());
    }
}
