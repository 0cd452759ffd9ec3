package run.codetether.cli.tui;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Markdown as the model writes it, rendered for a terminal pane of a given width: headings, paragraphs, bullet and
 * numbered lists (wrapped with a hanging indent), block quotes, rules, tables as written, fenced code blocks with
 * syntax colours, and inline bold, italic, code and links. Line-based, so a half-streamed answer (an open fence, a
 * dangling {@code **}) renders sensibly on every update. Pure: no terminal needed.
 */
public final class MarkdownRenderer {
    private MarkdownRenderer() {}

    public static List<AttributedString> render(String markdown, int width, Theme theme, AttributedStyle text) {
        List<AttributedString> out = new ArrayList<>();
        String[] lines = markdown.replace("\r", "").replace("\t", "    ").split("\n", -1);
        boolean inCode = false;
        String lang = "";
        AttributedStyle fence = theme.fg(theme.code());
        for (String raw : lines) {
            String trimmed = raw.strip();
            if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
                if (!inCode) {
                    inCode = true;
                    lang = trimmed.substring(3).strip().toLowerCase();
                    out.add(new AttributedString(Glyphs.TOP_LEFT + Glyphs.H + (lang.isEmpty() ? "" : " " + lang + " "), fence));
                } else {
                    inCode = false;
                    out.add(new AttributedString(Glyphs.BOTTOM_LEFT + Glyphs.H, fence));
                }
                continue;
            }
            if (inCode) {
                AttributedStringBuilder b = new AttributedStringBuilder().styled(fence, Glyphs.GUTTER + " ");
                b.append(CodeHighlighter.line(raw, lang, theme));
                AttributedString line = b.toAttributedString();
                out.add(line.columnLength() > width ? line.columnSubSequence(0, width) : line);
                continue;
            }
            block(raw, trimmed, width, theme, text, out);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).length() == 0) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static void block(String raw, String trimmed, int width, Theme theme, AttributedStyle text,
            List<AttributedString> out) {
        if (trimmed.isEmpty()) {
            if (!out.isEmpty() && out.get(out.size() - 1).length() > 0) {
                out.add(AttributedString.EMPTY);
            }
            return;
        }
        if (trimmed.matches("(-{3,}|\\*{3,}|_{3,})")) {
            out.add(new AttributedString(Glyphs.H.repeat(Math.min(width, 40)), theme.dim()));
            return;
        }
        int hashes = 0;
        while (hashes < trimmed.length() && trimmed.charAt(hashes) == '#') {
            hashes++;
        }
        if (hashes > 0 && hashes <= 6 && trimmed.length() > hashes && trimmed.charAt(hashes) == ' ') {
            AttributedStyle h = theme.fg(theme.assistant()).bold();
            out.addAll(Wrap.wrap(inline(trimmed.substring(hashes + 1), h.underline(), theme), width, AttributedString.EMPTY));
            return;
        }
        if (trimmed.startsWith(">")) {
            AttributedString prefix = new AttributedString("▌ ", theme.dim());
            AttributedString body = inline(trimmed.substring(1).strip(), theme.dim().italic(), theme);
            out.addAll(Wrap.wrap(AttributedString.join(AttributedString.EMPTY, prefix, body), width, prefix));
            return;
        }
        int indent = raw.length() - raw.stripLeading().length();
        String bullet = null;
        String rest = trimmed;
        if ((trimmed.startsWith("- ") || trimmed.startsWith("* ") || trimmed.startsWith("+ ")) && trimmed.length() > 2) {
            bullet = "• ";
            rest = trimmed.substring(2);
            if (rest.startsWith("[ ] ") || rest.startsWith("[x] ") || rest.startsWith("[X] ")) {
                bullet = rest.charAt(1) == ' ' ? "☐ " : "☑ ";
                rest = rest.substring(4);
            }
        } else {
            int dot = 0;
            while (dot < trimmed.length() && Character.isDigit(trimmed.charAt(dot))) {
                dot++;
            }
            if (dot > 0 && dot < trimmed.length() - 1 && (trimmed.charAt(dot) == '.' || trimmed.charAt(dot) == ')')
                    && trimmed.charAt(dot + 1) == ' ') {
                bullet = trimmed.substring(0, dot + 1) + " ";
                rest = trimmed.substring(dot + 2);
            }
        }
        String pad = " ".repeat(Math.min(indent, 12));
        if (bullet != null) {
            AttributedString head = new AttributedString(pad + bullet, theme.fg(theme.assistant()));
            AttributedString line = AttributedString.join(AttributedString.EMPTY, head, inline(rest, text, theme));
            out.addAll(Wrap.wrap(line, width, new AttributedString(" ".repeat(pad.length() + bullet.length()), text)));
            return;
        }
        AttributedString line = inline(pad + trimmed, text, theme);
        out.addAll(Wrap.wrap(line, width, AttributedString.EMPTY));
    }

    /** Inline spans: {@code **bold**}, {@code *italic*} / {@code _italic_}, {@code `code`}, {@code [text](url)}. */
    static AttributedString inline(String s, AttributedStyle style, Theme theme) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        AttributedStyle code = theme.fg(theme.system());
        int i = 0;
        int n = s.length();
        StringBuilder plain = new StringBuilder();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '`') {
                int end = s.indexOf('`', i + 1);
                if (end > i) {
                    flush(b, plain, style);
                    b.styled(code, s.substring(i + 1, end));
                    i = end + 1;
                    continue;
                }
            } else if (s.startsWith("**", i) || s.startsWith("__", i)) {
                int end = s.indexOf(s.substring(i, i + 2), i + 2);
                if (end > i + 2) {
                    flush(b, plain, style);
                    b.append(inline(s.substring(i + 2, end), style.bold(), theme));
                    i = end + 2;
                    continue;
                }
            } else if ((c == '*' || c == '_') && i + 1 < n && s.charAt(i + 1) != ' '
                    && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)))) {
                int end = s.indexOf(c, i + 1);
                if (end > i + 1 && s.charAt(end - 1) != ' ') {
                    flush(b, plain, style);
                    b.append(inline(s.substring(i + 1, end), style.italic(), theme));
                    i = end + 1;
                    continue;
                }
            } else if (c == '[') {
                int close = s.indexOf("](", i);
                int paren = close < 0 ? -1 : s.indexOf(')', close);
                if (close > i && paren > close) {
                    flush(b, plain, style);
                    b.styled(style.underline(), s.substring(i + 1, close));
                    i = paren + 1;
                    continue;
                }
            }
            plain.append(c);
            i++;
        }
        flush(b, plain, style);
        return b.toAttributedString();
    }

    private static void flush(AttributedStringBuilder b, StringBuilder plain, AttributedStyle style) {
        if (!plain.isEmpty()) {
            b.styled(style, plain.toString());
            plain.setLength(0);
        }
    }
}
