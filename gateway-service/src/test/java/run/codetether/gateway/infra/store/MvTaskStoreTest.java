package run.codetether.gateway.infra.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ContractJson;
import run.codetether.gateway.domain.InMemoryTaskStore;
import run.codetether.gateway.domain.TaskStore;

/**
 * The on-disk task store: what it stores survives a reopen with its checkpoint, it walks the tasks newest first in
 * the same order as the in-memory store (ListTasks pages the same on both), and a second process cannot open it.
 */
class MvTaskStoreTest {
    @TempDir
    Path dir;

    private static Task task(String id, TaskState state, Instant at, String tenant) {
        return new Task(id, "ctx-" + id, new TaskStatus(state, null, at), List.of(), List.of(new Message("m-" + id,
                Role.USER, List.of(Part.Text.of("hello " + id)), "ctx-" + id, id, null, null, null)), Map.of(),
                new Task.Submission("alice", tenant, null));
    }

    private static List<String> ids(Iterator<TaskStore.Summary> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(s -> out.add(s.id()));
        return out;
    }

    @Test
    void tasksAndTheCheckpointSurviveAReopen() {
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        try (MvTaskStore store = MvTaskStore.open(dir, 1)) {
            store.reset("topics-1");
            store.put(task("a", TaskState.COMPLETED, t0, "t1"), 7);
            store.put(task("b", TaskState.WORKING, t0.plusSeconds(1), null), 8);
            store.put(task("b", TaskState.WORKING, t0.plusSeconds(2), null), 9); // replaces, index moves
            store.putEncoded(TaskStore.Summary.of(task("c", TaskState.FAILED, t0.plusSeconds(3), null), 3),
                    ContractJson.write(task("c", TaskState.FAILED, t0.plusSeconds(3), null)));
            store.checkpoint(Map.of("events-0", 10L));
        }
        try (MvTaskStore store = MvTaskStore.open(dir, 1)) {
            assertEquals("topics-1", store.origin().orElseThrow());
            assertEquals(Map.of("events-0", 10L), store.checkpoint());
            assertEquals(3, store.size());
            assertEquals(9, store.get("b").orElseThrow().offset());
            assertEquals("hello a", ((Part.Text) store.get("a").orElseThrow().task().history().get(0).parts().get(0))
                    .text());
            assertEquals("t1", store.summary("a").orElseThrow().tenant());
            assertEquals(List.of("c", "b", "a"), ids(store.newestFirst(null, null)));
            assertEquals(List.of("b"), store.resident().stream().map(TaskStore.Summary::id).toList());
            assertEquals(Map.of(new TaskStore.Scope("alice", "t1"), 1L, new TaskStore.Scope("alice", null), 2L),
                    store.countsByScope());
            store.remove("c");
            assertEquals(List.of("b", "a"), ids(store.newestFirst(null, null)));
            assertEquals(Map.of(new TaskStore.Scope("alice", "t1"), 1L, new TaskStore.Scope("alice", null), 1L),
                    store.countsByScope());
            store.reset("topics-2");
            assertEquals(0, store.size());
            assertTrue(store.checkpoint().isEmpty());
            assertFalse(store.newestFirst(null, null).hasNext());
        }
    }

    @Test
    void newestFirstOrderAndCursorsMatchTheInMemoryStore() {
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        List<Task> tasks = new ArrayList<>();
        String[] ids = {"a", "ab", "abc", "b", "Z", "a-1", "\u00e9t\u00e9", "0"};
        for (int i = 0; i < ids.length; i++) {
            // pairs share a timestamp: ties are ordered by id, descending
            tasks.add(task(ids[i], TaskState.COMPLETED, t0.plusNanos(i / 2), null));
        }
        try (MvTaskStore disk = MvTaskStore.open(dir, 1)) {
            InMemoryTaskStore heap = new InMemoryTaskStore();
            for (Task t : tasks) {
                disk.put(t, 1);
                heap.put(t, 1);
            }
            List<String> order = ids(heap.newestFirst(null, null));
            assertEquals(order, ids(disk.newestFirst(null, null)));
            for (Task t : tasks) {
                assertEquals(ids(heap.newestFirst(t.status().timestamp(), t.id())),
                        ids(disk.newestFirst(t.status().timestamp(), t.id())), "after " + t.id());
            }
        }
    }

