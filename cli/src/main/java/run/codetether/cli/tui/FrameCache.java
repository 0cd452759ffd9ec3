package run.codetether.cli.tui;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.jline.nativ.CLibrary;
import run.codetether.cli.LauncherFile;
import run.codetether.cli.LauncherSlots;

/**
 * The TUI's first frame kept for the launcher, which writes it to the terminal before the JVM starts (a JVM cannot
 * show anything in less than its own start-up; bash can, in a few milliseconds). Like the launcher's AOT caches: built
 * by one start, used by the next.
 * <p>
 * The launcher names the file ({@code -Dcodetether.tui.frame-cache}: the base of this size's files, one a key, the
 * last {@link LauncherSlots#SLOTS} keys kept) and the key of what it knows the frame depends on
 * ({@code -Dcodetether.tui.frame-key}: the jar's build stamp, the terminal's size and type, the locale, the
 * configuration's environment, the directory, the command line without its API key). The file holds that key, the
 * config.toml this JVM read and its content (the theme, the model and the gateway can come from there), then the exact
 * bytes {@link FirstFrame} wrote, NUL-separated so that bash reads each part with {@code read -d ''}. When every part
 * matches, the launcher writes the bytes, puts the terminal in the raw mode the early frame uses and tells the JVM so
 * ({@code -Dcodetether.tui.frame-shown} = its {@code stty -g} from before, the attributes to restore).
 * <p>
 * The JVM still renders its own first frame and compares it with what the launcher showed: the same bytes, and nothing
 * is written (the TUI's {@code Display} then writes the same cells again, which does not show); anything else the key
 * missed (a symlinked directory, a changed setting the launcher does not read), and its own frame replaces the
 * cached one on the screen and in the file. A miss is today's start, plus writing the file after the frame shows.
 */
public final class FrameCache {
    private static final String FILE = System.getProperty("codetether.tui.frame-cache");
    private static final String KEY = System.getProperty("codetether.tui.frame-key");
    /** The frame at any size ({@link FrameTemplate}) and its key: the frame's key without the terminal's size. */
    private static final String TEMPLATE = System.getProperty("codetether.tui.template-file");
    private static final String TEMPLATE_KEY = System.getProperty("codetether.tui.template-key");
    /** Whether the launcher's frame came from the template (no frame kept for this size) rather than the frame file. */
    private static final boolean FROM_TEMPLATE = "template".equals(System.getProperty("codetether.tui.frame-from"));
    /** The launcher's {@code stty -g} while its frame is on the screen; null once withdrawn (or never shown). */
    private static String shown = System.getProperty("codetether.tui.frame-shown");

    private FrameCache() {}

    /** Whether the launcher already shows the cached first frame (the terminal in raw mode, on the alternate screen). */
    public static boolean shown() {
        return shown != null;
    }

