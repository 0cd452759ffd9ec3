package run.codetether.tools.domain.workspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import run.codetether.tools.domain.ToolException;

/**
 * Crash-safe small-file writes for the service's own state (undo history, idempotent results): write a temp file,
 * fsync it, rename it over the target. A reader sees the old file or the complete new one, never a torn one.
 */
public final class Durable {

    private Durable() {}

    public static void writeAtomic(Path dir, String name, byte[] content) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer b = ByteBuffer.wrap(content);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    ch.force(true);
                }
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ToolException(ToolException.Code.IO_ERROR, "cannot persist " + dir.resolve(name) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Deletes a directory tree if present (the state of a closed session). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new ToolException(ToolException.Code.IO_ERROR, "cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
