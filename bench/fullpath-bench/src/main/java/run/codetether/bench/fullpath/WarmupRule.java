package run.codetether.bench.fullpath;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * When {@code --warmup auto} stops: once every JVM of the stack (and the bench's own) spent less than {@code
 * maxShare} of its CPU in its JIT compiler threads over the last window, or less than {@code floorMsPerS} ms of JIT
 * per second (a process doing little, e.g. router-service under SendMessage, whose share of nearly nothing is noise
 * of 10 ms ticks but whose JIT cannot move a row's CPU per task), and at least {@code min} has passed. At {@code max}
 * it stops anyway and says the stack is not steady ({@link Capped}): a row after it still holds JIT, shown by its
 * JIT line.
 */
record WarmupRule(double maxShare, double floorMsPerS, Duration min, Duration max) {
    /**
     * 5 % of a process's CPU or 10 ms/s: after a 90 s warm-up the broker's JIT was about 3 % of its CPU, after 10 s
     * about 60 % (context of issue 18); at 800 tasks/s, 10 ms/s of JIT is 0.0125 ms per task. At most 240 s: the
     * services on the JVM's tiered compilers (the launcher's default) were steady after 107-148 s, and one run hit
     * the 150 s cap of before still compiling.
     */
    static final WarmupRule DEFAULT = new WarmupRule(0.05, 10, Duration.ofSeconds(10), Duration.ofSeconds(240));

    /** The length of the window the rule looks at, one wrk run of the warm-up. */
    static final Duration WINDOW = Duration.ofSeconds(5);

    /** One window of the warm-up: when it ended (since the warm-up began), its length, per process CPU and JIT ms. */
    record Window(double elapsedS, double seconds, Map<String, Double> cpuMs, Map<String, Double> jitMs) {}

    sealed interface Decision {}

    /** Not steady yet (or under the minimum): one more window. */
    record Go() implements Decision {}

    /** Every JVM's JIT is under the rule's share or floor, and the minimum has passed. */
    record Steady() implements Decision {}

    /** The cap was reached with some JVM still compiling. */
    record Capped() implements Decision {}

    Decision decide(Window w) {
        boolean warm = w.jitMs().keySet().stream().allMatch(name -> warm(w, name));
        if (warm && w.elapsedS() >= min.toSeconds()) {
            return new Steady();
        }
        return w.elapsedS() >= max.toSeconds() ? new Capped() : new Go();
    }

    /** Whether one process's JIT in the window is under the share or under the floor. */
    boolean warm(Window w, String name) {
        double jit = w.jitMs().get(name);
        double cpu = w.cpuMs().getOrDefault(name, 0.0);
        return jit / w.seconds() < floorMsPerS || (cpu > 0 && jit / cpu < maxShare);
    }

    /** Per process, its JIT's share of its CPU in the window (0 where it used no CPU). */
    static Map<String, Double> shares(Window w) {
        Map<String, Double> out = new LinkedHashMap<>();
        w.jitMs().forEach((name, jit) -> {
            double cpu = w.cpuMs().getOrDefault(name, 0.0);
            out.put(name, cpu > 0 ? jit / cpu : 0);
        });
        return out;
    }

    /** "kafka 31 % (420 ms/s), agent 1 % (3 ms/s), ...": each process's JIT share and rate in the window. */
    static String describe(Window w) {
        Map<String, Double> shares = shares(w);
        return shares.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f %% (%.0f ms/s)", e.getKey(),
                e.getValue() * 100, w.jitMs().get(e.getKey()) / w.seconds())).collect(Collectors.joining(", "));
    }

    /** The rule in words, for the output. */
    String text() {
        return String.format(Locale.ROOT, "JIT of every JVM < %.0f %% of its CPU or < %.0f ms/s over the last %d s,"
                + " at least %d s, at most %d s", maxShare * 100, floorMsPerS, WINDOW.toSeconds(), min.toSeconds(),
                max.toSeconds());
    }
}
