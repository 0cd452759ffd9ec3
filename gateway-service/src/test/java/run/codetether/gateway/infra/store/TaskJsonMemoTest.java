package run.codetether.gateway.infra.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;
import run.codetether.gateway.support.EncodingProbe;

/** Issue 20: a folded task version is encoded once for the store's checkpoint and the tasks.state writer. */
class TaskJsonMemoTest {

    private static Task task(String id, TaskState state, Object probe) {
        return new Task(id, "ctx", new TaskStatus(state, null, Instant.parse("2026-12-05T21:00:00Z")), null, null,
                Map.of("probe", probe), null);
    }

    @Test
    void oneVersionIsEncodedOnceForBothWritersThenNoLongerHeld() {
        TaskJsonMemo memo = new TaskJsonMemo(1 << 20);
        AtomicInteger encodings = new AtomicInteger();
        Task v = task("t1", TaskState.SUBMITTED, new EncodingProbe(encodings));

        byte[] first = memo.json(v);
        byte[] second = memo.json(v);
        assertSame(first, second, "the second writer takes the first one's bytes");
        assertEquals(1, encodings.get());
        assertEquals(0, memo.waitingBytes(), "taken by both: nothing held");

        byte[] third = memo.json(v); // a third encoding (a writer's retry) is fresh
        assertEquals(2, encodings.get());
        assertTrue(new String(third).contains("\"times\":2"), new String(third));
    }

    @Test
    void anEqualTaskOrALaterVersionNeverGetsAnotherInstancesBytes() {
        TaskJsonMemo memo = new TaskJsonMemo(1 << 20);
        AtomicInteger encodings = new AtomicInteger();
        Task v1 = task("t1", TaskState.SUBMITTED, "p");
        Task copy = task("t1", TaskState.SUBMITTED, "p");
        Task v2 = task("t1", TaskState.WORKING, new EncodingProbe(encodings));

        byte[] a = memo.json(v1);
        byte[] b = memo.json(copy);
        assertNotSame(a, b, "an equal task of another replica is encoded for itself");
        assertArrayEquals(a, b);
        byte[] c = memo.json(v2);
        assertTrue(new String(c).contains("WORKING"), new String(c));
        assertEquals(1, encodings.get());
        assertSame(c, memo.json(v2));
        assertArrayEquals(ContractJson.write(v1), memo.json(v1), "the older version: its own bytes");
    }

    @Test
    void whatWaitsIsBoundedAndDroppedWhenFull() {
        long bound = 4096;
        TaskJsonMemo memo = new TaskJsonMemo(bound);
        for (int i = 0; i < 500; i++) {
            memo.json(task("t" + i, TaskState.SUBMITTED, "p")); // only one writer ever takes these
            assertTrue(memo.waitingBytes() <= bound, "held " + memo.waitingBytes() + " > " + bound);
        }
        Task big = task("big", TaskState.SUBMITTED, "x".repeat((int) bound));
        memo.json(big);
        assertTrue(memo.waitingBytes() <= bound);
        AtomicInteger encodings = new AtomicInteger();
        Task probed = task("big2", TaskState.SUBMITTED, Map.of("probe", new EncodingProbe(encodings), "pad", "x".repeat(400)));
        memo.json(probed);
        memo.json(probed);
        assertEquals(2, encodings.get(), "a task over a sixteenth of the bound is not held");
    }
}
