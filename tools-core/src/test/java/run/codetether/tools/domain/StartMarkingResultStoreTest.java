package run.codetether.tools.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mutating call cut off by a process death is never run a second time; reads and finished calls are unchanged. */
class StartMarkingResultStoreTest {
    @TempDir
    Path dir;

    private ResultStore store() {
        // a fresh process: nothing in memory, only what is on disk
        return new StartMarkingResultStore(new DurableResultStore(dir.resolve("results"), 100), dir.resolve("started"));
    }

    @Test
    void aCallThatDiedMidRunIsAnsweredWithAFailureNotRunAgain() {
        AtomicInteger runs = new AtomicInteger();
        assertThrows(IllegalStateException.class, () -> store().computeOnce("s", "c1", true, () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("the process dies here");
        }));
        ResultStore.Outcome again = store().computeOnce("s", "c1", true, () -> {
            runs.incrementAndGet();
            return ToolResult.success("ran", java.util.Map.of());
        });
        assertEquals(1, runs.get());
        assertFalse(again.result().ok());
        assertTrue(again.result().error().contains("not run again"), again.result().error());
        assertTrue(again.result().interrupted(), "told apart from a failure of the tool: " + again.result());
        assertTrue(again.result().error().startsWith("INTERRUPTED: this call started before the worker restarted"),
                again.result().error());
    }

    @Test
    void aFinishedCallReplaysAndReadsAreNeverMarked() {
        AtomicInteger runs = new AtomicInteger();
        store().computeOnce("s", "c2", true, () -> {
            runs.incrementAndGet();
            return ToolResult.success("done", java.util.Map.of());
        });
        ResultStore.Outcome replay = store().computeOnce("s", "c2", true, () -> {
            runs.incrementAndGet();
            return ToolResult.success("twice", java.util.Map.of());
        });
        assertTrue(replay.replayed());
        assertEquals("done", replay.result().output());
        assertThrows(IllegalStateException.class, () -> store().computeOnce("s", "r1", false, () -> {
            throw new IllegalStateException("dies");
        }));
        assertTrue(store().computeOnce("s", "r1", false, () -> ToolResult.success("read", java.util.Map.of()))
                .result().ok(), "a read cut off runs again");
        assertEquals(1, runs.get());
    }

    @Test
    void aMarkerLivesOnlyWhileItsCallRunsAndTheStoredResultAnswersRepeatsAfterARestart() {
        Path sessionMarkers = dir.resolve("started").resolve("s");
        java.util.List<String> seenWhileRunning = new java.util.ArrayList<>();
        store().computeOnce("s", "c3", true, () -> {
            seenWhileRunning.addAll(markers(sessionMarkers));
            return ToolResult.success("done", java.util.Map.of());
        });
        assertEquals(1, seenWhileRunning.size(), "marked while it ran: " + seenWhileRunning);
        assertEquals(java.util.List.of(), markers(sessionMarkers), "dropped once the result is stored");
        store().computeOnce("s", "c4", true, () -> ToolResult.failure(
                new ToolException(ToolException.Code.NOT_FOUND, "a failure of the tool is a stored result too")));
        assertEquals(java.util.List.of(), markers(sessionMarkers));

        AtomicInteger runs = new AtomicInteger();
        ResultStore.Outcome replay = store().computeOnce("s", "c3", true, () -> {
            runs.incrementAndGet();
            return ToolResult.success("twice", java.util.Map.of());
        });
        assertTrue(replay.replayed() && !replay.result().interrupted(), "a new process replays: " + replay);
        assertEquals("done", replay.result().output());
        assertEquals(0, runs.get(), "never run twice");
        assertEquals(java.util.List.of(), markers(sessionMarkers), "a replay leaves no marker either");
    }

    private static java.util.List<String> markers(Path sessionDir) {
        if (!java.nio.file.Files.isDirectory(sessionDir)) {
            return java.util.List.of();
        }
        try (var files = java.nio.file.Files.list(sessionDir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".started")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
