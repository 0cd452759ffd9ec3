package run.codetether.cli.tui;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import run.codetether.cli.turn.Args;
import run.codetether.cli.turn.InputRequest;
import run.codetether.cli.turn.ToolCall;
import run.codetether.cli.turn.Turn;
import run.codetether.cli.turn.TurnItem;

/**
 * The chat pane's lines for a width: user prompts, each task's streamed Markdown, tool-call lines (name, short
 * arguments, status, duration; output when expanded), progress, the answer once, what a waiting task asks, and a
 * per-turn {@code tokens in/out, cost} footer. Entries that can no longer change are cached per width and theme, so
 * a stream at hundreds of tokens per second re-renders only the running turn.
 */
final class ChatLines {
    private static final String SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

    private record Cached(int width, String theme, boolean expand, List<AttributedString> lines) {}

    private final Map<Entry, Cached> cache = new IdentityHashMap<>();

    List<AttributedString> lines(TuiState s, int width, long now) {
        List<AttributedString> out = new ArrayList<>();
        Theme t = s.theme;
        for (Entry e : s.entries) {
            Cached c = cache.get(e);
            if (c != null && c.width == width && c.theme.equals(t.name()) && c.expand == s.expandTools) {
                out.addAll(c.lines);
                continue;
            }
            List<AttributedString> lines = entry(e, width, t, s.expandTools, now);
            if (!(e instanceof Entry.TaskTurn(Turn turn)) || turn.ended()) {
                cache.put(e, new Cached(width, t.name(), s.expandTools, lines));
            }
            out.addAll(lines);
        }
        if (cache.size() > s.entries.size() * 2 + 16) {
            cache.clear();
        }
        return out;
    }

    private static List<AttributedString> entry(Entry e, int width, Theme t, boolean expand, long now) {
        List<AttributedString> out = new ArrayList<>();
        AttributedStyle text = t.base();
        switch (e) {
            case Entry.User u -> {
                AttributedString line = join(new AttributedString("› ", t.role("user")), new AttributedString(u.text(), t.fg(t.user())));
                out.addAll(Wrap.wrap(line, width, new AttributedString("  ", text)));
            }
            case Entry.AgentText a -> out.addAll(indent(MarkdownRenderer.render(a.text(), width - 2, t, text), t));
            case Entry.Note n -> out.addAll(Wrap.wrap(new AttributedString((n.error() ? "✗ " : "· ") + n.text(),
                    n.error() ? t.fg(t.error()) : t.fg(t.system())), width, new AttributedString("  ", text)));
            case Entry.TaskTurn(Turn turn) -> turn(turn, width, t, expand, now, out);
            case Entry.Change(ChangeOffer o) -> change(o, width, t, out);
        }
        out.add(AttributedString.EMPTY);
        return out;
    }

    private static void turn(Turn turn, int width, Theme t, boolean expand, long now, List<AttributedString> out) {
        AttributedStyle text = t.base();
        String answer = turn.answer();
        boolean answerShown = false;
        List<TurnItem> items = turn.items();
        for (int i = 0; i < items.size(); i++) {
            switch (items.get(i)) {
                case TurnItem.Text x -> {
                    String shown = x.text();
                    if (i == items.size() - 1 && answer != null && answer.startsWith(shown.strip())) {
                        shown = answer; // the final answer replaces its streamed prefix: shown once
                        answerShown = true;
                    }
                    if (!shown.isBlank()) {
                        out.addAll(indent(MarkdownRenderer.render(shown, width - 2, t, text), t));
                    }
                }
                case TurnItem.Tool(ToolCall c) -> toolLines(c, width, t, expand, now, out);
                case TurnItem.Progress p -> out.addAll(Wrap.wrap(new AttributedString("  · " + p.text(), t.dim()), width,
                        new AttributedString("    ", text)));
            }
        }
        if (!answerShown && answer != null && !answer.isBlank()) {
            out.addAll(indent(MarkdownRenderer.render(answer, width - 2, t, text), t));
        }
        for (String a : turn.artifacts()) {
            if (a.startsWith(CHANGES_DIFF)) { // the diff itself is the change offer's (d), or `codetether diff`
                a = "changes: a git diff (codetether diff " + turn.taskId() + ")";
            }
            out.addAll(Wrap.wrap(new AttributedString("  ▪ " + a, t.dim()), width, new AttributedString("    ", text)));
        }
        if (!turn.ended() && !turn.waiting()) {
            boolean toolRunning = !items.isEmpty() && items.get(items.size() - 1) instanceof TurnItem.Tool(ToolCall c)
                    && c.status() == ToolCall.Status.RUNNING;
            if (!toolRunning) {
                out.add(new AttributedString("  " + spin(now) + " " + (turn.state().equals("submitted") ? "sending…"
                        : "working…") + "  " + ToolCall.duration(turn.millis(now)), t.fg(t.assistant())));
            }
        }
        InputRequest r = turn.request();
        if (r != null) {
            request(r, width, t, out);
        }
        switch (turn.state()) {
            case "failed", "rejected" -> out.addAll(Wrap.wrap(new AttributedString("  ✗ task " + turn.state()
                    + (turn.finalMessage().isBlank() ? "" : ": " + turn.finalMessage()), t.fg(t.error())), width,
                    new AttributedString("    ", text)));
            case "canceled" -> out.add(new AttributedString("  ⊘ canceled", t.fg(t.system())));
            default -> { }
        }
        if (turn.ended() || turn.usage() != null) {
            String usage = turn.usage() == null ? "usage not reported" : turn.usage().footer();
            out.add(new AttributedString("  " + Glyphs.H + " " + usage + " · " + ToolCall.duration(turn.millis(now)), t.dim()));
        }
    }

