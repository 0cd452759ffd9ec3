package run.codetether.cli.tui;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedCharSequence;
import org.jline.utils.AttributedString;
import org.jline.utils.ColorPalette;

/**
 * The TUI's first frame at any terminal size, as the launcher can build it in bash: a frame kept for one size
 * ({@link FrameCache}) is no use after a resize, and showed nothing there until the JVM was up. An empty session's
 * first frame is a header line, the welcome lines, blank lines down to the input box, the input box's two lines and
 * the status bar; every one of them is some fixed text, one character repeated to the width, and more fixed text
 * (the padding of a line, the rule of the input box). So the frame at {@code cols x rows} is those lines with their
 * repeated character counted from {@code cols}, and {@code rows - 4 - welcome} blank lines.
 * <p>
 * Derived by rendering the same state at two sizes and taking what differs as the repeated run; kept only when the
 * template rebuilds the renderer's own frame byte for byte at the smallest size it claims and at the size on the
 * screen (anything that does not follow this shape, such as a line cut at the edge, fails that and keeps no template).
 * Below its smallest size (a wrapped tip, a cut directory) the launcher shows nothing and the JVM draws as before.
 */
final class FrameTemplate {
    /** One line: {@code head}, then {@code fill} repeated {@code cols - fixed} times, then {@code tail}. */
    record Line(String head, char fill, int fixed, String tail) {
        String at(int cols) {
            return head + String.valueOf(fill).repeat(cols - fixed) + tail;
        }
    }

    /** The frame's shape: valid from {@code minCols x minRows} up. */
    record Shape(int minCols, int minRows, int cursorCol, Line header, List<Line> welcome, Line blank, List<Line> bottom) {
        /** The first frame's ANSI at that size (what {@link #ansi} writes for the renderer's frame), or null below it. */
        String at(int cols, int rows) {
            if (cols < minCols || rows < minRows) {
                return null;
            }
            List<String> lines = new ArrayList<>(rows);
            lines.add(header.at(cols));
            welcome.forEach(l -> lines.add(l.at(cols)));
            while (lines.size() < rows - bottom.size()) {
                lines.add(blank.at(cols));
            }
            bottom.forEach(l -> lines.add(l.at(cols)));
            return ansi(lines, rows - 2, cursorCol);
        }
    }

    /** Renders the state at a size (the same state as the first frame). */
    interface Renderer {
        ScreenRenderer.Frame render(int cols, int rows);
    }

    private FrameTemplate() {}

    /** The first frame as {@link FirstFrame} writes it: the alternate screen, each line at its row, the cursor. */
    static String ansi(ScreenRenderer.Frame frame, int colors) {
        return ansi(lines(frame, colors), frame.cursorRow(), frame.cursorCol());
    }

    private static List<String> lines(ScreenRenderer.Frame frame, int colors) {
        List<String> out = new ArrayList<>(frame.lines().size());
        for (AttributedString line : frame.lines()) {
            out.add(line.toAnsi(colors, AttributedCharSequence.ForceMode.None, ColorPalette.DEFAULT));
        }
        return out;
    }

    private static String ansi(List<String> lines, int cursorRow, int cursorCol) {
        StringBuilder out = new StringBuilder(lines.size() * 160);
        out.append("\u001b[?1049h\u001b[?2026h");
        int row = 1;
        for (String line : lines) {
            out.append("\u001b[").append(row++).append(";1H").append(line);
        }
        out.append("\u001b[0m\u001b[").append(cursorRow + 1).append(';').append(cursorCol + 1).append("H\u001b[?2026l");
        return out.toString();
    }

