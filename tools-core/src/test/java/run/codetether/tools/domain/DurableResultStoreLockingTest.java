package run.codetether.tools.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.workspace.Durable;

/**
 * Result writes (temp file, fsync, rename) are serialized per session: a slow fsync in one session does not hold up
 * another session's calls, and one session's writes never overlap (its bounded on-disk order stays consistent).
 */
class DurableResultStoreLockingTest {
    @TempDir
    Path root;
    final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    final CountDownLatch diskFree = new CountDownLatch(1);
    final CountDownLatch slowWriteStarted = new CountDownLatch(1);
    final ConcurrentHashMap<Path, AtomicInteger> writing = new ConcurrentHashMap<>();
    final AtomicInteger overlaps = new AtomicInteger();

    /** The real atomic write, held back for session "slow" until {@link #diskFree} opens. */
    final DurableResultStore.AtomicWriter writer = (dir, name, content) -> {
        AtomicInteger inDir = writing.computeIfAbsent(dir, d -> new AtomicInteger());
        if (inDir.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        try {
            if (dir.getParent().getFileName().toString().equals("slow")) {
                slowWriteStarted.countDown();
                diskFree.await(30, TimeUnit.SECONDS);
            }
            Durable.writeAtomic(dir, name, content);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inDir.decrementAndGet();
        }
    };

    @AfterEach
    void stop() {
        diskFree.countDown();
        threads.shutdownNow();
    }

    @Test
    void aSlowWriteOfOneSessionDoesNotBlockAnother() throws Exception {
        DurableResultStore store = new DurableResultStore(root, 10, writer);
        CompletableFuture<ResultStore.Outcome> slow = CompletableFuture.supplyAsync(() -> store.computeOnce("slow",
                "call-1", () -> ToolResult.success("slow result")), threads);
        assertTrue(slowWriteStarted.await(10, TimeUnit.SECONDS));

        var other = CompletableFuture.supplyAsync(() -> store.computeOnce("fast", "call-1",
                () -> ToolResult.success("fast result")), threads).get(5, TimeUnit.SECONDS);
        assertEquals("fast result", other.result().output(), "the other session's call finished meanwhile");
        assertFalse(slow.isDone());
        store.dropSession("fast");

        diskFree.countDown();
        assertEquals("slow result", slow.get(10, TimeUnit.SECONDS).result().output());
        assertTrue(new DurableResultStore(root, 10).computeOnce("slow", "call-1",
                () -> ToolResult.success("ran again")).replayed(), "and it was persisted");
    }

    @Test
    void writesOfOneSessionNeverOverlap() throws Exception {
        diskFree.countDown();
        DurableResultStore store = new DurableResultStore(root, 5, writer);
        var calls = new java.util.ArrayList<CompletableFuture<?>>();
        for (int i = 0; i < 40; i++) {
            String id = "call-" + i;
            calls.add(CompletableFuture.runAsync(() -> store.computeOnce("s1", id, () -> ToolResult.success(id)),
                    threads));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(0, overlaps.get(), "one session's writes are serialized");
        try (var files = java.nio.file.Files.list(root.resolve("s1/results"))) {
            assertEquals(5, files.filter(p -> p.toString().endsWith(".json")).count(), "bounded on disk");
        }
    }
}
