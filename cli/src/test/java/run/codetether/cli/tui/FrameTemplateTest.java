package run.codetether.cli.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import run.codetether.cli.LauncherFile;

/**
 * Issue 16: the first frame at any size from one template, byte for byte the renderer's own frame (the launcher
 * writes it before the JVM starts; the JVM compares and would redraw on any difference, which shows as a flicker).
 */
class FrameTemplateTest {
    @AfterEach
    void colours() {
        Theme.terminalColors(256);
    }

    private static TuiState state(String theme, String directory) {
        TuiState s = new TuiState();
        s.theme = Theme.named(theme);
        s.gateway = "http://127.0.0.1:8080/";
        s.directory = directory;
        return s;
    }

    @Test
    void theTemplateBuildsTheRenderersFrameAtEverySizeItClaims() {
        for (int colors : new int[] {256, 0x1000000}) {
            Theme.terminalColors(colors);
            for (String theme : new String[] {"marketing", "dark", "light", "solarized-dark", "solarized-light"}) {
                TuiState s = state(theme, "~/src/project");
                ScreenRenderer r = new ScreenRenderer();
                FrameTemplate.Renderer sizes = (c, rows) -> r.render(s, c, rows, 0L);
                FrameTemplate.Shape shape = FrameTemplate.derive(sizes, colors, 80, 24);
                assertNotNull(shape, theme + " at " + colors + " colours has a template");
                for (int cols = shape.minCols(); cols <= 230; cols += 7) {
                    for (int rows = shape.minRows(); rows <= 70; rows += 5) {
                        assertEquals(FrameTemplate.ansi(new ScreenRenderer().render(s, cols, rows, 0L), colors),
                                shape.at(cols, rows), theme + " " + cols + "x" + rows);
                    }
                }
                assertNull(shape.at(shape.minCols() - 1, 40), "below its width the launcher shows nothing");
                assertNull(shape.at(100, shape.minRows() - 1), "below its height the launcher shows nothing");
            }
        }
    }

    /** 80x24 is in range for an ordinary directory: a resized terminal of usual size gets its frame from bash. */
    @Test
    void usualSizesAreInRange() {
        TuiState s = state("marketing", "~/src/project");
        ScreenRenderer r = new ScreenRenderer();
        FrameTemplate.Shape shape = FrameTemplate.derive((c, rows) -> r.render(s, c, rows, 0L), 256, 80, 24);
        assertEquals(FrameTemplate.ansi(r.render(s, 80, 24, 0L), 256), shape.at(80, 24),
                "80x24 is built from the template, byte for byte the renderer's frame");
    }

    /** A directory too long for the width is cut there: no template claims that width. */
    @Test
    void aLineCutAtTheEdgeIsBelowTheTemplatesWidth() {
        String dir = "/" + "very-long-directory-name/".repeat(5);
        TuiState s = state("marketing", dir);
        ScreenRenderer r = new ScreenRenderer();
        FrameTemplate.Shape shape = FrameTemplate.derive((c, rows) -> r.render(s, c, rows, 0L), 256, 160, 40);
        assertEquals(("   in " + dir).length() + 1, shape.minCols());
    }

    /** A frame that is not an empty chat (a conversation on the screen) has no template. */
    @Test
    void notAnEmptySessionHasNoTemplate() {
        TuiState s = state("marketing", "");
        s.entries.add(new Entry.User("hello there"));
        ScreenRenderer r = new ScreenRenderer();
        // the conversation sits at the bottom of the chat pane: its lines move with the height
        assertNull(FrameTemplate.derive((c, rows) -> r.render(s, c, rows, 0L), 256, 80, 24));
    }

    @Test
    void theFileRoundTrips() {
        TuiState s = state("solarized-light", "~/x");
        ScreenRenderer r = new ScreenRenderer();
        FrameTemplate.Shape shape = FrameTemplate.derive((c, rows) -> r.render(s, c, rows, 0L), 256, 90, 30);
        byte[][] head = LauncherFile.withConfig("template-1 key", java.nio.file.Path.of("/nonexistent/config.toml"));
        byte[][] body = FrameTemplate.encode(shape);
        byte[][] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        FrameTemplate.Shape back = FrameTemplate.decode(LauncherFile.join(all));
        assertEquals(shape.at(90, 30), back.at(90, 30));
        assertEquals(shape.at(133, 51), back.at(133, 51));
        assertNull(FrameTemplate.decode("key\0path\0-\0nonsense".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
