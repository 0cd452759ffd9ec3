package run.codetether.agent.domain.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FairIntakeQueueTest {

    private static List<String> drain(FairIntakeQueue<String> q) {
        List<String> out = new ArrayList<>();
        while (!q.isEmpty()) {
            String peeked = q.peek();
            assertEquals(peeked, q.poll(), "poll takes what peek showed");
            out.add(peeked);
        }
        return out;
    }

    @Test
    void aFloodingTenantTakesTurnsWithTheOthersInsteadOfGoingFirst() {
        FairIntakeQueue<String> q = new FairIntakeQueue<>(100, 1_000_000);
        for (int i = 0; i < 5; i++) {
            q.add("a", "ctx-a" + i, "a" + i, 10);
        }
        q.add("b", "ctx-b", "b0", 10);
        q.add(null, "ctx-x", "x0", 10);
        q.add("a", "ctx-a9", "a5", 10);
        assertEquals(List.of("a0", "b0", "x0", "a1", "a2", "a3", "a4", "a5"), drain(q));
        assertNull(q.peek());
        assertNull(q.poll());
    }

    @Test
    void aConversationsCommandsStayInOrderInTheQueueOfItsFirstCommandEvenWithoutATenant() {
        FairIntakeQueue<String> q = new FairIntakeQueue<>(100, 1_000_000);
        q.add("a", "ctx-1", "a-start", 10);
        q.add("b", "ctx-2", "b-start", 10);
        q.add("a", "ctx-3", "a-other", 10);
        q.add(null, "ctx-1", "a-continue", 10); // a ContinueTask carries no tenant: it follows its context
        assertEquals(List.of("a-start", "b-start", "a-other", "a-continue"), drain(q));
        // once the context has left, a tenant-less command goes to the tenant-less queue again
        q.add("b", "ctx-2", "b-again", 10);
        q.add(null, "ctx-1", "later", 10);
        assertEquals(List.of("b-again", "later"), drain(q));
    }

    @Test
    void theLastFreeSlotGoesOnlyToATenantWithNothingRunningAndTheOthersKeepTheirTurn() {
        FairIntakeQueue<String> q = new FairIntakeQueue<>(100, 1_000_000);
        for (String item : List.of("a0", "a1", "a2", "b0", "b1", "c0")) { // tenant = the item's first letter
            q.add(item.substring(0, 1), "ctx-" + item, item, 10);
        }
        var first = q.next(true);
        assertEquals(new FairIntakeQueue.Next<>("a", "a0"), first, "nobody runs yet: a's turn");
        q.take(first, true);
        // the last free slot: a has a run going, so b (next in turn, nothing running) goes first
        var second = q.next(true);
        assertEquals(new FairIntakeQueue.Next<>("b", "b0"), second);
        q.take(second, true);
        assertEquals(new FairIntakeQueue.Next<>("c", "c0"), q.next(true));
        assertThrows(IllegalStateException.class, () -> q.take(second, true), "b0 was taken already");
        q.take(q.next(true), true);
        assertNull(q.next(true), "a and b have runs going, c has nothing more waiting");
        assertEquals(new FairIntakeQueue.Next<>("a", "a1"), q.next(false), "any other slot: a's turn again");
        q.ended("a");
        assertEquals(new FairIntakeQueue.Next<>("a", "a1"), q.next(true), "a's run ended: a may take it");
        q.ended("b");
        q.take(q.next(true), true);
        assertEquals(new FairIntakeQueue.Next<>("b", "b1"), q.next(true));
        assertEquals(2, q.size());
        assertEquals(List.of("b1", "a2"), drain(q));
    }

    @Test
    void fullAtTheCommandOrByteBoundAndRoomAgainWhenTaken() {
        FairIntakeQueue<String> byCount = new FairIntakeQueue<>(2, 1_000_000);
        byCount.add("a", "c1", "1", 1);
        assertFalse(byCount.full());
        byCount.add("a", "c2", "2", 1);
        assertTrue(byCount.full());
        byCount.poll();
        assertFalse(byCount.full());

        FairIntakeQueue<String> byBytes = new FairIntakeQueue<>(100, 1_000);
        byBytes.add("a", "c1", "big", 1_000);
        assertTrue(byBytes.full(), "one record as large as the bound fills it");
        assertEquals(1, byBytes.size());
        byBytes.poll();
        assertFalse(byBytes.full());
        assertThrows(IllegalArgumentException.class, () -> new FairIntakeQueue<String>(0, 10));
    }

    @Test
    void removeIfDropsCommandsAndTheirTurnsAndCounts() {
        FairIntakeQueue<String> q = new FairIntakeQueue<>(3, 1_000_000);
        q.add("a", "c1", "a-p0", 10);
        q.add("b", "c2", "b-p1", 10);
        q.add("a", "c3", "a-p1", 10);
        assertTrue(q.full());
        q.removeIf(s -> s.endsWith("p1"));
        assertEquals(1, q.size());
        assertFalse(q.full());
        assertEquals(List.of("a-p0"), drain(q));
        q.add(null, "c2", "after", 10); // c2 left with its removal: no stale context key
        q.add("z", "c9", "z", 10);
        assertEquals(List.of("after", "z"), drain(q));
    }
}
