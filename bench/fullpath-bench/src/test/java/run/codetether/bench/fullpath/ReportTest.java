package run.codetether.bench.fullpath;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void theClosedLoopBoundOfTheP50() {
        assertEquals(78.43, Report.closedLoopMs(64, 816), 0.01);
        assertEquals(3200, Report.closedLoopRateFor(64, 20), 1e-9);
    }
}
