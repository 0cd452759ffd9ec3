package run.codetether.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;

/**
 * A bounded set of {@link LauncherFile}s for one purpose (the TUI's frame at one size, its template), one a key:
 * {@code BASE.0} to {@code BASE.7}. One file a purpose kept only the last start's key, so a start from another
 * directory, with another command line or config missed it once and took the next start's hit away; the launcher
 * finds its key's file by reading each file's first part (the key), which bash does without a process. The least
 * recently used file makes room for a new key: the JVM marks a file used (its modification time) when the launcher
 * showed what it holds.
 */
public final class LauncherSlots {
    /** How many keys a purpose keeps (the launcher's glob {@code BASE.[0-7]} reads as many). */
    public static final int SLOTS = 8;

    private LauncherSlots() {}

    /** The file of {@code base} whose key is {@code key}, or null. */
    public static Path find(Path base, String key) {
        byte[] want = (key + '\0').getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < SLOTS; i++) {
            Path slot = slot(base, i);
            try (InputStream in = Files.newInputStream(slot)) {
                if (Arrays.equals(in.readNBytes(want.length), want)) {
                    return slot;
                }
            } catch (IOException | RuntimeException absent) {
                // a free slot, or one being replaced: not this key's
            }
        }
        return null;
    }

    /** Where to keep {@code key}: its own file, else a free one, else the least recently used one. */
    public static Path choose(Path base, String key) {
        Path own = find(base, key);
        if (own != null) {
            return own;
        }
        Path oldest = slot(base, 0);
        long oldestTime = Long.MAX_VALUE;
        for (int i = 0; i < SLOTS; i++) {
            Path slot = slot(base, i);
            long time;
            try {
                time = Files.getLastModifiedTime(slot).toMillis();
            } catch (IOException | RuntimeException free) {
                return slot;
            }
            if (time < oldestTime) {
                oldestTime = time;
                oldest = slot;
            }
        }
        return oldest;
    }

    /** Marks {@code slot} used now, so that new keys replace others first; best effort. */
    public static void used(Path slot) {
        if (slot == null) {
            return;
        }
        try {
            Files.setLastModifiedTime(slot, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException | RuntimeException gone) {
            // replaced meanwhile, or unwritable: it only ages
        }
    }

    static Path slot(Path base, int i) {
        return base.resolveSibling(base.getFileName() + "." + i);
    }
}
