package run.codetether.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;

/**
 * New tasks' ids sort in the order they were made (the task store's B-trees then append instead of rewriting a
 * random leaf per task) and are still UUIDs with random bits: version 7, the creation time first.
 */
class TaskIdsTest {
    private static void assertAscending(List<String> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0,
                    "id " + i + " sorts after the one before: " + ids.get(i - 1) + " then " + ids.get(i));
        }
    }

    @Test
    void tasksStartedOneAfterTheOtherGetIdsInThatOrder() {
        TaskEngine engine = new TaskEngine(new RecordingTaskLog(0), new TaskView(), "test");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Message m = new Message("m" + i, Role.USER, List.of(Part.Text.of("hi")), null, null, null, null, null);
            ids.add(engine.send(new SendRequest(m, null, null, false, List.of(), null, Map.of()), new Caller("alice"),
                    null).join().task().id());
        }

        assertAscending(ids);
        assertEquals(7, UUID.fromString(ids.get(0)).version());
    }

    @Test
    void idsAreVersion7UuidsWithTheirTimeFirstAndRandomBitsLast() {
        long at = 1_796_000_000_123L;
        TaskIds ids = new TaskIds(() -> at);
        UUID a = UUID.fromString(ids.next());
        UUID b = UUID.fromString(ids.next());

        assertEquals(7, a.version());
        assertEquals(2, a.variant());
        assertEquals(at, a.getMostSignificantBits() >>> 16, "the first 48 bits are the creation time in ms");
        assertEquals(1, (b.getMostSignificantBits() & 0xFFF) - (a.getMostSignificantBits() & 0xFFF),
                "within one millisecond a counter orders them");
        assertTrue(a.getLeastSignificantBits() != b.getLeastSignificantBits(), "the last 62 bits are random");
    }

    @Test
    void orderHoldsPastTheCounterWithinAMillisecondAndWhenTheClockStepsBack() {
        AtomicLong clock = new AtomicLong(1_796_000_000_000L);
        TaskIds ids = new TaskIds(clock::get);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) { // more than the 4,096 a millisecond's counter holds
            made.add(ids.next());
        }
        clock.addAndGet(-5_000); // an NTP step back
        for (int i = 0; i < 100; i++) {
            made.add(ids.next());
        }
        clock.addAndGet(60_000);
        made.add(ids.next());

        assertAscending(made);
        assertEquals(made.size(), new HashSet<>(made).size());
        assertEquals(clock.get(), UUID.fromString(made.getLast()).getMostSignificantBits() >>> 16,
                "once the clock is ahead again the ids carry its time");
    }

    @Test
    void idsMadeOnManyThreadsAreDistinctAndEachThreadsComeInOrder() throws Exception {
        List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());
        List<List<String>> perThread = java.util.Collections.synchronizedList(new ArrayList<>());
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < 5_000; i++) {
                        mine.add(TaskIds.SHARED.next());
                    }
                    all.addAll(mine);
                    perThread.add(mine);
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        assertEquals(20_000, new HashSet<>(all).size());
        assertEquals(4, perThread.size());
        perThread.forEach(TaskIdsTest::assertAscending);
    }
}
