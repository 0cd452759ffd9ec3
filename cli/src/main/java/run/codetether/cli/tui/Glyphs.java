package run.codetether.cli.tui;

/**
 * The TUI's line-drawing characters. JLine writes the light box-drawing set (U+2500 ─, U+2502 │ and their corners
 * and tees) through the terminal's VT100 alternate character set, or as ASCII {@code - | +} when that is off; the
 * heavy set below goes out as plain UTF-8, so what tmux, ssh and a screen capture show is what was drawn.
 */
final class Glyphs {
    static final String H = "━";
    static final String V = "┃";
    static final String TOP_LEFT = "┏";
    static final String TOP_RIGHT = "┓";
    static final String BOTTOM_LEFT = "┗";
    static final String BOTTOM_RIGHT = "┛";
    /** A thin gutter for code and tool output. */
    static final String GUTTER = "▏";

    private Glyphs() {}
}
