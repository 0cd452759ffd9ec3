package run.codetether.cli.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {
    private final Theme theme = Theme.named("marketing");

    private List<String> text(String md, int width) {
        return MarkdownRenderer.render(md, width, theme, theme.base()).stream().map(AttributedString::toString).toList();
    }

    @Test
    void headingsListsQuotesAndInlineMarkupLoseTheirMarkers() {
        assertEquals(List.of("Plan", "", "• read the parser", "1. add a test", "▌ note", "run mvn test now"),
                text("# Plan\n\n- read the **parser**\n1. add a test\n> note\nrun `mvn test` now", 40));
    }

    @Test
    void listItemsWrapWithAHangingIndent() {
        assertEquals(List.of("• one two three", "  four five six"), text("- one two three four five six", 16));
    }

    @Test
    void aFencedBlockIsFramedAndHighlighted() {
        List<AttributedString> lines = MarkdownRenderer.render("```java\npublic int x = 42; // answer\n```", 60, theme, theme.base());
        assertEquals("┏━ java ", lines.get(0).toString());
        assertEquals("▏ public int x = 42; // answer", lines.get(1).toString());
        assertEquals("┗━", lines.get(2).toString());
        AttributedString code = lines.get(1);
        AttributedStyle keyword = code.styleAt(2);
        AttributedStyle number = code.styleAt(17);
        AttributedStyle plain = code.styleAt(13);
        assertNotEquals(plain, keyword, "keywords are coloured");
        assertNotEquals(plain, number, "numbers are coloured");
        assertTrue(keyword.toString().contains("bold") || keyword.getStyle() != plain.getStyle());
    }

    @Test
    void anOpenFenceWhileStreamingStillRendersItsCode() {
        assertEquals(List.of("┏━ sh ", "▏ ls -la"), text("```sh\nls -la", 40));
    }

    @Test
    void boldItalicAndCodeAreStyled() {
        AttributedString s = MarkdownRenderer.inline("a **b** *c* `d`", theme.base(), theme);
        assertEquals("a b c d", s.toString());
        assertTrue((s.styleAt(2).getStyle() & 0x1) != 0 || !s.styleAt(2).equals(s.styleAt(0)), "bold differs");
        assertNotEquals(s.styleAt(0), s.styleAt(4));
        assertNotEquals(s.styleAt(0), s.styleAt(6));
    }
}