    /**
     * After a frame the launcher showed, when the TUI does not start after all (a command line the TUI's fast path
     * sends to the command tree, a terminal the early frame is not drawn on): back to the normal screen and the
     * terminal's attributes from before, so that whatever runs next is seen.
     */
    public static synchronized void withdraw() {
        String saved = shown;
        if (saved == null) {
            return;
        }
        shown = null; // the TUI, should it start after all, starts as without a cached frame
        try {
            FileOutputStream out = new FileOutputStream(FileDescriptor.out);
            out.write("\u001b[?1049l".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // stty reads the terminal from its standard input, which it inherits
            new ProcessBuilder("stty", saved).inheritIO().start().waitFor();
        } catch (IOException e) {
            System.err.println("codetether: could not restore the terminal's settings (run: stty " + saved + "): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The terminal's attributes from before the launcher's raw mode, as {@code stty -g} printed them (GNU: input,
     * output, control and local flags, then each control character, in hex), laid over {@code current} (which keeps
     * the line speeds). Null when the text is not in that form.
     */
    static CLibrary.Termios launcherAttributes(CLibrary.Termios current) {
        String saved = shown;
        return saved == null ? null : parseStty(saved, current);
    }

    static CLibrary.Termios parseStty(String saved, CLibrary.Termios current) {
        String[] f = saved.trim().split(":");
        if (f.length < 4 + 1 || f.length - 4 > current.c_cc.length) {
            return null;
        }
        try {
            current.c_iflag = Long.parseLong(f[0], 16);
            current.c_oflag = Long.parseLong(f[1], 16);
            current.c_cflag = Long.parseLong(f[2], 16);
            current.c_lflag = Long.parseLong(f[3], 16);
            byte[] cc = new byte[current.c_cc.length];
            for (int i = 4; i < f.length; i++) {
                cc[i - 4] = (byte) Integer.parseInt(f[i], 16);
            }
            current.c_cc = cc;
            return current;
        } catch (NumberFormatException notStty) {
            return null;
        }
    }

    /**
     * The first frame is rendered ({@code ansi}, as {@link FirstFrame} writes it). After the launcher showed the cached
     * one: writes nothing when it is the same, else clears and writes this one and keeps it. Otherwise writes it and
     * then keeps it for the next start. Answers whether the frame is on the screen.
     */
    static boolean settle(byte[] ansi, Path configPath, int cols, int rows, FrameTemplate.Renderer sizes, int colors) {
        if (shown != null) {
            Path slot = FROM_TEMPLATE ? templateSlot() : frameSlot();
            byte[] cached = FROM_TEMPLATE ? fromTemplate(slot, cols, rows) : slot == null ? null : frameOf(read(slot));
            if (Arrays.equals(cached, ansi)) {
                run.codetether.cli.StartupTrace.mark("tui frame cache: the launcher's frame is this frame"
                        + (FROM_TEMPLATE ? " (from the template)" : ""));
                LauncherSlots.used(slot);
                if (FROM_TEMPLATE) {
                    store(ansi, configPath); // this size's own frame, for the next start
                }
                return true;
            }
            run.codetether.cli.StartupTrace.mark("tui frame cache: the launcher's frame differs; redrawn");
            if (!write(concat("\u001b[?1049h\u001b[2J".getBytes(StandardCharsets.US_ASCII), ansi))) {
                return false;
            }
        } else if (!write(ansi)) {
            return false;
        }
        store(ansi, configPath);
        storeTemplate(configPath, cols, rows, sizes, colors);
        return true;
    }

    /** This key's frame file among the launcher's (one a key, {@link LauncherSlots}), or null. */
    private static Path frameSlot() {
        return FILE == null || KEY == null ? null : LauncherSlots.find(Path.of(FILE), KEY);
    }

    private static Path templateSlot() {
        return TEMPLATE == null || TEMPLATE_KEY == null ? null : LauncherSlots.find(Path.of(TEMPLATE), TEMPLATE_KEY);
    }

    /** The frame the launcher built from the template at this size, or null. */
    private static byte[] fromTemplate(Path slot, int cols, int rows) {
        FrameTemplate.Shape shape = slot == null ? null : FrameTemplate.decode(read(slot));
        String frame = shape == null ? null : shape.at(cols, rows);
        return frame == null ? null : frame.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Keeps the frame's template for the launcher's starts at other sizes, unless the file holds one for this key and
     * config already (deriving it renders the frame at four sizes); none when the frame does not fit the template's
     * shape (best effort, like the frame).
     */
    static void storeTemplate(Path configPath, int cols, int rows, FrameTemplate.Renderer sizes, int colors) {
        if (TEMPLATE == null || TEMPLATE_KEY == null || sizes == null) {
            return;
        }
        byte[][] head = LauncherFile.withConfig(TEMPLATE_KEY, configPath);
        byte[] prefix = file(head);
        Path slot = LauncherSlots.choose(Path.of(TEMPLATE), TEMPLATE_KEY);
        byte[] kept = read(slot);
        if (prefix == null || kept != null && kept.length > prefix.length && kept[prefix.length] == 0
                && Arrays.equals(Arrays.copyOf(kept, prefix.length), prefix)) {
            return;
        }
        FrameTemplate.Shape shape = FrameTemplate.derive(sizes, colors, cols, rows);
        if (shape == null) {
            run.codetether.cli.StartupTrace.mark("tui frame template: this frame has no template");
            return;
        }
        byte[][] body = FrameTemplate.encode(shape);
        byte[][] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        if (LauncherFile.keep(slot, file(all))) {
            run.codetether.cli.StartupTrace.mark("tui frame template: kept");
        }
    }

    private static boolean write(byte[] bytes) {
        try {
            FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
            stdout.write(bytes);
            stdout.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Keeps the frame for the launcher; best effort (an unwritable folder only means the next start misses). */
    static void store(byte[] ansi, Path configPath) {
        if (FILE == null || KEY == null) {
            return;
        }
        byte[] content = file(build(KEY, configPath, ansi));
        if (content != null && LauncherFile.keep(LauncherSlots.choose(Path.of(FILE), KEY), content)) {
            run.codetether.cli.StartupTrace.mark("tui frame cache: kept");
        }
    }

    /** The parts of the file; null parts make no file (a NUL in one of them would end it early for bash). */
    static byte[][] build(String key, Path configPath, byte[] ansi) {
        return LauncherFile.withConfig(key, configPath, ansi);
    }

    /** The parts joined by NULs, or null when there are none or one holds a NUL. */
    static byte[] file(byte[][] parts) {
        return LauncherFile.join(parts);
    }

    /** The frame's bytes of a cache file (what follows its third NUL), or null. */
    static byte[] frameOf(byte[] file) {
        if (file == null) {
            return null;
        }
        int nuls = 0;
        for (int i = 0; i < file.length; i++) {
            if (file[i] == 0 && ++nuls == 3) {
                return Arrays.copyOfRange(file, i + 1, file.length);
            }
        }
        return null;
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
