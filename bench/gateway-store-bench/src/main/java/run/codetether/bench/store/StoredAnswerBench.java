package run.codetether.bench.store;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.events.ArtifactClose;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.EncodedJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.gateway.domain.TaskFold;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.infra.kafka.KafkaTaskLog;
import run.codetether.gateway.infra.store.MvTaskStore;

/**
 * What a completed task's answer costs where the gateway keeps it (issue 18): bytes per task on {@code tasks.state}
 * and in the local store, and heap per task as folded (what the view's cache holds) and as read back from the store.
 * Two rows per size: "stored" goes through the gateway's own paths ({@code KafkaTaskLog.stateRecord},
 * {@code MvTaskStore.put}/{@code get}: the build's stored shape), "thrice" writes and reads {@code ContractJson} of
 * the folded task as it is (the shape gateways stored before the answer was stored once). No broker: the record's
 * value is measured as the producer gets it. Run on two builds, the "stored" rows compare them.
 *
 * <pre>
 * java -Xmx1g -XX:+UseSerialGC -cp 'target/classes:target/lib/*' run.codetether.bench.store.StoredAnswerBench \
 *     DIR TASKS stored|thrice TOKENS
 * </pre>
 *
 * One measurement per JVM (a fresh heap for each). "tasks.state lz4" is the record's value as Kafka's lz4 codec
 * compresses it alone (the platform's producers use lz4; a batch of one record under low load).
 *
 * Each task is folded from the events the agent writes (working, the user's message, one streamed chunk, the final
 * status finishing the answer); an answer of T tokens is 4T characters of words drawn at random from a vocabulary of
 * 4,000 (so neither JSON nor the store's compression sees the same text twice across tasks).
 */
public final class StoredAnswerBench {
    private static final Instant AT = Instant.parse("2026-12-06T08:00:00Z");

    private StoredAnswerBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4 || !List.of("stored", "thrice").contains(args[2])) {
            System.err.println("usage: DIR TASKS stored|thrice TOKENS");
            System.exit(2);
        }
        measure(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[3]), args[2].equals("stored"));
        System.exit(0);
    }

    static String answer(Random random, int chars) {
        StringBuilder b = new StringBuilder(chars + 16);
        while (b.length() < chars) {
            int w = random.nextInt(4_000);
            b.append(b.length() == 0 ? "" : " ").append((char) ('a' + w % 26)).append((char) ('a' + w / 26 % 26))
                    .append(w);
        }
        return b.substring(0, chars);
    }

    static Task folded(int i, String text) {
        String id = String.format("task-%08d", i);
        Task t = TaskFold.apply(null, new TaskEvent.StatusChanged(id, "c", "w", new TaskStatus(TaskState.WORKING,
                null, AT), Map.of(), AT));
        t = TaskFold.apply(t, new TaskEvent.MessageAdded(id, "c", "w", new Message("m-u-" + id, Role.USER,
                List.of(Part.Text.of("write me something long, " + i)), "c", id, null, null, null), AT));
        int half = text.length() / 2;
        t = TaskFold.apply(t, TaskEvent.ArtifactAdded.textChunk(id, "c", "w", Artifact.answerId(id), Artifact.ANSWER,
                text.substring(0, half), 0, 1));
        Message textless = new Message("m-a-" + id, Role.AGENT, List.of(), "c", id, null, null, null);
        return TaskFold.apply(t, new TaskEvent.StatusChanged(id, "c", "w", new TaskStatus(TaskState.COMPLETED,
                textless, AT.plusMillis(i)), null, null, null, null, new ArtifactClose(Artifact.answerId(id),
                        Artifact.ANSWER, "The agent's answer", text.substring(half), half, true)));
    }

    static void measure(Path dir, int tasks, int tokens, boolean once) throws Exception {
        Random random = new Random(42);
        var heap = ManagementFactory.getMemoryMXBean();
        gc();
        long base = heap.getHeapMemoryUsage().getUsed();
        List<Task> folded = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            folded.add(folded(i, answer(random, tokens * 4)));
        }
        gc();
        long foldedHeap = heap.getHeapMemoryUsage().getUsed() - base; // as the view's cache holds them
        long recordBytes = 0;
        long lz4Bytes = 0;
        Files.createDirectories(dir);
        try (MvTaskStore store = MvTaskStore.open(dir, 16)) {
            store.reset("bench");
            for (int i = 0; i < tasks; i++) {
                Task t = folded.get(i);
                byte[] value = once ? ((EncodedJson) KafkaTaskLog.stateRecord(t, i).value()).json()
                        : ContractJson.write(t);
                recordBytes += value.length;
                lz4Bytes += lz4(value);
                if (once) {
                    store.put(t, i);
                } else {
                    store.putEncoded(TaskStore.Summary.of(t, i), value); // what MvTaskStore stored before
                }
            }
            store.checkpoint(Map.of("events-0", (long) tasks));
        }
        folded.clear();
        long file = Files.size(dir.resolve("tasks.mv.db"));
        List<Task> held = new ArrayList<>(tasks);
        try (MvTaskStore store = MvTaskStore.open(dir, 16)) {
            gc();
            base = heap.getHeapMemoryUsage().getUsed();
            for (int i = 0; i < tasks; i++) {
                String id = String.format("task-%08d", i);
                held.add(once ? store.get(id).orElseThrow().task()
                        // what MvTaskStore.get did before: the JSON decoded as it is, three strings
                        : ContractJson.read(ContractJson.write(store.get(id).orElseThrow().task()), Task.class));
            }
            gc();
            long readHeap = heap.getHeapMemoryUsage().getUsed() - base;
            System.out.printf("%-6s answer %5d tokens (%6d chars), %d tasks: tasks.state value %7.0f B/task (lz4"
                    + " %6.0f), store file %7.0f B/task (%.1f MiB), heap per task folded %7.0f B, read back from the"
                    + " store %7.0f B%n", once ? "stored" : "thrice", tokens, tokens * 4, tasks,
                    recordBytes / (double) tasks, lz4Bytes / (double) tasks, file / (double) tasks, file / 1048576.0,
                    foldedHeap / (double) tasks, readHeap / (double) held.size());
        }
    }

    /** The bytes Kafka's lz4 codec makes of the value alone. */
    static int lz4(byte[] value) throws java.io.IOException {
        org.apache.kafka.common.utils.ByteBufferOutputStream out =
                new org.apache.kafka.common.utils.ByteBufferOutputStream(value.length / 2 + 64);
        try (java.io.OutputStream os = org.apache.kafka.common.compress.Compression.lz4().build().wrapForOutput(out,
                org.apache.kafka.common.record.RecordBatch.CURRENT_MAGIC_VALUE)) {
            os.write(value);
        }
        return out.position();
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
