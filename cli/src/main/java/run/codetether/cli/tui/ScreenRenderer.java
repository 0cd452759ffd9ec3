package run.codetether.cli.tui;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import run.codetether.cli.turn.ToolCall;
import run.codetether.cli.turn.Turn;
import run.codetether.cli.turn.TurnItem;
import run.codetether.cli.turn.Usage;

/**
 * The whole screen as exactly {@code rows} lines of exactly {@code cols} columns, from the state alone (pure, so a
 * test can render 80x24 and compare text). Layout: a header line, the body (chat; or sessions + chat + inspector in
 * the webview layout; or the swarm / Ralph view), overlays (help, model selector, session picker), the input box
 * and a status bar. JLine's {@code Display} then writes only what changed.
 */
public final class ScreenRenderer {
    /** A rendered screen and where the cursor goes. */
    public record Frame(List<AttributedString> lines, int cursorRow, int cursorCol) {
        /** The screen as plain text (for tests and fixtures). */
        public String text() {
            StringBuilder s = new StringBuilder();
            for (AttributedString l : lines) {
                s.append(l.toString().stripTrailing()).append('\n');
            }
            return s.toString();
        }
    }

    private final ChatLines chat = new ChatLines();

    public Frame render(TuiState s, int cols, int rows, long now) {
        Theme t = s.theme;
        AttributedStyle base = t.base();
        List<AttributedString> lines = new ArrayList<>(rows);
        if (cols < 40 || rows < 10) {
            lines.add(Wrap.fit(new AttributedString("terminal too small (" + cols + "x" + rows + "; need 40x10)", base), cols, base));
            while (lines.size() < rows) {
                lines.add(Wrap.fit(AttributedString.EMPTY, cols, base));
            }
            return new Frame(lines, 0, 0);
        }
        lines.add(header(s, cols));
        int bodyRows = rows - 4;
        List<AttributedString> body = switch (s.mode) {
            case SWARM -> Views.swarm(s, cols, bodyRows, now);
            case RALPH -> Views.ralph(s, cols, bodyRows);
            default -> s.layout == TuiState.Layout.WEBVIEW ? webview(s, cols, bodyRows, now) : chatPane(s, cols, bodyRows, now);
        };
        if (s.mode == TuiState.Mode.MODEL_PICKER) {
            Overlays.picker(body, cols, " Select model (Ctrl+M) ", "type to filter · ↑↓ · Enter choose · Esc close",
                    s.models, t);
        } else if (s.mode == TuiState.Mode.SESSION_PICKER) {
            Overlays.picker(body, cols, " Sessions ", "↑↓ · Enter resume · Esc close", s.sessions, t);
        }
        if (s.help) {
            Overlays.help(body, cols, t);
        }
        for (AttributedString l : body) {
            lines.add(Wrap.fit(l, cols, base));
        }
        lines.add(Wrap.fit(inputBorder(s, cols), cols, base));
        int[] cursor = new int[1];
        lines.add(Wrap.fit(inputLine(s, cols, cursor), cols, base));
        lines.add(statusBar(s, cols, now));
        return new Frame(lines, rows - 2, cursor[0]);
    }

    private AttributedString header(TuiState s, int cols) {
        Theme t = s.theme;
        AttributedStyle bar = t.statusBar();
        String left = " ◆ CodeTether  " + s.sessionTitle;
        String right = s.modelLabel() + " ";
        int room = cols - right.length() - 1;
        if (left.length() > room) {
            left = left.substring(0, Math.max(0, room - 1)) + "…";
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.styled(bar.bold(), left);
        b.styled(bar, " ".repeat(Math.max(1, cols - left.length() - right.length())));
        b.styled(bar, right);
        return Wrap.fit(b.toAttributedString(), cols, bar);
    }

    List<AttributedString> chatPane(TuiState s, int width, int rows, long now) {
        List<AttributedString> all = chat.lines(s, width - 1, now);
        int max = Math.max(0, all.size() - rows);
        s.lastMaxScroll = max;
        int scroll = Math.min(s.scroll, max);
        int end = all.size() - scroll;
        int start = Math.max(0, end - rows);
        List<AttributedString> out = new ArrayList<>(rows);
        AttributedStyle base = s.theme.base();
        if (all.isEmpty()) {
            out.addAll(Views.welcome(s, width, rows));
            while (out.size() < rows) {
                out.add(AttributedString.EMPTY);
            }
        } else {
            for (int i = start; i < end; i++) {
                out.add(AttributedString.join(AttributedString.EMPTY, new AttributedString(" ", base), all.get(i)));
            }
        }
        while (out.size() < rows) {
            out.add(0, AttributedString.EMPTY);
        }
        if (scroll > 0 && !out.isEmpty()) {
            out.set(0, Wrap.fit(new AttributedString(" ↑ " + scroll + " more below · Alt+j / End to follow", s.theme.dim()), width, base));
        }
        return out;
    }

    private List<AttributedString> webview(TuiState s, int cols, int rows, long now) {
        Theme t = s.theme;
        int side = cols >= 70 ? Math.min(24, cols / 4) : 0;
        int inspector = s.inspector && cols >= 100 ? Math.min(32, cols / 4) : 0;
        int mid = cols - side - inspector - (side > 0 ? 1 : 0) - (inspector > 0 ? 1 : 0);
        List<AttributedString> center = chatPane(s, mid, rows, now);
        List<AttributedString> left = Views.sidebar(s, side, rows);
        List<AttributedString> right = inspector > 0 ? Views.inspector(s, inspector, rows, now) : List.of();
        AttributedStyle border = t.fg(t.border());
        List<AttributedString> out = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            AttributedStringBuilder b = new AttributedStringBuilder();
            if (side > 0) {
                b.append(Wrap.fit(left.get(i), side, t.base()));
                b.styled(border, Glyphs.V);
            }
            b.append(Wrap.fit(center.get(i), mid, t.base()));
            if (inspector > 0) {
                b.styled(border, Glyphs.V);
                b.append(Wrap.fit(right.get(i), inspector, t.base()));
            }
            out.add(b.toAttributedString());
        }
        return out;
    }

