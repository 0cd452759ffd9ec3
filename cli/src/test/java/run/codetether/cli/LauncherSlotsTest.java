package run.codetether.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherSlotsTest {
    @TempDir
    Path dir;

    private Path keep(Path base, String key, long time) throws Exception {
        Path slot = LauncherSlots.choose(base, key);
        Files.write(slot, (key + "\0rest").getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(slot, FileTime.fromMillis(time));
        return slot;
    }

    @Test
    void eachKeyHasItsFileUpToEightThenTheLeastRecentlyUsedMakesRoom() throws Exception {
        Path base = dir.resolve("tui-frame-80x24");
        for (int i = 0; i < LauncherSlots.SLOTS; i++) {
            assertEquals(dir.resolve("tui-frame-80x24." + i), keep(base, "key " + i, 1_000_000L * (i + 1)));
        }
        for (int i = 0; i < LauncherSlots.SLOTS; i++) {
            assertEquals(dir.resolve("tui-frame-80x24." + i), LauncherSlots.find(base, "key " + i));
        }
        // a key that is another's prefix is not that key
        assertNull(LauncherSlots.find(base, "key"));
        // key 0 used last: a ninth key replaces key 1, the least recently used
        LauncherSlots.used(LauncherSlots.find(base, "key 0"));
        Path ninth = keep(base, "key 8", System.currentTimeMillis());
        assertEquals(dir.resolve("tui-frame-80x24.1"), ninth);
        assertNull(LauncherSlots.find(base, "key 1"));
        assertEquals(dir.resolve("tui-frame-80x24.0"), LauncherSlots.find(base, "key 0"));
        // a kept key is written where it is
        assertEquals(dir.resolve("tui-frame-80x24.5"), LauncherSlots.choose(base, "key 5"));
        try (var files = Files.list(dir)) {
            assertEquals(LauncherSlots.SLOTS, files.count(), "never more than eight files");
        }
    }
}
