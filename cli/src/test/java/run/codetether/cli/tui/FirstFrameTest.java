package run.codetether.cli.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Where the early first frame is drawn: only with the colour count JLine's Display will use. */
class FirstFrameTest {
    @Test
    void colorsAsJLineDecidesThem() {
        assertEquals(256, FirstFrame.colors("xterm-256color", null));
        assertEquals(256, FirstFrame.colors("screen-256color", ""));
        assertEquals(256, FirstFrame.colors("tmux-256color", "yes"));
        assertEquals(0x1000000, FirstFrame.colors("xterm-256color", "truecolor"));
        assertEquals(0x1000000, FirstFrame.colors("xterm", "24BIT"));
        assertEquals(0x1000000, FirstFrame.colors("xterm-direct", null));
        // 8 or 16 colours, other terminal families, no TERM: the TUI starts as before, without an early frame
        assertEquals(0, FirstFrame.colors("xterm", null));
        assertEquals(0, FirstFrame.colors("linux", "truecolor"));
        assertEquals(0, FirstFrame.colors("vt100", null));
        assertEquals(0, FirstFrame.colors(null, "truecolor"));
    }
}
