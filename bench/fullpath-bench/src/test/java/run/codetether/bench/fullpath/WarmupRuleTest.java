package run.codetether.bench.fullpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmupRuleTest {
    private final WarmupRule rule = WarmupRule.DEFAULT;

    /** A 5 s window ending at {@code at}: kafka used 2,500 ms of CPU, {@code kafkaJitShare} of it in its JIT. */
    private static WarmupRule.Window window(double at, double kafkaJitShare) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Double> jit = new LinkedHashMap<>();
        cpu.put("kafka", 2500.0);
        jit.put("kafka", 2500.0 * kafkaJitShare);
        cpu.put("agent", 2000.0);
        jit.put("agent", 20.0); // 1 %
        cpu.put("router", 20.0);
        jit.put("router", 10.0); // half of nearly nothing: 2 ms/s, under the floor
        cpu.put("model", 1000.0);
        jit.put("model", 30.0);
        return new WarmupRule.Window(at, 5, cpu, jit);
    }

    /** Feeds the windows until the rule stops; returns when and how. */
    private WarmupRule.Decision run(double... kafkaShares) {
        List<WarmupRule.Decision> out = new ArrayList<>();
        for (int i = 0; i < kafkaShares.length; i++) {
            WarmupRule.Decision d = rule.decide(window(5 * (i + 1), kafkaShares[i]));
            out.add(d);
            if (!(d instanceof WarmupRule.Go)) {
                assertEquals(kafkaShares.length, i + 1, "stopped early, at window " + (i + 1));
                return d;
            }
        }
        throw new AssertionError("never stopped: " + out);
    }

    @Test
    void stopsAtTheFirstWindowWhereEveryJvmIsUnderTheShare() {
        assertInstanceOf(WarmupRule.Steady.class, run(0.6, 0.45, 0.3, 0.12, 0.06, 0.04));
    }

    @Test
    void goesOnWhileOneJvmStillCompilesAboveTheShare() {
        assertInstanceOf(WarmupRule.Go.class, rule.decide(window(60, 0.051)));
        assertInstanceOf(WarmupRule.Steady.class, rule.decide(window(60, 0.049)));
    }

    @Test
    void runsAtLeastTheMinimumEvenWhenTheFirstWindowIsQuiet() {
        assertInstanceOf(WarmupRule.Go.class, rule.decide(window(5, 0.01)));
        assertInstanceOf(WarmupRule.Steady.class, rule.decide(window(10, 0.01)));
    }

    @Test
    void stopsAtTheCapAndSaysSo() {
        double[] shares = new double[48]; // 48 windows of 5 s = the 240 s cap
        java.util.Arrays.fill(shares, 0.2);
        assertInstanceOf(WarmupRule.Capped.class, run(shares));
        // steady in the cap's own window is steady, not capped
        assertInstanceOf(WarmupRule.Steady.class, rule.decide(window(240, 0.01)));
    }

    @Test
    void aJvmDoingLittleCountsAsWarmUnderTheFloorOnly() {
        Map<String, Double> cpu = Map.of("router", 100.0);
        // 50 % of its CPU but 10 ms/s: at the floor, not under it
        assertInstanceOf(WarmupRule.Go.class,
                rule.decide(new WarmupRule.Window(20, 5, cpu, Map.of("router", 50.0))));
        assertInstanceOf(WarmupRule.Steady.class,
                rule.decide(new WarmupRule.Window(20, 5, cpu, Map.of("router", 45.0))));
        // no CPU and no JIT at all
        assertInstanceOf(WarmupRule.Steady.class,
                rule.decide(new WarmupRule.Window(20, 5, Map.of("router", 0.0), Map.of("router", 0.0))));
    }

    @Test
    void describesEachJvmsShareAndRate() {
        assertEquals("kafka 31 % (155 ms/s), agent 1 % (4 ms/s), router 50 % (2 ms/s), model 3 % (6 ms/s)",
                WarmupRule.describe(window(20, 0.31)));
    }
}