    /**
     * Puts wait in memory until a checkpoint or a read that walks the maps (issue 20): every read sees the newest
     * version meanwhile, a task's many versions go in as one, and a checkpoint makes them durable with it.
     */
    @Test
    void pendingPutsAreReadAsStoredAndGoInWithTheCheckpoint() {
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        try (MvTaskStore store = MvTaskStore.open(dir, 1)) {
            store.reset("topics-1");
            store.put(task("a", TaskState.SUBMITTED, t0, "t1"), 1);
            store.put(task("a", TaskState.WORKING, t0.plusSeconds(1), "t1"), 2);
            assertEquals(2, store.get("a").orElseThrow().offset(), "the newest version, before any flush");
            assertEquals(TaskState.WORKING, store.summary("a").orElseThrow().state());
            store.put(task("b", TaskState.COMPLETED, t0.plusSeconds(2), null), 3);
            assertEquals(List.of("b", "a"), ids(store.newestFirst(null, null)), "a listing sees pending tasks");
            store.put(task("a", TaskState.COMPLETED, t0.plusSeconds(3), "t1"), 4); // after that flush
            assertEquals(List.of("a", "b"), ids(store.newestFirst(null, null)));
            assertEquals(Map.of(new TaskStore.Scope("alice", "t1"), 1L, new TaskStore.Scope("alice", null), 1L),
                    store.countsByScope(), "each task counted once, at its newest version");
            assertTrue(store.resident().isEmpty(), "a left memory when it completed");
            store.put(task("c", TaskState.WORKING, t0.plusSeconds(4), null), 5);
            store.remove("c");
            assertFalse(store.get("c").isPresent(), "a removed pending task is gone");
            store.put(task("d", TaskState.WORKING, t0.plusSeconds(5), null), 6);
            store.checkpoint(Map.of("events-0", 7L));
        }
        try (MvTaskStore store = MvTaskStore.open(dir, 1)) {
            assertEquals(Map.of("events-0", 7L), store.checkpoint());
            assertEquals(3, store.size());
            assertEquals(4, store.get("a").orElseThrow().offset());
            assertEquals(List.of("d"), store.resident().stream().map(TaskStore.Summary::id).toList());
            assertFalse(store.get("c").isPresent());
        }
    }

    @Test
    void aBurstOfLargeTasksIsHeldBackByItsBytesNotOnlyByItsCount() {
        Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
        String large = "x".repeat(900 * 1024); // issue 19's flood: SendMessage bodies of 900 KB
        try (MvTaskStore store = MvTaskStore.open(dir, 1)) {
            store.reset("topics-1");
            long most = 0;
            for (int i = 0; i < 40; i++) {
                String id = "big-" + i;
                store.put(new Task(id, "ctx-" + id, new TaskStatus(TaskState.SUBMITTED, null, t0.plusSeconds(i)),
                        List.of(), List.of(new Message("m-" + id, Role.USER, List.of(Part.Text.of(large)), "ctx-" + id,
                        id, null, null, null)), Map.of(), new Task.Submission("alice", null, null)), i);
                most = Math.max(most, store.pendingBytes());
            }
            // 40 x 900 KB = 35 MiB put well inside a checkpoint interval: never more than the bound waits in memory
            assertTrue(most > 0 && most < MvTaskStore.FLUSH_PENDING_BYTES, "most pending " + most);
            assertTrue(store.pendingBytes() < MvTaskStore.FLUSH_PENDING_BYTES);
            for (int i = 0; i < 40; i++) {
                assertEquals(i, store.get("big-" + i).orElseThrow().offset(), "big-" + i + " readable");
            }
            store.remove("big-39");
            store.checkpoint(Map.of("events-0", 40L));
            assertEquals(0, store.pendingBytes(), "nothing pending after a checkpoint");
            assertEquals(39, store.size());
        }
    }

    @Test
    void aStoreInUseCannotBeOpenedTwice() {
        try (MvTaskStore first = MvTaskStore.open(dir, 1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> MvTaskStore.open(dir, 1));
            assertTrue(e.getMessage().contains("codetether.gateway.store.dir"), e.getMessage());
        }
    }
}
