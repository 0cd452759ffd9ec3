package run.codetether.gateway.infra.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.gateway.domain.TaskIds;

/**
 * What the store's checkpoints write for a stream of new tasks under the ids the gateway gives them: about the
 * tasks' own bytes (they land in the rightmost leaves of the maps keyed by id), not a rewritten leaf page of other
 * tasks per task as random ids cost (the checkpoint was a fifth of the gateway's CPU per task, issue 18).
 */
class OrderedIdsCheckpointTest {
    private static final int TASKS = 12_000;
    private static final int PER_CHECKPOINT = 500; // ~1 s of the full path at c=64

    @TempDir
    Path dir;

    private static Task task(String id, Instant at) {
        return new Task(id, "ctx-" + id, new TaskStatus(TaskState.COMPLETED, null, at), List.of(),
                List.of(new Message("m-" + id, Role.USER, List.of(Part.Text.of("hello, please answer " + id)),
                        "ctx-" + id, id, null, null, null)), Map.of(), new Task.Submission("alice", null, null));
    }

    /** Bytes of the store's file after {@link #TASKS} tasks and a checkpoint every {@link #PER_CHECKPOINT}. */
    private long fileBytes(Path at, Supplier<String> ids) throws Exception {
        Instant t0 = Instant.parse("2026-12-06T00:00:00Z");
        try (MvTaskStore store = MvTaskStore.open(at, 16)) {
            store.reset("topics-1");
            for (int i = 0; i < TASKS; i++) {
                store.put(task(ids.get(), t0.plusMillis(i)), i);
                if (i % PER_CHECKPOINT == PER_CHECKPOINT - 1) {
                    store.checkpoint(Map.of("events-0", (long) i + 1));
                }
            }
            assertEquals(TASKS, store.size());
        }
        return Files.size(at.resolve("tasks.mv.db"));
    }

    @Test
    void checkpointsOfNewTasksWriteTheirOwnBytesNotALeafPagePerTask() throws Exception {
        long ordered = fileBytes(dir.resolve("ordered"), TaskIds.SHARED::next);
        long random = fileBytes(dir.resolve("random"), () -> UUID.randomUUID().toString());

        System.out.printf("store file after %d tasks: ordered ids %d B/task, random ids %d B/task%n", TASKS,
                ordered / TASKS, random / TASKS);
        assertTrue(ordered * 3 < random, "the gateway's ids cost a third or less of random ids' writes: "
                + ordered / TASKS + " B/task against " + random / TASKS + " B/task");
    }
}
