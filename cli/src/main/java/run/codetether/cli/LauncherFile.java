package run.codetether.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * A file the JVM keeps for the launcher to read before the next JVM starts (the TUI's frame cache, {@code run}'s
 * config cache): NUL-separated parts, so that bash reads each with {@code read -d ''} and no process. The first parts
 * are the launcher's key, the config.toml this JVM read and its content ("=" and the bytes, or "-" for no file), which
 * the launcher compares with its own read of that path; what follows is the cached value.
 */
public final class LauncherFile {
    private LauncherFile() {}

    /** The key, config.toml's path and content, then {@code values}; null when the config cannot be read. */
    public static byte[][] withConfig(String key, Path configPath, byte[]... values) {
        byte[] config;
        try {
            config = concat(new byte[] {'='}, Files.readAllBytes(configPath));
        } catch (NoSuchFileException missing) {
            config = new byte[] {'-'};
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
        byte[][] parts = new byte[3 + values.length][];
        parts[0] = key.getBytes(StandardCharsets.UTF_8);
        parts[1] = configPath.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        parts[2] = config;
        System.arraycopy(values, 0, parts, 3, values.length);
        return parts;
    }

    /** The parts joined by NULs, or null when there are none or one holds a NUL (bash would end it early). */
    public static byte[] join(byte[][] parts) {
        if (parts == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            for (byte b : parts[i]) {
                if (b == 0) {
                    return null;
                }
            }
            if (i > 0) {
                out.write(0);
            }
            out.writeBytes(parts[i]);
        }
        return out.toByteArray();
    }

    /**
     * Writes {@code content} to {@code file} whole (a temporary file moved over it) unless it holds that already;
     * best effort: an unwritable folder only means the next start misses. Answers whether the file holds it now.
     */
    public static boolean keep(Path file, byte[] content) {
        if (content == null) {
            return false;
        }
        try {
            if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content)) {
                return true;
            }
            Path part = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".part");
            try {
                Files.write(part, content);
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            StartupTrace.mark("launcher file " + file.getFileName() + " not kept (" + e + ")");
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
