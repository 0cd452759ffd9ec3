package run.codetether.tools.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.edit.TextEdits;
import run.codetether.tools.domain.workspace.FileStore;

class EditLogicTest {

    @TempDir
    Path tmp;

    @Test
    void replaceUniqueRules() {
        assertEquals("a X c", TextEdits.replaceUnique("a b c", "b", "X", "f"));
        assertEquals(ToolException.Code.AMBIGUOUS_MATCH,
                assertThrows(ToolException.class, () -> TextEdits.replaceUnique("b b", "b", "X", "f")).code());
        assertEquals(ToolException.Code.NOT_FOUND,
                assertThrows(ToolException.class, () -> TextEdits.replaceUnique("abc", "z", "X", "f")).code());
        assertTrue(assertThrows(ToolException.class, () -> TextEdits.replaceUnique("abc", "", "X", "f")).getMessage()
                .contains("must not be empty"));
    }

    @Test
    void atomicWritesKeepTheFileModeAndGiveNewFiles644() throws Exception {
        FileStore store = new FileStore(1 << 20);
        Path script = tmp.resolve("run.sh");
        Files.writeString(script, "old");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        store.writeAtomic(script, "new".getBytes());
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(script)));
        Path fresh = tmp.resolve("new.txt");
        store.writeAtomic(fresh, "x".getBytes());
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fresh)));
        try (var s = Files.list(tmp)) {
            assertEquals(2, s.count(), "no temp file is left behind");
        }
    }

    @Test
    void commitRollsBackWhenALaterWriteFails() throws Exception {
        FileStore store = new FileStore(1 << 20);
        Path a = tmp.resolve("a.txt");
        Files.writeString(a, "old");
        Path blocked = tmp.resolve("dir-not-file");
        Files.createDirectories(blocked.resolve("child"));
        Map<Path, byte[]> changes = new LinkedHashMap<>();
        changes.put(a, "new".getBytes());
        changes.put(blocked, "x".getBytes());
        assertThrows(ToolException.class, () -> store.commit(changes));
        assertEquals("old", Files.readString(a));
        assertTrue(Files.isDirectory(blocked));
    }

    @Test
    void concurrentRepeatsOfOneCallRunItOnce() throws Exception {
        ResultStore store = ResultStore.inMemory(10);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ResultStore.Outcome> first = pool.submit(() -> store.computeOnce("s", "c", () -> {
                runs.incrementAndGet();
                inside.countDown();
                await(release);
                return ToolResult.success("done");
            }));
            inside.await();
            Future<ResultStore.Outcome> second = pool.submit(() -> store.computeOnce("s", "c", () -> {
                runs.incrementAndGet();
                return ToolResult.success("again");
            }));
            release.countDown();
            assertFalse(first.get().replayed());
            assertTrue(second.get().replayed());
            assertEquals("done", second.get().result().output());
        }
        assertEquals(1, runs.get());
        store.dropSession("s");
        assertFalse(store.computeOnce("s", "c", () -> ToolResult.success("fresh")).replayed());
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
