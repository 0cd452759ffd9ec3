package run.codetether.bench.fullpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitCpuTest {
    @TempDir
    Path proc;

    /** One thread of a fake /proc: its comm and a stat line whose utime and stime are the given ticks. */
    private void thread(long pid, long tid, String comm, long utime, long stime) throws IOException {
        Path t = proc.resolve(pid + "/task/" + tid);
        Files.createDirectories(t);
        Files.writeString(t.resolve("comm"), comm + "\n");
        // fields 3..13 then utime (14), stime (15), the rest; the name holds a space and a ')' as a real one may
        Files.writeString(t.resolve("stat"), tid + " (" + comm + ") S 1 1 1 0 -1 4194304 10 0 0 0 " + utime + " "
                + stime + " 0 0 20 0 30 0 100 0 0\n");
    }

    private void gone(long pid, long tid) throws IOException {
        Path t = proc.resolve(pid + "/task/" + tid);
        Files.delete(t.resolve("comm"));
        Files.delete(t.resolve("stat"));
        Files.delete(t);
    }

    @Test
    void sumsOnlyTheCompilerThreadsAliveAtTheEndAndCountsTheOnesThatEnded() throws IOException {
        thread(42, 42, "java", 5000, 100);
        thread(42, 43, "C2 CompilerThre", 300, 20);
        thread(42, 44, "C1 CompilerThre", 80, 5);
        thread(42, 45, "C2 CompilerThre", 40, 0);
        thread(42, 46, "VM Thread", 70, 1);
        thread(42, 47, "a (C2 Compiler) x", 999, 0); // not a compiler: the name only starts like one in its middle
        JitCpu jit = new JitCpu(proc);
        Map<String, Long> pids = Map.of("kafka", 42L);
        JitCpu.Snapshot before = jit.snapshot(pids);

        thread(42, 42, "java", 9000, 300); // the process's other threads do not count
        thread(42, 43, "C2 CompilerThre", 350, 30); // +60 ticks
        thread(42, 44, "C1 CompilerThre", 80, 5); // idle
        gone(42, 45); // ended in the window: its CPU is lost
        thread(42, 48, "C2 CompilerThre", 25, 5); // started in the window: all of its 30 ticks are in it
        thread(42, 47, "a (C2 Compiler) x", 2000, 0);

        JitCpu.Jit k = jit.snapshot(pids).since(before).get("kafka");
        assertEquals(900.0, k.ms(), 1e-9); // (60 + 30) ticks of 10 ms
        assertEquals(1, k.ended());
        assertEquals(4, k.threads());
        assertTrue(k.named());
    }

    @Test
    void aProcessWithoutCompilerThreadsHasNoFigure() throws IOException {
        thread(7, 7, "node", 100, 10);
        thread(7, 8, "V8 Worker", 50, 0);
        thread(42, 43, "C1 CompilerThre", 10, 0);
        JitCpu jit = new JitCpu(proc);
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("node", 7L);
        pids.put("model", 42L);
        JitCpu.Snapshot before = jit.snapshot(pids);
        thread(7, 8, "V8 Worker", 500, 0);
        Map<String, JitCpu.Jit> since = jit.snapshot(pids).since(before);
        assertFalse(since.get("node").named());
        assertEquals(0.0, since.get("node").ms());
        assertTrue(since.get("model").named());
        assertEquals(0.0, since.get("model").ms());
        assertEquals(java.util.List.of("node", "model"), java.util.List.copyOf(since.keySet()));
    }

    @Test
    void aProcessThatIsGoneFailsWithItsPid() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new JitCpu(proc).compilerThreads(4711));
        assertTrue(e.getMessage().contains("process 4711"), e.getMessage());
    }

    @Test
    void statFieldsAreCountedAfterTheLastParenthesisOfTheName() {
        assertEquals(1230.0, JitCpu.cpuMillis("9 (a) b) c) R 1 1 1 0 -1 0 0 0 0 0 100 23 0 0 20 0 1 0 5 0 0"),
                1e-9);
    }
}
