package run.codetether.cli.tui;

import java.io.IOException;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * How the TUI builds JLine's system terminal, and the JLine start-up costs it avoids on the way (a process per start,
 * feature probes before the first frame).
 */
final class TerminalSetup {
    private TerminalSetup() {}

    /**
     * JLine's system terminal through its JNI provider alone, then FFM, then {@code stty}. JNI was measured cheaper to
     * start than FFM (no method handles to spin up). {@code providers("jni")} alone only orders the providers: JLine
     * still instantiates every provider whose flag is not off, and the FFM provider's constructor sets up the
     * foreign-function linker (downcall stubs, lambda forms spun at run time): measured as most of the TUI's CPU
     * before its first frame. So the providers not asked for are switched off. {@code
     * -Dorg.jline.terminal.providers} overrides (JLine's own rules then).
     */
    static Terminal systemTerminal() throws IOException {
        String chosen = System.getProperty(TerminalBuilder.PROP_PROVIDERS);
        if (chosen != null) {
            return base().providers(chosen).build();
        }
        try {
            return only(base(), "jni").dumb(false).build();
        } catch (IOException | RuntimeException | LinkageError noJni) {
            return only(base(), "ffm,exec").build();
        }
    }

    private static TerminalBuilder base() {
        // box drawing and spinners need UTF-8; without it JLine falls back to the VT100 line-drawing set
        TerminalBuilder builder = TerminalBuilder.builder().system(true).name("codetether")
                .encoding(java.nio.charset.StandardCharsets.UTF_8);
        return noProbes() ? builder.graphemeCluster(false) : builder;
    }

    /**
     * Whether JLine's terminal is built without its feature probes. JLine 4 probes (kitty keys, DECRQM for every mode it
     * knows, DA1, then the cursor position) only to decide on grapheme-cluster mode 2027: one or more round trips to
     * the terminal before the first frame (over ssh, network round trips), and it reads the answers from the
     * terminal's input, so keys typed meanwhile are consumed with them (which is why the early {@link FirstFrame} needs
     * it off). The price: on the few terminals that support mode 2027 the TUI no longer switches it on, so emoji made
     * of several code points (ZWJ sequences, flags) are placed by JLine's {@code Display} per code point, as on every
     * terminal without that mode (tmux, xterm, ...), while the renderer's {@code columnLength()} counts them as one
     * cluster: such a line can be cut or padded by a column or two, as it already was on those terminals.
     * {@code CODETETHER_TUI_PROBE=1} brings the probes back (and no early frame); {@code
     * -Dorg.jline.terminal.graphemeCluster=true|false} decides without probing (JLine's own rule).
     */
    static boolean noProbes() {
        return System.getProperty(TerminalBuilder.PROP_GRAPHEME_CLUSTER) == null
                && !"1".equals(System.getenv("CODETETHER_TUI_PROBE"));
    }

    /** The builder with exactly {@code providers} (comma-separated, in order) enabled. */
    static TerminalBuilder only(TerminalBuilder builder, String providers) {
        List<String> names = List.of(providers.split(","));
        return builder.providers(providers).jni(names.contains("jni")).ffm(names.contains("ffm"))
                .exec(names.contains("exec"));
    }

    /**
     * Two start-up costs of JLine 4 that a TUI does not need to pay: it runs {@code infocmp} (a process) for the
     * terminal type even when it ships that type's capabilities (xterm, xterm-256color, screen, screen-256color, ...),
     * so those are taken from JLine itself; and its feature probes (DECRQM, DA1, cursor position), when asked for
     * ({@link #noProbes()}), wait up to the probe timeout where nothing answers, so that is capped (a real terminal,
     * tmux or ssh answers within a round trip).
     */
    static void terminalStartup() {
        String type = System.getenv("TERM");
        if (type != null && org.jline.utils.InfoCmp.getLoadedInfoCmp(type) == null) {
            String bundled = org.jline.utils.InfoCmp.getDefaultInfoCmp(type);
            if (bundled != null) {
                org.jline.utils.InfoCmp.setLoadedInfoCmp(type, bundled);
            }
        }
        if (System.getProperty("org.jline.terminal.probe.timeout") == null) {
            System.setProperty("org.jline.terminal.probe.timeout", "250");
        }
    }
}
