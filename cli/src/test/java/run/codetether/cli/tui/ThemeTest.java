package run.codetether.cli.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jline.utils.AttributedCharSequence;
import org.jline.utils.AttributedString;
import org.jline.utils.ColorPalette;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The theme's colours rounded once for a 256-colour terminal write the escape codes JLine's own rounding writes. */
class ThemeTest {
    @AfterEach
    void trueColours() {
        Theme.terminalColors(0);
    }

    @Test
    void roundedOnceAsJLineRoundsThem() {
        for (String name : new String[] {"marketing", "light", "solarized-dark", "solarized-light", "dark"}) {
            Theme.terminalColors(0);
            Theme theme = Theme.named(name);
            String[] asGiven = ansi(theme, 256);
            String[] trueColour = ansi(theme, AttributedCharSequence.TRUE_COLORS);
            Theme.terminalColors(256);
            String[] rounded = ansi(theme, 256);
            for (int i = 0; i < asGiven.length; i++) {
                assertEquals(asGiven[i], rounded[i], name + " style " + i);
            }
            // rounded means indexed: the same codes even where the terminal could take 24-bit colours
            assertEquals(java.util.List.of(rounded), java.util.List.of(ansi(theme, AttributedCharSequence.TRUE_COLORS)),
                    name);
            if (!name.equals("dark")) {
                assertTrue(trueColour[0].contains("38;2;") || trueColour[0].contains("48;2;"), trueColour[0]);
                assertTrue(!rounded[0].contains("38;2;") && !rounded[0].contains("48;2;"), rounded[0]);
            }
        }
    }

    @Test
    void otherColourCountsKeepTheThemesColours() {
        Theme.terminalColors(88);
        String text = new AttributedString("x", Theme.named("marketing").base())
                .toAnsi(AttributedCharSequence.TRUE_COLORS, AttributedCharSequence.ForceMode.None, ColorPalette.DEFAULT);
        assertTrue(text.contains("48;2;3;7;18"), text);
    }

    private static String[] ansi(Theme t, int colors) {
        return java.util.stream.Stream.of(t.base(), t.role("user"), t.role("tool"), t.role("error"), t.dim(),
                        t.statusBar(), t.selected(), t.fg(t.code()), t.fg(t.help()))
                .map(s -> new AttributedString("x", s).toAnsi(colors, AttributedCharSequence.ForceMode.None,
                        ColorPalette.DEFAULT))
                .toArray(String[]::new);
    }
}
