package run.codetether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The machine's 1-minute load average, printed beside every timing a test reports (the build machine is shared). */
final class LoadAverage {
    private LoadAverage() {
    }

    /** As /proc/loadavg says it, or "?" where there is none. */
    static String now() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** Per core; NaN where unknown. */
    static double perCore() {
        try {
            return Double.parseDouble(now()) / Runtime.getRuntime().availableProcessors();
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * {@code cpuPart} of a bound (the request's own work on this machine, not the behaviour under test) stretched by
     * the highest of {@code loadsPerCore} past 1, at most {@code maxFactor} times, never shrunk: a 2-core CI machine
     * at load 5 gives each process less than half a core. The caller picks {@code maxFactor} so that the stretched
     * bound still fails what the bound is there to catch. Unknown loads (NaN) count as 1.
     */
    static Duration stretch(Duration cpuPart, double maxFactor, double... loadsPerCore) {
        double factor = 1;
        for (double l : loadsPerCore) {
            if (!Double.isNaN(l)) {
                factor = Math.max(factor, Math.min(l, maxFactor));
            }
        }
        return Duration.ofNanos(Math.round(cpuPart.toNanos() * factor));
    }
}
