package run.codetether.bench.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average, printed beside every number: the project machine is shared with other builds. */
public final class LoadAverage {
    private LoadAverage() {}

    /** The 1-minute load average, or -1 where /proc/loadavg cannot be read. */
    public static double oneMinute() {
        String[] f = raw().split("\\s+");
        try {
            return Double.parseDouble(f[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The first three fields of /proc/loadavg ("1.24 2.22 3.64"), or "n/a". */
    public static String triple() {
        String[] f = raw().split("\\s+");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "n/a";
    }

    private static String raw() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "n/a";
        }
    }
}
