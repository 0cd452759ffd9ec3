package run.codetether.tools.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.tool.EditSupport;
import run.codetether.tools.domain.tool.ToolRegistry;
import run.codetether.tools.domain.tool.UndoTool;
import run.codetether.tools.domain.tool.WriteFileTool;
import run.codetether.tools.domain.workspace.EditHistory;
import run.codetether.tools.domain.workspace.FileSnapshot;
import run.codetether.tools.domain.workspace.FileStore;

/** Idempotent results and undo history outlive the process: each "restart" builds new objects over the same root. */
class DurableStateTest {

    @TempDir
    Path root;

    Path state() {
        return SessionRegistry.defaultStateRoot(root);
    }

    @Test
    void aResultIsReplayedByTheNextProcessAndTheStoreStaysBounded() {
        AtomicInteger runs = new AtomicInteger();
        var first = new DurableResultStore(state(), 3);
        ToolResult r = new ToolResult(false, "out", "boom", 3, true, Map.of("count", 7, "name", "x"));
        assertFalse(first.computeOnce("s1", "call-1", () -> {
            runs.incrementAndGet();
            return r;
        }).replayed());
        var restarted = new DurableResultStore(state(), 3);
        var again = restarted.computeOnce("s1", "call-1", () -> {
            runs.incrementAndGet();
            return ToolResult.success("second run");
        });
        assertTrue(again.replayed());
        assertEquals(1, runs.get(), "the tool did not run again after the restart");
        assertEquals(r, again.result());

        for (int i = 2; i <= 5; i++) {
            restarted.computeOnce("s1", "call-" + i, () -> ToolResult.success("ok"));
        }
        assertEquals(3, files(state().resolve("s1/results")), "bounded on disk: oldest results deleted");
        var third = new DurableResultStore(state(), 3);
        assertFalse(third.computeOnce("s1", "call-1", () -> ToolResult.success("re-run")).replayed(),
                "an evicted call runs again");
        assertTrue(third.computeOnce("s1", "call-5", () -> ToolResult.success("never")).replayed());
        third.dropSession("s1");
        assertFalse(Files.exists(state().resolve("s1/results")));
        assertFalse(new DurableResultStore(state(), 3).computeOnce("s1", "call-5", () -> ToolResult.success("new"))
                .replayed());
    }

    @Test
    void undoHistorySurvivesARestartBoundedAndSkipsACorruptEntry() throws Exception {
        var reg = new SessionRegistry(root, 3, state());
        EditHistory h = reg.get("s1").history();
        byte[] content = {1, 2, 0, (byte) 0xff};
        for (int i = 0; i < 4; i++) {
            h.push(new EditHistory.Entry("edit", "change " + i, List.of(new FileSnapshot(root.resolve("s1/a.txt"),
                    content), new FileSnapshot(root.resolve("s1/new.txt"), null))));
        }
        EditHistory after = new SessionRegistry(root, 3, state()).get("s1").history();
        assertEquals(3, after.size());
        List<EditHistory.Entry> top = after.peek(3);
        assertEquals(List.of("change 3", "change 2", "change 1"), top.stream().map(EditHistory.Entry::summary).toList());
        assertArrayEquals(content, top.get(0).snapshots().get(0).before());
        assertNull(top.get(0).snapshots().get(1).before());
        assertEquals(root.resolve("s1/a.txt"), top.get(0).snapshots().get(0).path());

        assertEquals("change 3", after.pop(1).get(0).summary());
        Files.writeString(state().resolve("s1/history/" + "0".repeat(17) + "99.undo"), "torn");
        EditHistory third = new SessionRegistry(root, 3, state()).get("s1").history();
        assertEquals(List.of("change 2", "change 1"), third.peek(5).stream().map(EditHistory.Entry::summary).toList());
        third.push(new EditHistory.Entry("write_file", "change 4", List.of()));
        assertEquals("change 4", new SessionRegistry(root, 3, state()).get("s1").history().peek(1).get(0).summary(),
                "new entries sort after the loaded ones");
    }

    @Test
    void afterARestartUndoRevertsAndARepeatedCallIsNotRunAgain() throws Exception {
        ToolExecutor first = executor();
        String args = "{\"path\":\"notes.txt\",\"content\":\"v2\"}";
        Files.createDirectories(root.resolve("s1"));
        Files.writeString(root.resolve("s1/notes.txt"), "v1");
        assertTrue(first.execute("s1", "w1", "write_file", args, 0, OutputSink.DISCARD).result().ok());
        assertEquals("v2", Files.readString(root.resolve("s1/notes.txt")));

        ToolExecutor restarted = executor();
        Files.writeString(root.resolve("s1/notes.txt"), "v2");
        var repeat = restarted.execute("s1", "w1", "write_file", "{\"path\":\"notes.txt\",\"content\":\"v3\"}", 0,
                OutputSink.DISCARD);
        assertTrue(repeat.replayed());
        assertEquals("v2", Files.readString(root.resolve("s1/notes.txt")), "the repeat did not write again");
        var undo = restarted.execute("s1", "u1", "undo", "{}", 0, OutputSink.DISCARD);
        assertTrue(undo.result().ok(), undo.result().error());
        assertEquals("v1", Files.readString(root.resolve("s1/notes.txt")));
        // the state lives beside the workspaces, not in one
        try (Stream<Path> ws = Files.walk(root.resolve("s1"))) {
            assertTrue(ws.noneMatch(p -> p.toString().contains("codetether-state")));
        }
    }

    @Test
    void anUnwritableStateDirDoesNotTurnADoneCallIntoAFailure() throws Exception {
        Path blocked = Files.writeString(root.resolve("not-a-dir"), "x"); // directories cannot be made under a file
        var store = new DurableResultStore(blocked, 10);
        AtomicInteger runs = new AtomicInteger();
        var first = store.computeOnce("s1", "c1", () -> {
            runs.incrementAndGet();
            return ToolResult.success("done");
        });
        assertFalse(first.replayed());
        assertEquals("done", first.result().output());
        assertTrue(store.computeOnce("s1", "c1", () -> ToolResult.success("again")).replayed());
        assertEquals(1, runs.get());
        var history = new EditHistory(5, blocked.resolve("history"));
        history.push(new EditHistory.Entry("edit", "kept in memory", List.of()));
        assertEquals("kept in memory", history.pop(1).get(0).summary());
    }

    ToolExecutor executor() {
        var sessions = new SessionRegistry(root, 10, state());
        var registry = new ToolRegistry();
        var executor = new ToolExecutor(registry, sessions, new DurableResultStore(state(), 10), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        EditSupport edits = new EditSupport(new FileStore(1 << 20));
        registry.register(new WriteFileTool(edits)).register(new UndoTool(edits));
        return executor;
    }

    static long files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
