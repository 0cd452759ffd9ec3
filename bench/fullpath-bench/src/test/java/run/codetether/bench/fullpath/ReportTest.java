package run.codetether.bench.fullpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static Row row(String server, Map<String, JitCpu.Jit> jit) {
        Wrk.Result r = new Wrk.Result(10_000, 10_000, 0, 15_000_000, 75_000, 150_000, 78_000, 300_000, 0, "");
        return new Row("SendMessage c=64", 64, new Server(server, "http://127.0.0.1:1/", "", Map.of()), r,
                Map.of(), jit, 0, 0, 1, 1);
    }

    @Test
    void theJitLineGivesEachProcessPerTaskAndNodeNotApplicable() {
        Map<String, JitCpu.Jit> jit = new LinkedHashMap<>();
        jit.put("kafka", new JitCpu.Jit(4100, 2, 0));
        jit.put("agent", new JitCpu.Jit(100, 1, 1));
        jit.put("model", new JitCpu.Jit(500, 2, 0));
        assertEquals("of which JIT: kafka 0.410 agent 0.010   (not counted: the"
                + " bench JVM's 0.050); 1 compiler thread(s) ended in the row, their CPU not in it",
                Report.jitLine(row("gateway", jit)).strip());
        Map<String, JitCpu.Jit> node = new LinkedHashMap<>();
        node.put("node", new JitCpu.Jit(0, 0, 0));
        node.put("model", new JitCpu.Jit(0, 2, 0));
        assertEquals("of which JIT: node n/a   (not counted: the bench JVM's 0.000)",
                Report.jitLine(row("js-sdk", node)).strip());
    }

    @Test
    void theMemoryLineGivesEachProcessNowAndItsPeakInMib() {
        Map<String, ResidentMemory.Resident> memory = new LinkedHashMap<>();
        memory.put("gateway", new ResidentMemory.Resident(300 * 1024, 412 * 1024 + 600));
        memory.put("node", new ResidentMemory.Resident(90 * 1024, 90 * 1024));
        assertEquals("Resident memory after the rows, MiB (the peak since its start): gateway 300 (413) node 90 (90)",
                Report.memoryLine(memory));
    }

    @Test
    void theP50IsJudgedAtC8AndAtC64WithTheClosedLoopBound() {
        // Wrk.Result(requests, completed, failed, duration us, p50 us, p99 us, ...): 1,336/s over 15 s, p50 44 ms
        Row c64 = new Row("SendMessage c=64", 64, new Server("gateway", "http://127.0.0.1:1/", "", Map.of()),
                new Wrk.Result(20_040, 20_040, 0, 15_000_000, 44_000, 60_000, 45_000, 90_000, 0, ""),
                Map.of("agent", 20_040 * 0.6), Map.of(), 0, 0, 1, 1);
        Row c8 = new Row("SendMessage c=8", 8, new Server("gateway", "http://127.0.0.1:1/", "", Map.of()),
                new Wrk.Result(9_000, 9_000, 0, 15_000_000, 12_500, 20_000, 13_000, 30_000, 0, ""),
                Map.of(), Map.of(), 0, 0, 1, 1);
        Row js = row("js-sdk", Map.of());
        Map<String, Report.Goal> goals = new LinkedHashMap<>();
        Report.goals(java.util.List.of(new Report.Pair(c8, js), new Report.Pair(c64, js)))
                .forEach(g -> goals.put(g.key(), g));

        assertEquals(java.util.List.of("p50_ms_c8", "tasks_per_s_c64", "p50_ms_c64", "cpu_ms_per_task_c64"),
                java.util.List.copyOf(goals.keySet()));
        assertEquals(12.5, goals.get("p50_ms_c8").value(), 1e-9);
        assertTrue(goals.get("p50_ms_c8").met());
        assertTrue(goals.get("tasks_per_s_c64").met());
        assertFalse(goals.get("p50_ms_c64").met());
        assertEquals("closed loop: 64 / 1336 tasks/s = 47.9 ms mean; 20 ms needs >= 3,200 tasks/s",
                goals.get("p50_ms_c64").note());
        assertEquals(0.6, goals.get("cpu_ms_per_task_c64").value(), 1e-9);
    }

    @Test
    void theClosedLoopBoundOfTheP50() {
        assertEquals(78.43, Report.closedLoopMs(64, 816), 0.01);
        assertEquals(3200, Report.closedLoopRateFor(64, 20), 1e-9);
    }
}