    private static void toolLines(ToolCall c, int width, Theme t, boolean expand, long now, List<AttributedString> out) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.styled(t.base(), "  ");
        switch (c.status()) {
            case RUNNING -> b.styled(t.fg(t.assistant()), spin(now) + " ");
            case WAITING -> b.styled(t.fg(t.system()), "? ");
            case DONE -> b.styled(t.fg(t.user()), "✓ ");
            case FAILED -> b.styled(t.fg(t.error()), "✗ ");
            case CANCELED -> b.styled(t.fg(t.system()), "⊘ ");
        }
        b.styled(t.role("tool"), c.name);
        String dur = "  " + ToolCall.duration(c.millis(now));
        int room = width - b.columnLength() - dur.length() - 1;
        if (!c.arguments.isEmpty() && room > 6) {
            b.styled(t.base(), " " + Args.cut(c.arguments, room));
        }
        b.styled(t.dim(), dur);
        out.add(b.toAttributedString());
        String output = c.output().strip();
        if (output.isEmpty()) {
            return;
        }
        String[] lines = output.split("\n");
        int show = expand ? Math.min(lines.length, 12) : c.status() == ToolCall.Status.RUNNING ? Math.min(lines.length, 3) : 0;
        for (int i = lines.length - show; i < lines.length; i++) {
            out.add(new AttributedString("    " + Glyphs.GUTTER + " " + Args.cut(lines[i], Math.max(4, width - 6)), t.dim()));
        }
        if (!expand && show == 0) {
            out.add(new AttributedString("    " + Glyphs.GUTTER + " " + Args.cut(lines[lines.length - 1], Math.max(4, width - 22))
                    + (lines.length > 1 ? "  (+" + (lines.length - 1) + " lines, Ctrl+O)" : ""), t.dim()));
        }
    }

    private static final String CHANGES_DIFF = run.codetether.contracts.a2a.WorkspaceExtension.CHANGES_ARTIFACT
            + ": diff --git";

    /** Most diff lines shown inline ({@code codetether diff ID} prints all). */
    static final int DIFF_LINES = 200;

    private static void change(ChangeOffer o, int width, Theme t, List<AttributedString> out) {
        AttributedString pad = new AttributedString("    ", t.base());
        var c = o.change();
        out.addAll(Wrap.wrap(new AttributedString("  ◇ change of task " + TuiText.shortId(o.taskId()) + " to "
                + o.root() + ": " + c.filesChanged() + " file" + (c.filesChanged() == 1 ? "" : "s") + ", +"
                + c.insertions() + " -" + c.deletions(), t.fg(t.system()).bold()), width, pad));
        for (var f : o.files()) {
            AttributedStringBuilder b = new AttributedStringBuilder();
            b.styled(t.base(), "    " + Args.cut(f.path(), Math.max(8, width - 20)));
            if (f.added() < 0) {
                b.styled(t.dim(), "  binary");
            } else {
                b.styled(t.fg(t.user()), "  +" + f.added());
                b.styled(t.fg(t.error()), " -" + f.deleted());
            }
            out.add(b.toAttributedString());
        }
        if (o.diffShown()) {
            String diff = new String(c.diff(), java.nio.charset.StandardCharsets.UTF_8).stripTrailing();
            String[] lines = diff.split("\n", -1);
            String shown = lines.length <= DIFF_LINES ? diff : String.join("\n", java.util.Arrays.copyOf(lines, DIFF_LINES));
            for (AttributedString line : MarkdownRenderer.render("```diff\n" + shown + "\n```", width - 4, t, t.base())) {
                out.add(join(pad, line));
            }
            if (lines.length > DIFF_LINES) {
                out.add(new AttributedString("    … " + (lines.length - DIFF_LINES) + " more lines: codetether diff "
                        + o.taskId(), t.dim()));
            }
        }
        switch (o.state()) {
            case OFFERED -> out.add(new AttributedString("    a apply · d " + (o.diffShown() ? "hide" : "show")
                    + " diff · n discard · Esc close", t.fg(t.assistant())));
            case APPLYING -> out.add(new AttributedString("    applying…", t.fg(t.assistant())));
            case APPLIED -> message("  ✓ ", o.message(), t.fg(t.user()), width, t, out);
            case REFUSED -> {
                message("  ✗ ", o.message(), t.fg(t.error()), width, t, out);
                out.add(new AttributedString("    a try again · d " + (o.diffShown() ? "hide" : "show") + " diff · n discard · Esc close",
                        t.fg(t.assistant())));
            }
            case DISCARDED -> message("  · ", o.message(), t.fg(t.system()), width, t, out);
        }
    }

    /** A message of several lines (git's), each wrapped under the first's mark. */
    private static void message(String mark, String text, AttributedStyle style, int width, Theme t,
            List<AttributedString> out) {
        String[] lines = text.strip().split("\n");
        for (int i = 0; i < lines.length; i++) {
            out.addAll(Wrap.wrap(new AttributedString((i == 0 ? mark : "    ") + lines[i], style), width,
                    new AttributedString("    ", t.base())));
        }
    }

    private static void request(InputRequest r, int width, Theme t, List<AttributedString> out) {
        AttributedStyle ask = t.fg(t.system()).bold();
        AttributedString pad = new AttributedString("    ", t.base());
        switch (r) {
            case InputRequest.Question q -> {
                out.addAll(Wrap.wrap(new AttributedString("  ? " + q.text(), ask), width, pad));
                if (!q.options().isEmpty()) {
                    out.addAll(Wrap.wrap(new AttributedString("    options: " + String.join(" | ", q.options()), t.dim()), width, pad));
                }
                out.add(new AttributedString("    type your answer and press Enter", t.dim()));
            }
            case InputRequest.Approval a -> {
                out.addAll(Wrap.wrap(new AttributedString("  ? approve " + a.tool() + " " + a.arguments(), ask), width, pad));
                if (!a.reason().isBlank()) {
                    out.addAll(Wrap.wrap(new AttributedString("    " + a.reason(), t.dim()), width, pad));
                }
                if (a.preview() != null) {
                    for (AttributedString line : MarkdownRenderer.render("```diff\n" + a.preview() + "\n```", width - 4, t, t.base())) {
                        out.add(join(pad, line));
                    }
                }
                out.add(new AttributedString("    y approve · n deny · a approve all for this task", t.fg(t.assistant())));
            }
        }
    }

    private static List<AttributedString> indent(List<AttributedString> lines, Theme t) {
        List<AttributedString> out = new ArrayList<>(lines.size());
        AttributedString pad = new AttributedString("  ", t.base());
        for (AttributedString l : lines) {
            out.add(join(pad, l));
        }
        return out;
    }

    static AttributedString join(AttributedString a, AttributedString b) {
        return AttributedString.join(AttributedString.EMPTY, a, b);
    }

    static String spin(long now) {
        int i = (int) ((now / 100_000_000L) % SPINNER.length());
        return String.valueOf(SPINNER.charAt(Math.max(0, i)));
    }
}
