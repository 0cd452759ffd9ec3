package run.codetether.cli.tui;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.WCWidth;

/** Word wrapping and padding of styled lines by terminal columns (wide characters count two). */
public final class Wrap {
    private Wrap() {}

    /** Wraps at word boundaries; continuation lines start with {@code indent} (a styled prefix, may be empty). */
    public static List<AttributedString> wrap(AttributedString line, int width, AttributedString indent) {
        List<AttributedString> out = new ArrayList<>();
        width = Math.max(4, width);
        if (line.columnLength() <= width) {
            out.add(line);
            return out;
        }
        int start = 0;
        boolean first = true;
        int n = line.length();
        while (start < n) {
            int avail = first ? width : width - indent.columnLength();
            int col = 0;
            int i = start;
            int lastSpace = -1;
            while (i < n) {
                int w = Math.max(0, WCWidth.wcwidth(line.charAt(i)));
                if (col + w > avail) {
                    break;
                }
                if (line.charAt(i) == ' ') {
                    lastSpace = i;
                }
                col += w;
                i++;
            }
            int end = i;
            if (i < n && lastSpace > start) {
                end = lastSpace;
            }
            if (end == start) {
                end = Math.min(n, start + 1);
            }
            AttributedString piece = line.subSequence(start, end);
            if (!first && indent.length() > 0) {
                piece = AttributedString.join(AttributedString.EMPTY, indent, piece);
            }
            out.add(piece);
            start = end;
            while (start < n && line.charAt(start) == ' ' && end != i) {
                start++;
            }
            first = false;
        }
        return out;
    }

    /** Pads (or cuts) a line to exactly {@code width} columns, filling with {@code fill}. */
    public static AttributedString fit(AttributedString line, int width, AttributedStyle fill) {
        int len = line.columnLength();
        if (len > width) {
            return line.columnSubSequence(0, width);
        }
        if (len == width) {
            return line;
        }
        AttributedStringBuilder b = new AttributedStringBuilder(width);
        b.append(line);
        b.style(fill);
        for (int i = len; i < width; i++) {
            b.append(' ');
        }
        return b.toAttributedString();
    }

    public static AttributedString text(String s, AttributedStyle style) {
        return new AttributedString(s, style);
    }

    /** Column width of a plain string. */
    public static int columns(String s) {
        return new AttributedString(s).columnLength();
    }
}