    /**
     * The shape of the state's first frame, checked at its smallest size and at {@code cols x rows}; null when the
     * frame does not have it (not an empty chat, a line that does not stretch, a check that fails).
     */
    static Shape derive(Renderer renderer, int colors, int cols, int rows) {
        // large enough for every welcome line and some blank ones; two unrelated widths so no run matches by chance
        int c1 = 160;
        int r1 = 50;
        int c2 = 197;
        int r2 = 61;
        ScreenRenderer.Frame f1 = renderer.render(c1, r1);
        ScreenRenderer.Frame f2 = renderer.render(c2, r2);
        if (f1.cursorRow() != r1 - 2 || f2.cursorRow() != r2 - 2 || f1.cursorCol() != f2.cursorCol()) {
            return null;
        }
        List<String> a = lines(f1, colors);
        List<String> b = lines(f2, colors);
        int welcome = welcomeLines(a);
        if (welcome < 0 || welcomeLines(b) != welcome) {
            return null;
        }
        List<Line> shaped = new ArrayList<>();
        int[] rowsOf1 = new int[welcome + 5];
        int[] rowsOf2 = new int[welcome + 5];
        for (int i = 0; i <= welcome; i++) {
            rowsOf1[i] = i;
            rowsOf2[i] = i;
        }
        for (int i = 0; i < 4; i++) { // the last blank line, then the bottom three
            rowsOf1[welcome + 1 + i] = r1 - 4 + i;
            rowsOf2[welcome + 1 + i] = r2 - 4 + i;
        }
        for (int i = 0; i < rowsOf1.length; i++) {
            Line l = stretch(a.get(rowsOf1[i]), b.get(rowsOf2[i]), c1, c2);
            if (l == null) {
                return null;
            }
            shaped.add(l);
        }
        int minRows = Math.max(10, welcome + 5);
        // the narrowest width that still builds the renderer's frame (a tip wraps, a line is cut, a padding runs out
        // below it): the renderer's lines only grow their runs with the width, so halving finds it
        int low = 40;
        for (Line l : shaped) {
            low = Math.max(low, l.fixed());
        }
        int high = c1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (matches(shaped, welcome, f1.cursorCol(), mid, minRows, renderer, colors)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        Shape shape = new Shape(low, minRows, f1.cursorCol(), shaped.get(0),
                List.copyOf(shaped.subList(1, welcome + 1)), shaped.get(welcome + 1),
                List.copyOf(shaped.subList(welcome + 2, shaped.size())));
        for (int[] size : new int[][] {{shape.minCols(), shape.minRows()}, {cols, rows}, {c1, r1}}) {
            String built = shape.at(size[0], size[1]);
            if (built != null && !built.equals(ansi(renderer.render(size[0], size[1]), colors))) {
                return null;
            }
        }
        return shape;
    }

    private static boolean matches(List<Line> shaped, int welcome, int cursorCol, int cols, int rows, Renderer renderer,
            int colors) {
        Shape s = new Shape(cols, rows, cursorCol, shaped.get(0), shaped.subList(1, welcome + 1), shaped.get(welcome + 1),
                shaped.subList(welcome + 2, shaped.size()));
        return ansi(renderer.render(cols, rows), colors).equals(s.at(cols, rows));
    }

    /** How many body lines come before the blank ones (the body's last line is blank), or -1. */
    private static int welcomeLines(List<String> lines) {
        int last = lines.size() - 4;
        String blank = lines.get(last);
        int i = last;
        while (i > 1 && lines.get(i - 1).equals(blank)) {
            i--;
        }
        return i - 1;
    }

    /** The line as head + run + tail from its ANSI at two widths, or null when what differs is not one repeated character. */
    static Line stretch(String a, String b, int c1, int c2) {
        int d = c2 - c1;
        if (b.length() - a.length() != d) {
            return null;
        }
        int p = 0;
        while (p < a.length() && a.charAt(p) == b.charAt(p)) {
            p++;
        }
        int q = 0;
        while (q < a.length() - p && a.charAt(a.length() - 1 - q) == b.charAt(b.length() - 1 - q)) {
            q++;
        }
        String midA = a.substring(p, a.length() - q);
        String midB = b.substring(p, b.length() - q);
        if (midB.isEmpty()) {
            return null;
        }
        char fill = midB.charAt(0);
        if (!midB.chars().allMatch(ch -> ch == fill) || !midA.chars().allMatch(ch -> ch == fill) || fill < ' '
                || Character.isSurrogate(fill)) {
            return null;
        }
        // the common start may have taken part of the run (a blank line is all run): the run starts where it starts
        int start = p;
        while (start > 0 && a.charAt(start - 1) == fill) {
            start--;
        }
        return new Line(a.substring(0, start), fill, c1 - midA.length() - (p - start), a.substring(a.length() - q));
    }

    /** The template file's parts after the key and config: sizes, cursor, then each line's head, run, fixed, tail. */
    static byte[][] encode(Shape s) {
        List<String> parts = new ArrayList<>();
        parts.add(Integer.toString(s.minCols()));
        parts.add(Integer.toString(s.minRows()));
        parts.add(Integer.toString(s.cursorCol()));
        parts.add(Integer.toString(s.welcome().size()));
        List<Line> all = new ArrayList<>();
        all.add(s.header());
        all.addAll(s.welcome());
        all.add(s.blank());
        all.addAll(s.bottom());
        for (Line l : all) {
            parts.add(l.head());
            parts.add(String.valueOf(l.fill()));
            parts.add(Integer.toString(l.fixed()));
            parts.add(l.tail());
        }
        parts.add("."); // every part above ends with a NUL: bash reads each with read -d ''
        byte[][] out = new byte[parts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = parts.get(i).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** The shape in a template file (its parts after key, config path and config), or null. */
    static Shape decode(byte[] file) {
        if (file == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= file.length; i++) {
            if (i == file.length || file[i] == 0) {
                parts.add(new String(file, from, i - from, StandardCharsets.UTF_8));
                from = i + 1;
            }
        }
        try {
            int welcome = Integer.parseInt(parts.get(6));
            if (parts.size() != 7 + 4 * (welcome + 5) + 1) {
                return null;
            }
            List<Line> all = new ArrayList<>();
            for (int i = 7; i < parts.size() - 1; i += 4) {
                String fill = parts.get(i + 1);
                if (fill.length() != 1) {
                    return null;
                }
                all.add(new Line(parts.get(i), fill.charAt(0), Integer.parseInt(parts.get(i + 2)), parts.get(i + 3)));
            }
            return new Shape(Integer.parseInt(parts.get(3)), Integer.parseInt(parts.get(4)),
                    Integer.parseInt(parts.get(5)), all.get(0), all.subList(1, welcome + 1), all.get(welcome + 1),
                    all.subList(welcome + 2, all.size()));
        } catch (RuntimeException notATemplate) {
            return null;
        }
    }
}
