package run.codetether.cli.tui;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jline.nativ.CLibrary;

/**
 * The TUI's first frame, drawn before JLine's terminal exists: building that terminal (its providers, terminfo,
 * the feature probes and their round trips) was most of the time before anything showed. The frame is the one the
 * full TUI draws first ({@link ScreenRenderer} on the same state, at the size the kernel reports for the pty), turned
 * into ANSI as JLine's {@code Display} turns it (the same colour count: the terminal type's 256, or 24-bit when
 * {@code COLORTERM} says so, as JLine decides), on the alternate screen. When the full TUI is ready its
 * {@code Display} writes every cell of the same frame again over it, so the switch does not show. Keys typed in
 * between wait in the terminal's input queue (in raw mode from this frame on) and are read then: nothing else reads
 * that queue, since JLine's terminal is built without its feature probes ({@link TerminalSetup#noProbes()}; with them, it
 * read the probes' answers and the keys typed meanwhile, and dropped the keys).
 * <p>
 * The launcher may have shown this frame already, from the {@link FrameCache} a previous start kept: then the
 * terminal is in raw mode and on the alternate screen before the JVM starts, and this frame is only compared.
 * <p>
 * Only where the result is known to match: an xterm-, screen- or tmux-type terminal with 256 or 24-bit colours, no
 * probes asked for, and no provider chosen with {@code -Dorg.jline.terminal.providers}. Anywhere else (or when the native library does not
 * load, or the size is unknown) nothing is drawn here and the TUI starts as before.
 */
final class FirstFrame {
    private FirstFrame() {}

    /** Draws the first frame of {@code state}; answers whether it did (the terminal is then on the alternate screen). */
    static boolean draw(TuiState state, ScreenRenderer renderer, java.nio.file.Path configPath) {
        int colors = colors(System.getenv("TERM"), System.getenv("COLORTERM"));
        // with JLine's feature probes on, its terminal would read (and drop) keys typed at this frame
        if (colors == 0 || !TerminalSetup.noProbes() || System.getProperty("org.jline.terminal.providers") != null
                || !System.getProperty("os.name", "").startsWith("Linux")) {
            FrameCache.withdraw();
            return false;
        }
        int rows;
        int cols;
        try {
            CLibrary.WinSize size = new CLibrary.WinSize();
            if (CLibrary.ioctl(1, CLibrary.TIOCGWINSZ, size) != 0 || size.ws_row <= 0 || size.ws_col <= 0) {
                FrameCache.withdraw();
                return false;
            }
            run.codetether.cli.StartupTrace.mark("early size");
            rows = size.ws_row;
            cols = size.ws_col;
            if (FrameCache.shown() ? !takeLaunchersRawMode() : !enterRawMode()) {
                FrameCache.withdraw();
                return false;
            }
        } catch (RuntimeException | LinkageError noNative) {
            FrameCache.withdraw();
            return false; // JLine finds another provider later; the first frame waits for it
        }
        Theme.terminalColors(colors);
        long now = System.nanoTime();
        ScreenRenderer.Frame frame = renderer.render(state, cols, rows, now);
        run.codetether.cli.StartupTrace.mark("early rendered");
        String out = FrameTemplate.ansi(frame, colors);
        run.codetether.cli.StartupTrace.mark("early ansi");
        // the frame at other sizes, for the launcher's template: a renderer of its own (its chat lines cache a width)
        ScreenRenderer sizes = new ScreenRenderer();
        FrameTemplate.Renderer other = (c, r) -> sizes.render(state, c, r, now);
        if (!FrameCache.settle(out.getBytes(StandardCharsets.UTF_8), configPath, cols, rows, other, colors)) {
            restore();
            return false;
        }
        return true;
    }

    /** The terminal's attributes before {@link #enterRawMode}, until they are restored. */
    private static CLibrary.Termios original;

    /**
     * Keys typed once the frame shows must reach the TUI as keys, not through the line discipline (which would echo
     * them, turn Enter into a newline, take Ctrl+C for a signal and Ctrl+Q/Ctrl+S for flow control): raw mode from
     * here, as the TUI's own (Linux values of the flags: this path is Linux only).
     */
    private static boolean enterRawMode() {
        CLibrary.Termios before = new CLibrary.Termios();
        if (CLibrary.tcgetattr(0, before) != 0) {
            return false;
        }
        CLibrary.Termios raw = copy(before);
        raw.c_lflag &= ~(ISIG | ICANON | ECHO | IEXTEN);
        raw.c_iflag &= ~(IXON | ICRNL | INLCR);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        if (CLibrary.tcsetattr(0, CLibrary.TCSANOW, raw) != 0) {
            return false;
        }
        original = before;
        return true;
    }

