package run.codetether.cli.tui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jline.nativ.JLineNativeLoader;
import org.jline.nativ.OSInfo;

/**
 * Keeps JLine's native library where the launcher points {@code library.jline.path}, so that later starts load it
 * from there instead of extracting it from the jar to the temporary directory (read twice, written, compared) on
 * every start.
 */
final class NativeLibrary {
    private NativeLibrary() {}

    /** Copies the library JLine loaded to {@code library.jline.path} once; best effort, after the first frame. */
    static void keep() {
        String dir = System.getProperty("library.jline.path");
        String loaded = JLineNativeLoader.getNativeLibraryPath();
        if (dir == null || loaded == null) {
            return;
        }
        try {
            Path target = Path.of(dir, OSInfo.getNativeLibFolderPathForCurrentOS(), System.mapLibraryName("jlinenative"));
            if (Path.of(loaded).equals(target) || Files.exists(target)) {
                return;
            }
            Files.createDirectories(target.getParent());
            Path part = Files.createTempFile(target.getParent(), "jlinenative", ".part");
            try {
                Files.copy(Path.of(loaded), part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException | RuntimeException e) {
            // the next start extracts it again
        }
    }
}
