package run.codetether.bench.fullpath;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import run.codetether.bench.support.ProcCpu;

/**
 * The warm-up of one server before the rows: {@code --warmup auto} runs wrk in windows of {@link WarmupRule#WINDOW}
 * until the {@link WarmupRule} says every JVM is steady (or the cap), printing each window's rate, CPU per task and
 * JIT share per JVM; {@code --warmup SEC} one wrk run of SEC seconds, printing its JIT share over the whole run. A
 * server with no JVM (the JS agent: node) warms for a fixed time whatever the mode (10 s under auto), in windows
 * whose CPU per task shows whether its last seconds were steady.
 */
final class WarmupRun {
    /** The JS agent's warm-up under {@code --warmup auto}: node's JIT settles in seconds (see its windows). */
    static final Duration NODE = Duration.ofSeconds(10);

    /** How a server's warm-up ended: its length, whether it hit the cap, the last window (JIT per process). */
    record Result(String server, String mode, double seconds, boolean capped, WarmupRule.Window last) {}

    private WarmupRun() {}

    static Result run(Options.Warmup mode, Wrk wrk, Server s, String url, Wrk.Load load, String nonce) {
        Map<String, Long> jvms = new LinkedHashMap<>(s.pids());
        jvms.put(Row.MODEL, ProcessHandle.current().pid());
        boolean jit = JitCpu.PROC.snapshot(s.pids()).threads().values().stream().anyMatch(t -> !t.isEmpty());
        return switch (mode) {
            case Options.Warmup.Fixed f -> {
                Measured m = window(wrk, s, url, load, jvms, f.duration(), 0, nonce);
                System.out.printf(Locale.ROOT, "fullpath-bench: warm-up %s, fixed %d s: %s%n", s.name(),
                        f.duration().toSeconds(), m.text(s));
                yield new Result(s.name(), "fixed", m.w().seconds(), false, m.w());
            }
            case Options.Warmup.Auto a when jit -> auto(a.rule(), wrk, s, url, load, jvms, nonce);
            case Options.Warmup.Auto a -> {
                Measured m = null;
                double t = 0;
                for (int i = 0; t < NODE.toSeconds() - 0.5; i++) {
                    m = window(wrk, s, url, load, jvms, WarmupRule.WINDOW, t, nonce + "-" + i);
                    t = m.w().elapsedS();
                    System.out.printf(Locale.ROOT, "fullpath-bench: warm-up %s, fixed %d s (no JIT threads to read),"
                            + " at %.0f s: %s%n", s.name(), NODE.toSeconds(), t, m.text(s));
                }
                yield new Result(s.name(), "fixed", t, false, m.w());
            }
        };
    }

    private static Result auto(WarmupRule rule, Wrk wrk, Server s, String url, Wrk.Load load,
            Map<String, Long> jvms, String nonce) {
        System.out.printf("fullpath-bench: warm-up %s, auto (%s)%n", s.name(), rule.text());
        double t = 0;
        for (int i = 0;; i++) {
            Measured m = window(wrk, s, url, load, jvms, WarmupRule.WINDOW, t, nonce + "-" + i);
            WarmupRule.Window w = m.w();
            t = w.elapsedS();
            System.out.printf(Locale.ROOT, "  at %5.1f s: %s%n", t, m.text(s));
            switch (rule.decide(w)) {
                case WarmupRule.Steady st -> {
                    System.out.printf(Locale.ROOT, "fullpath-bench: warm-up %s steady after %.0f s%n", s.name(), t);
                    return new Result(s.name(), "auto", t, false, w);
                }
                case WarmupRule.Capped c -> {
                    System.out.printf(Locale.ROOT, "%nfullpath-bench: WARNING: warm-up %s hit its cap of %d s with"
                            + " JIT still running (%s): the rows hold JIT CPU; see their \"of which JIT\" lines%n%n",
                            s.name(), rule.max().toSeconds(), WarmupRule.describe(w));
                    return new Result(s.name(), "auto", t, true, w);
                }
                case WarmupRule.Go g -> {
                    // one more window
                }
            }
        }
    }

    /**
     * One wrk run at c=64 with the CPU (utime + stime, the process's own threads: no reaped children, so not wrk's
     * in the bench JVM) and JIT CPU of every JVM around it; {@code jitMs} holds only processes with compiler threads.
     */
    private static Measured window(Wrk wrk, Server s, String url, Wrk.Load load, Map<String, Long> jvms,
            Duration length, double elapsedBefore, String nonce) {
        Map<String, Double> cpuBefore = cpu(jvms);
        JitCpu.Snapshot jitBefore = JitCpu.PROC.snapshot(jvms);
        long t0 = System.nanoTime();
        Wrk.Result r = wrk.run(url, load, 64, length, nonce);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> cpuAfter = cpu(jvms);
        Map<String, Double> cpuMs = new LinkedHashMap<>();
        cpuAfter.forEach((name, ms) -> cpuMs.put(name, ms - cpuBefore.get(name)));
        Map<String, Double> jitMs = new LinkedHashMap<>();
        JitCpu.PROC.snapshot(jvms).since(jitBefore).forEach((name, j) -> {
            if (j.named()) {
                jitMs.put(name, j.ms());
            }
        });
        double serverMs = s.pids().keySet().stream().mapToDouble(cpuMs::get).sum();
        return new Measured(new WarmupRule.Window(elapsedBefore + seconds, seconds, cpuMs, jitMs), r.perSecond(),
                r.completed() == 0 ? Double.NaN : serverMs / r.completed());
    }

    /** A window with the rate and the server's CPU per completed task in it (its own processes, not the model). */
    private record Measured(WarmupRule.Window w, double perSecond, double cpuPerTask) {
        String text(Server s) {
            String jit = w.jitMs().isEmpty() ? "JIT n/a" : "JIT share " + WarmupRule.describe(w);
            return String.format(Locale.ROOT, "%.0f/s, %s CPU %.3f ms/task; %s", perSecond, s.name(), cpuPerTask,
                    jit);
        }
    }

    private static Map<String, Double> cpu(Map<String, Long> pids) {
        Map<String, Double> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> out.put(name, ProcCpu.millis(pid)));
        return out;
    }
}
