package run.codetether.cli.tui;

import org.jline.utils.AttributedStyle;

/**
 * The TUI's colours: the original's five themes with its colour values ({@code marketing}, the default, is cyan
 * accents on a near-black background). Every style carries the theme's background so a repaint fills the screen.
 */
public record Theme(String name, int[] user, int[] assistant, int[] system, int[] tool, int[] error, int[] border,
        int[] inputBorder, int[] help, int[] timestamp, int[] code, int[] statusFg, int[] statusBg, int[] background,
        int[] foreground) {

    public static Theme named(String name) {
        return switch (name == null ? "marketing" : name) {
            case "dark" -> new Theme("dark", ansi(2), ansi(6), ansi(3), ansi(5), ansi(1), ansi(6), ansi(7), ansi(3),
                    ansi(8), ansi(8), ansi(0), ansi(7), null, null);
            case "light" -> new Theme("light", rgb(0, 128, 0), rgb(0, 0, 139), rgb(153, 102, 0), rgb(139, 0, 139),
                    rgb(178, 34, 34), rgb(128, 128, 128), rgb(0, 0, 0), rgb(153, 102, 0), rgb(128, 128, 128),
                    rgb(110, 110, 110), rgb(255, 255, 255), rgb(0, 0, 0), rgb(255, 255, 255), rgb(20, 20, 20));
            case "solarized-dark" -> new Theme("solarized-dark", rgb(133, 153, 0), rgb(42, 161, 152), rgb(181, 137, 0),
                    rgb(211, 54, 130), rgb(220, 50, 47), rgb(131, 148, 150), rgb(238, 232, 213), rgb(181, 137, 0),
                    rgb(101, 123, 131), rgb(88, 110, 117), rgb(0, 43, 54), rgb(238, 232, 213), rgb(0, 43, 54),
                    rgb(147, 161, 161));
            case "solarized-light" -> new Theme("solarized-light", rgb(133, 153, 0), rgb(42, 161, 152),
                    rgb(181, 137, 0), rgb(211, 54, 130), rgb(220, 50, 47), rgb(88, 110, 117), rgb(147, 161, 161),
                    rgb(181, 137, 0), rgb(131, 148, 150), rgb(147, 161, 161), rgb(238, 232, 213), rgb(88, 110, 117),
                    rgb(253, 246, 227), rgb(101, 123, 131));
            default -> new Theme("marketing", rgb(6, 182, 212), rgb(34, 211, 238), rgb(250, 204, 21), rgb(232, 121, 249),
                    rgb(248, 113, 113), rgb(31, 41, 55), rgb(55, 65, 81), rgb(6, 182, 212), rgb(107, 114, 128),
                    rgb(75, 85, 99), rgb(17, 24, 39), rgb(6, 182, 212), rgb(3, 7, 18), rgb(229, 231, 235));
        };
    }

    private static int[] rgb(int r, int g, int b) {
        return new int[] {r, g, b};
    }

    /** One of the 16 ANSI colours (the original's named colours; the terminal's palette decides). */
    private static int[] ansi(int index) {
        return new int[] {index};
    }

    /** Plain text on the theme's background. */
    public AttributedStyle base() {
        AttributedStyle s = AttributedStyle.DEFAULT;
        if (background != null) {
            s = bg(s, background);
        }
        if (foreground != null) {
            s = fg(s, foreground);
        }
        return s;
    }

    public AttributedStyle fg(int[] color) {
        return fg(base(), color);
    }

    public AttributedStyle role(String role) {
        return switch (role) {
            case "user" -> fg(user).bold();
            case "agent", "assistant" -> fg(assistant).bold();
            case "tool" -> fg(tool).bold();
            case "error" -> fg(error).bold();
            default -> fg(system).bold();
        };
    }

    public AttributedStyle dim() {
        return fg(timestamp);
    }

    public AttributedStyle statusBar() {
        return bg(fg(AttributedStyle.DEFAULT, statusFg), statusBg);
    }

    public AttributedStyle selected() {
        return bg(fg(AttributedStyle.DEFAULT, statusFg), statusBg).bold();
    }

    static AttributedStyle fg(AttributedStyle s, int[] c) {
        int indexed = indexed(c);
        return indexed >= 0 ? s.foreground(indexed) : s.foreground(c[0], c[1], c[2]);
    }

    static AttributedStyle bg(AttributedStyle s, int[] c) {
        int indexed = indexed(c);
        return indexed >= 0 ? s.background(indexed) : s.background(c[0], c[1], c[2]);
    }

    /** Colours of the terminal the TUI draws on, when it has exactly 256 (else 0: colours as the theme gives them). */
    private static volatile int palette256;
    private static final java.util.Map<Integer, Integer> ROUNDED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The terminal's colour count ({@code max_colors}, or what the early frame decided). On a 256-colour terminal JLine
     * turns every RGB colour into the nearest of its palette each time it writes a run of that style (a search over 256
     * entries in CIE Lab, with the distance's name matched by regular expressions each time): measured as most of the
     * time the first frame spent turning its lines into ANSI, and paid again on every redraw while an answer streams.
     * The theme's few colours are rounded once instead, with JLine's own rounding (so the escape codes do not change).
     */
    static void terminalColors(int colors) {
        palette256 = colors == 256 ? 256 : 0;
    }

    /** The palette index to use for {@code c}: an ANSI colour's own, an RGB colour's on a 256-colour terminal, else -1. */
    private static int indexed(int[] c) {
        if (c.length == 1) {
            return c[0];
        }
        if (palette256 == 0) {
            return -1;
        }
        return ROUNDED.computeIfAbsent((c[0] << 16) | (c[1] << 8) | c[2],
                rgb -> org.jline.utils.Colors.roundRgbColor(c[0], c[1], c[2], 256));
    }
}
