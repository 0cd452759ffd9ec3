package run.codetether.cli.tui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import run.codetether.cli.config.CliConfig;

/**
 * config.toml watched by modification time and size (so editors that replace the file are seen too), looked at from
 * the UI thread's tick. UI thread only.
 */
final class ConfigWatch {
    /** How often the file is looked at: the tick is faster than anyone edits a file. */
    private static final long CHECK_NANOS = 400_000_000L;

    private final Path path;
    private FileTime stamp;
    private long size = -1;
    private long lastCheck;

    ConfigWatch(Path path) {
        this.path = path;
    }

    /** The file's time and size as they are now (taken after it was loaded). */
    void stamp() {
        try {
            stamp = Files.getLastModifiedTime(path);
            size = Files.size(path);
        } catch (IOException missing) {
            stamp = null;
            size = -1;
        }
    }

    /** The file loaded again if it changed since it was last looked at (at most every 400 ms); else null. */
    CliConfig.Loaded changed(long now) {
        if (now - lastCheck < CHECK_NANOS) {
            return null;
        }
        lastCheck = now;
        FileTime before = stamp;
        long sizeBefore = size;
        stamp();
        if (!Objects.equals(before, stamp) || sizeBefore != size) {
            return CliConfig.loadOrDefaults(path);
        }
        return null;
    }
}