    private AttributedString inputBorder(TuiState s, int cols) {
        Theme t = s.theme;
        Turn run = s.running;
        String label;
        if (run != null && run.request() != null) {
            label = run.request() instanceof run.codetether.cli.turn.InputRequest.Approval
                    ? " approval needed: y / n / a " : " answer the question ";
        } else if (run != null && !run.ended()) {
            label = " task running · Ctrl+C cancels ";
        } else if (s.offer != null && s.offer.open()) {
            label = " change offered: a apply · d diff · n discard · Esc close ";
        } else {
            label = " message · / for commands · @path attaches · ? help ";
        }
        AttributedStyle border = t.fg(t.inputBorder());
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.styled(border, Glyphs.H);
        b.styled(t.fg(t.assistant()), label);
        b.styled(border, Glyphs.H.repeat(Math.max(0, cols - label.length() - 1)));
        return b.toAttributedString();
    }

    private AttributedString inputLine(TuiState s, int cols, int[] cursor) {
        Theme t = s.theme;
        String prompt = " › ";
        String text = s.input.text();
        int cur = s.input.cursor();
        int room = cols - prompt.length() - 1;
        int from = 0;
        if (Wrap.columns(text.substring(0, cur)) > room) {
            from = cur - room;
        }
        String shown = text.substring(from);
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.styled(t.fg(t.user()).bold(), prompt);
        if (text.isEmpty()) {
            b.styled(t.dim(), s.running != null && s.running.waiting() ? "" : "Ask anything, or /help");
        } else {
            b.styled(t.base(), shown);
        }
        cursor[0] = prompt.length() + Wrap.columns(text.substring(from, cur));
        return b.toAttributedString();
    }

    private AttributedString statusBar(TuiState s, int cols, long now) {
        Theme t = s.theme;
        AttributedStyle bar = t.statusBar();
        String mode = switch (s.mode) {
            case SWARM -> "SWARM";
            case RALPH -> "RALPH";
            case MODEL_PICKER -> "MODEL";
            case SESSION_PICKER -> "SESSIONS";
            default -> s.layout == TuiState.Layout.WEBVIEW ? "WEBVIEW" : "CHAT";
        };
        StringBuilder mid = new StringBuilder();
        Turn run = s.running;
        if (run != null) {
            mid.append(run.state());
            int tools = 0;
            for (TurnItem i : run.items()) {
                tools += i instanceof TurnItem.Tool ? 1 : 0;
            }
            if (tools > 0) {
                mid.append(" · ").append(tools).append(tools == 1 ? " tool" : " tools");
            }
        }
        Usage u = s.sessionUsage;
        if (u != null) {
            mid.append(mid.isEmpty() ? "" : " · ").append(String.format("%,d/%,d tok", u.tokensIn(), u.tokensOut()))
                    .append(" ").append(u.costUsd() == null ? "unpriced" : u.cost());
        }
        // The notice answers the key just pressed, so it goes first: at 80 columns the run's figures would
        // otherwise push it past the edge.
        String notice = s.notice.isEmpty() ? "" : s.notice + (mid.isEmpty() ? "" : "  ");
        if (s.offer != null && s.offer.open() && s.mode == TuiState.Mode.CHAT) {
            // an open offer takes the keys a / d / n / Esc of an empty prompt: say so where the eye looks for keys
            notice = OFFER_KEYS + (s.notice.isEmpty() ? "" : "  " + s.notice);
            mid.setLength(0);
        }
        String right = (s.workspaceMode == null ? "" : s.workspaceMode.label() + " · ") + "? help · Ctrl+C ";
        String left = " " + mode + " " + Glyphs.V + " " + notice + mid;
        int room = cols - right.length() - 1; // a cut left part keeps a space before the right one
        if (left.length() > room) {
            left = left.substring(0, Math.max(0, room - 1)) + "…";
        }
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.styled(bar.bold(), left);
        b.styled(bar, " ".repeat(Math.max(0, cols - left.length() - right.length())));
        b.styled(bar, right);
        return Wrap.fit(b.toAttributedString(), cols, bar);
    }

    /** The status line's keys while a change offer is open. */
    static final String OFFER_KEYS = "a apply · d diff · n discard · Esc close";

    static String toolSummary(ToolCall c, long now) {
        return c.name + " " + ToolCall.duration(c.millis(now));
    }
}
