package run.codetether.gateway.infra.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.EncodedJson;
import run.codetether.gateway.domain.StoredTask;
import run.codetether.gateway.domain.StoredTaskTest;
import run.codetether.gateway.domain.TaskCache;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.TaskView;
import run.codetether.gateway.infra.kafka.KafkaTaskLog;

/**
 * Issue 18: the bytes a completed task leaves on {@code tasks.state} and in the gateway's store hold its answer's
 * text once, and every read of them (the store, a view that holds nothing in memory) is the task as folded; a store
 * written before (the text three times) reads the same.
 */
class StoredAnswerBytesTest {
    @TempDir
    Path dir;

    private final String text = StoredTaskTest.answer(1_000);
    private final Task folded = StoredTaskTest.completed("t-bytes", text);

    @Test
    void theStateRecordHoldsTheAnswerOnce() {
        EncodedJson value = (EncodedJson) KafkaTaskLog.stateRecord(folded, 5).value();
        assertEquals(1, StoredTaskTest.occurrences(value.json(), text));
        assertEquals(folded, StoredTask.decode(value.json()));
    }

    @Test
    void theStoreHoldsTheAnswerOnceAndReadsTheTaskAsFolded() {
        try (MvTaskStore store = MvTaskStore.open(dir, 1)) {
            store.reset("topics");
            store.put(folded, 5);
            store.checkpoint(Map.of("events-0", 6L));
        }
        MVStore raw = new MVStore.Builder().fileName(dir.resolve("tasks.mv.db").toString()).readOnly().open();
        try {
            MVMap<String, byte[]> tasks = raw.openMap("tasks");
            byte[] value = tasks.get("t-bytes");
            assertEquals(1, StoredTaskTest.occurrences(Arrays.copyOfRange(value, 8, value.length), text));
        } finally {
            raw.close();
        }
        try (MvTaskStore store = MvTaskStore.open(dir, 1)) {
            assertEquals(folded, store.get("t-bytes").orElseThrow().task());
            // a view that keeps nothing in memory reads every task from the store (GetTask, ListTasks, history)
            TaskView view = new TaskView(store, new TaskCache(0, 0), e -> { }, (a, b) -> { });
            assertArrayEquals(ContractJson.write(folded), ContractJson.write(view.get("t-bytes").orElseThrow()));
        }
    }

    @Test
    void aStoreWrittenWithTheThreeCopiesReadsAsBefore() {
        try (MvTaskStore store = MvTaskStore.open(dir, 1)) {
            store.reset("topics");
            store.putEncoded(TaskStore.Summary.of(folded, 5), ContractJson.write(folded)); // as gateways stored it
            store.checkpoint(Map.of("events-0", 6L));
        }
        try (MvTaskStore store = MvTaskStore.open(dir, 1)) {
            assertArrayEquals(ContractJson.write(folded), ContractJson.write(store.get("t-bytes").orElseThrow()
                    .task()));
        }
    }
}
