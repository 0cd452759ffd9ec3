package run.codetether.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code CODETETHER_STARTUP_DEBUG}: a timestamp line per start-up phase (ms since {@code main}, and the CPU all the
 * JVM's threads used so far, from {@code /proc/self/task/}{@code *}{@code /schedstat}), so that a slow start shows
 * where it went. The value is a file to append to when it starts with {@code /} (the TUI owns the terminal), else the
 * lines go to standard error. Off (one static check) when the variable is unset; never on the path of a normal start.
 */
public final class StartupTrace {
    private static final String TARGET = System.getenv("CODETETHER_STARTUP_DEBUG");
    private static final boolean ON = TARGET != null && !TARGET.isEmpty();

    private StartupTrace() {}

    public static boolean on() {
        return ON;
    }

    /** Notes that {@code phase} is done. */
    public static void mark(String phase) {
        if (!ON) {
            return;
        }
        long cpu = cpuNanos();
        long since = System.nanoTime() - Main.STARTED;
        // no String.format: its first use (Formatter, regular expressions) would cost more than the phases it times
        String line = "startup " + phase + " " + millis(since) + " ms since main, cpu " + millis(cpu) + " ms ["
                + Thread.currentThread().getName() + "]\n";
        try {
            if (TARGET.startsWith("/")) {
                try (FileOutputStream out = new FileOutputStream(TARGET, true)) {
                    out.write(line.getBytes(StandardCharsets.UTF_8));
                }
            } else {
                System.err.print(line);
                System.err.flush();
            }
        } catch (IOException e) {
            // tracing is best effort
        }
    }

    private static String millis(long nanos) {
        return nanos / 1_000_000 + "." + nanos / 100_000 % 10;
    }

    /** CPU of every thread of this JVM so far, in ns (Linux; 0 elsewhere). */
    private static long cpuNanos() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String s = Files.readString(t.resolve("schedstat"));
                    sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            return 0;
        }
        return sum;
    }
}
