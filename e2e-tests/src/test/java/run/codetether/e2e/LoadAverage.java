package run.codetether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
