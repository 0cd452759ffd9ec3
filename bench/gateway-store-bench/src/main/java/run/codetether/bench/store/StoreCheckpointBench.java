package run.codetether.bench.store;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import run.codetether.contracts.a2a.Task;
import run.codetether.gateway.infra.store.MvTaskStore;

/**
 * What the store's checkpoint costs per task written (issue 18): a store of STORED tasks gets PER new tasks per
 * checkpoint, ROUNDS times after a warm-up of as many, on one thread; prints that thread's CPU per task and the
 * bytes the process wrote (its {@code wchar}: the file's chunks) per task. New ids land all over the id-keyed
 * B-trees, so each rewrites a whole page: the bytes per task grow with the store, not with the task.
 */
final class StoreCheckpointBench {
    private StoreCheckpointBench() {}

    static void run(int stored, int per, int rounds, int bytes) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("store-checkpoint-bench");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (MvTaskStore store = MvTaskStore.open(dir, 16)) {
            store.reset("bench");
            long offset = 0;
            for (int i = 0; i < stored; i++) {
                store.put(task(i, bytes, t0), offset++);
                if (i % 2_000 == 1_999) {
                    store.checkpoint(Map.of("events-0", offset));
                }
            }
            store.checkpoint(Map.of("events-0", offset));
            int next = stored;
            for (int pass = 0; pass < 2; pass++) { // a warm-up pass, then the measured one
                long cpu = threads.getCurrentThreadCpuTime();
                long written = writtenBytes();
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < per; i++) {
                        store.put(task(next++, bytes, t0), offset++);
                    }
                    store.checkpoint(Map.of("events-0", offset));
                }
                int n = rounds * per;
                if (pass == 1) {
                    System.out.printf("CHECKPOINT stored=%d per=%d tasks=%d json=%d: put+checkpoint %.1f us CPU"
                            + " per task, %.0f bytes written per task, file %d MiB%n", stored, per, n,
                            run.codetether.contracts.events.ContractJson.write(task(1, bytes, t0)).length,
                            (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / n,
                            (double) (writtenBytes() - written) / n, Files.size(dir.resolve("tasks.mv.db")) >> 20);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A bench task under a random id, as the gateway's ids are (UUIDs). */
    private static Task task(int i, int bytes, Instant t0) {
        Task t = GatewayStoreBench.task(i, bytes, t0);
        return new Task(java.util.UUID.randomUUID().toString(), t.contextId(), t.status(), t.artifacts(),
                t.history(), t.metadata(), t.submission());
    }

    /** Bytes this process has written by system call (Linux {@code /proc/self/io} wchar). */
    private static long writtenBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IllegalStateException("no wchar in /proc/self/io: this step needs Linux");
    }
}