    /**
     * The launcher showed the cached frame and put the terminal in this raw mode already; the attributes to restore
     * are the ones it saw before ({@code stty -g}). Should that text not read as GNU stty's, the terminal's cooked
     * mode is rebuilt from the raw one by switching back on what raw mode switched off.
     */
    private static boolean takeLaunchersRawMode() {
        CLibrary.Termios now = new CLibrary.Termios();
        if (CLibrary.tcgetattr(0, now) != 0) {
            return false;
        }
        CLibrary.Termios before = FrameCache.launcherAttributes(copy(now));
        if (before == null) {
            before = copy(now);
            before.c_lflag |= ISIG | ICANON | ECHO | IEXTEN;
            before.c_iflag |= IXON | ICRNL;
        }
        original = before;
        return true;
    }

    private static final long ISIG = 0x1;
    private static final long ICANON = 0x2;
    private static final long ECHO = 0x8;
    private static final long IEXTEN = 0x8000;
    private static final long INLCR = 0x40;
    private static final long ICRNL = 0x100;
    private static final long IXON = 0x400;
    private static final int VTIME = 5;
    private static final int VMIN = 6;

    private static CLibrary.Termios copy(CLibrary.Termios t) {
        CLibrary.Termios c = new CLibrary.Termios();
        c.c_iflag = t.c_iflag;
        c.c_oflag = t.c_oflag;
        c.c_cflag = t.c_cflag;
        c.c_lflag = t.c_lflag;
        c.c_cc = t.c_cc.clone();
        c.c_ispeed = t.c_ispeed;
        c.c_ospeed = t.c_ospeed;
        return c;
    }

    /**
     * JLine's terminal, just built, took the raw attributes of the early frame for the terminal's own and would
     * restore those when it closes. Puts the terminal's real attributes back for a moment so that JLine reads them,
     * and makes them the ones it restores (its {@code originalAttributes}, also used by its shutdown hook). The TUI
     * enters raw mode right after, as without an early frame.
     */
    static void handOver(org.jline.terminal.Terminal terminal) {
        CLibrary.Termios before = original;
        if (before == null) {
            return;
        }
        CLibrary.tcsetattr(0, CLibrary.TCSANOW, before);
        org.jline.terminal.Attributes real = terminal.getAttributes();
        // JNI's terminal keeps them in AbstractUnixSysTerminal, the exec one in AbstractPosixTerminal: same name
        for (Class<?> c = terminal.getClass(); c != null; c = c.getSuperclass()) {
            try {
                java.lang.reflect.Field f = c.getDeclaredField("originalAttributes");
                f.setAccessible(true);
                ((org.jline.terminal.Attributes) f.get(terminal)).copy(real);
                original = null; // JLine restores them now (on close and in its shutdown hook)
                return;
            } catch (NoSuchFieldException notHere) {
                // its superclass, then
            } catch (ReflectiveOperationException | RuntimeException notThisJLine) {
                return; // restore() puts them back after the terminal is closed
            }
        }
    }

    /** The terminal's attributes from before the early frame, where nothing else restores them. */
    static void restore() {
        CLibrary.Termios before = original;
        original = null;
        if (before != null) {
            CLibrary.tcsetattr(0, CLibrary.TCSANOW, before);
        }
    }

    /**
     * The colours JLine's {@code Display} will use for this terminal, or 0 where the early frame is not drawn: 24-bit
     * when {@code COLORTERM} names it (JLine's rule), else 256 for the {@code -256color} types of xterm, screen and
     * tmux (their terminfo's {@code max_colors}).
     */
    static int colors(String term, String colorTerm) {
        if (term == null || !(term.startsWith("xterm") || term.startsWith("screen") || term.startsWith("tmux"))) {
            return 0;
        }
        String ct = colorTerm == null ? "" : colorTerm.toLowerCase(Locale.ROOT);
        if (ct.contains("truecolor") || ct.contains("24bit") || term.contains("-direct")) {
            return 0x1000000;
        }
        return term.endsWith("-256color") ? 256 : 0;
    }
}
