package run.codetether.cli.tui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The TUI's start-up trace ({@code CODETETHER_TUI_TRACE=file}), read by the start-up benchmark. */
final class TuiTrace {
    private TuiTrace() {}

    private static final String TRACE = System.getenv("CODETETHER_TUI_TRACE");

    /** {@code CODETETHER_TUI_TRACE=file}: start-up phases, in ms since main began. */
    static void trace(String phase) {
        run.codetether.cli.StartupTrace.mark("tui " + phase);
        if (TRACE == null || TRACE.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(TRACE), String.format("%-12s %6.1f ms%n", phase,
                    (System.nanoTime() - run.codetether.cli.Main.STARTED) / 1e6),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // tracing is best effort
        }
    }

    /** {@code CODETETHER_TUI_TRACE=file}: appends when the first frame was on screen (the start-up benchmark). */
    static void firstFrame() {
        String file = TRACE;
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            long start = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
            Files.writeString(Path.of(file), "first_frame_ms=" + (System.currentTimeMillis() - start) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // tracing is best effort
        }
    }
}
