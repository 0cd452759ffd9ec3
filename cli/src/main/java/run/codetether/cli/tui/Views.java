package run.codetether.cli.tui;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import run.codetether.cli.turn.Args;
import run.codetether.cli.turn.RalphProgress;
import run.codetether.cli.turn.SwarmProgress;
import run.codetether.cli.turn.ToolCall;
import run.codetether.cli.turn.Turn;
import run.codetether.cli.turn.TurnItem;

/** The non-chat panes: welcome, webview sidebar and inspector, the swarm view and the Ralph view. */
final class Views {
    private Views() {}

    static List<AttributedString> welcome(TuiState s, int width, int rows) {
        Theme t = s.theme;
        List<AttributedString> out = new ArrayList<>();
        out.add(AttributedString.EMPTY);
        out.add(new AttributedString("   CodeTether", t.fg(t.assistant()).bold()));
        out.add(new AttributedString("   an AI coding agent platform, over A2A at " + s.gateway, t.dim()));
        out.add(AttributedString.EMPTY);
        String[] tips = {"Type a task and press Enter; the answer streams here.",
            "@path attaches a file · /model or Ctrl+M picks a model",
            "/sessions, /resume, /new · /swarm <task> · /ralph [prd.json]",
            "F2 swarm view · Ctrl+B layout · Alt+j/k scroll · ? help"};
        for (String tip : tips) {
            out.addAll(Wrap.wrap(new AttributedString("   " + tip, t.base()), width - 1, new AttributedString("   ", t.base())));
        }
        if (!s.directory.isEmpty()) {
            out.add(AttributedString.EMPTY);
            out.add(new AttributedString("   in " + s.directory, t.dim()));
        }
        return out.size() > rows ? out.subList(0, rows) : out;
    }

    static List<AttributedString> sidebar(TuiState s, int width, int rows) {
        Theme t = s.theme;
        List<AttributedString> out = new ArrayList<>();
        if (width <= 0) {
            return out;
        }
        out.add(new AttributedString(" Session", t.fg(t.help()).bold()));
        out.add(new AttributedString(" " + Args.cut(s.sessionTitle, width - 2), t.base()));
        out.add(new AttributedString(" " + (s.contextId == null ? "(not started)" : Args.cut(s.contextId, width - 2)), t.dim()));
        out.add(AttributedString.EMPTY);
        out.add(new AttributedString(" Model", t.fg(t.help()).bold()));
        out.add(new AttributedString(" " + Args.cut(s.modelLabel(), width - 2), t.base()));
        out.add(AttributedString.EMPTY);
        out.add(new AttributedString(" Turns", t.fg(t.help()).bold()));
        int n = 0;
        for (Entry e : s.entries) {
            if (e instanceof Entry.User u) {
                n++;
                out.add(new AttributedString(" " + n + ". " + Args.cut(Args.oneLine(u.text()), width - 5), t.base()));
            }
        }
        out.add(AttributedString.EMPTY);
        out.add(new AttributedString(" /sessions · /new", t.dim()));
        return pad(out, rows);
    }

    static List<AttributedString> inspector(TuiState s, int width, int rows, long now) {
        Theme t = s.theme;
        List<AttributedString> out = new ArrayList<>();
        out.add(new AttributedString(" Inspector (F3)", t.fg(t.help()).bold()));
        Turn turn = s.running;
        if (turn == null) {
            out.add(new AttributedString(" no task yet", t.dim()));
            return pad(out, rows);
        }
        out.add(new AttributedString(" task " + TuiText.shortId(turn.taskId()) + " " + turn.state(), t.base()));
        out.add(new AttributedString(" " + ToolCall.duration(turn.millis(now)), t.dim()));
        if (turn.usage() != null) {
            out.add(new AttributedString(" " + Args.cut(turn.usage().footer(), width - 2), t.dim()));
        }
        out.add(AttributedString.EMPTY);
        out.add(new AttributedString(" Tool calls", t.fg(t.help()).bold()));
        for (TurnItem i : turn.items()) {
            if (i instanceof TurnItem.Tool(ToolCall c)) {
                out.add(new AttributedString(" " + Args.cut(c.name + " " + ToolCall.duration(c.millis(now)) + " "
                        + c.status().name().toLowerCase(), width - 2), t.fg(t.tool())));
                if (!c.arguments.isEmpty()) {
                    out.add(new AttributedString("  " + Args.cut(c.arguments, width - 3), t.dim()));
                }
            }
        }
        List<AttributedString> tail = out.size() > rows ? out.subList(out.size() - rows, out.size()) : out;
        return pad(new ArrayList<>(tail), rows);
    }

    static List<AttributedString> swarm(TuiState s, int cols, int rows, long now) {
        Theme t = s.theme;
        List<AttributedString> out = new ArrayList<>();
        Turn turn = s.lastTurn(true);
        if (turn == null) {
            out.add(new AttributedString(" Swarm view", t.fg(t.help()).bold()));
            out.add(new AttributedString(" No swarm in this session yet: /swarm <task> starts one. F2 or Esc returns.", t.dim()));
            return pad(out, rows);
        }
        SwarmProgress p = turn.swarm();
        List<SwarmProgress.Agent> agents = p.agents();
        int sel = agents.isEmpty() ? 0 : Math.min(s.swarmSelected, agents.size() - 1);
        out.add(new AttributedString(" Swarm " + TuiText.shortId(turn.taskId()) + " · " + turn.state()
                + (p.phase().isEmpty() ? "" : " · " + p.phase()) + " · " + p.completed() + "/" + p.total()
                + " done · " + agents.size() + " agents", t.fg(t.help()).bold()));
        if (s.swarmDetail && !agents.isEmpty()) {
            SwarmProgress.Agent a = agents.get(sel);
            out.add(new AttributedString(" Agent " + a.id + " " + a.title() + " · " + a.status() + " · "
                    + a.usage().footer(), t.fg(t.assistant()).bold()));
            List<String> log = a.log();
            int room = rows - 3;
            for (String line : log.subList(Math.max(0, log.size() - room), log.size())) {
                out.addAll(Wrap.wrap(new AttributedString("  " + line, t.base()), cols - 1, new AttributedString("    ", t.base())));
            }
            out = new ArrayList<>(out.size() > rows - 1 ? out.subList(out.size() - (rows - 1), out.size()) : out);
            while (out.size() < rows - 1) {
                out.add(AttributedString.EMPTY);
            }
            out.add(new AttributedString(" Tab next agent · Esc back to the list", t.dim()));
            return out;
        }
        out.add(new AttributedString(String.format("   %-14s %-11s %-16s %12s %10s  %s", "agent", "state", "tool",
                "tokens", "cost", "title"), t.dim()));
        for (int i = 0; i < agents.size() && out.size() < rows - 1; i++) {
            SwarmProgress.Agent a = agents.get(i);
            String row = String.format(" %s %-14s %-11s %-16s %12s %10s  %s", i == sel ? "›" : " ", Args.cut(a.id, 14),
                    Args.cut(a.status(), 11), Args.cut(a.tool(), 16),
                    a.usage().tokensIn() + a.usage().tokensOut() > 0 ? String.format("%,d", a.usage().tokensIn() + a.usage().tokensOut()) : "-",
                    a.usage().costUsd() == null ? "unpriced" : a.usage().tokensIn() == 0 ? "-" : a.usage().cost(), a.title());
            AttributedStyle st = i == sel ? t.selected() : switch (a.status()) {
                case "completed", "cached" -> t.fg(t.user());
                case "failed" -> t.fg(t.error());
                case "running", "dispatched" -> t.fg(t.assistant());
                default -> t.base();
            };
            out.add(new AttributedString(row, st));
        }
        pad(out, rows - 1);
        out.add(new AttributedString(" Tab/↑↓ select · Enter detail · F2/Esc chat", t.dim()));
        return out;
    }

    static List<AttributedString> ralph(TuiState s, int cols, int rows) {
        Theme t = s.theme;
        List<AttributedString> out = new ArrayList<>();
        Turn turn = s.lastTurn(false);
        if (turn == null) {
            out.add(new AttributedString(" Ralph view", t.fg(t.help()).bold()));
            out.add(new AttributedString(" No Ralph run in this session yet: /ralph [prd.json] starts one. Esc returns.", t.dim()));
            return pad(out, rows);
        }
        RalphProgress p = turn.ralph();
        List<RalphProgress.Story> stories = p.stories();
        int sel = stories.isEmpty() ? 0 : Math.min(s.ralphSelected, stories.size() - 1);
        out.add(new AttributedString(" Ralph " + p.prdPath() + " · " + (p.status().isEmpty() ? turn.state() : p.status())
                + " · " + p.passed() + "/" + p.total() + " stories pass", t.fg(t.help()).bold()));
        int barWidth = Math.max(10, Math.min(40, cols - 20));
        int filled = p.total() == 0 ? 0 : barWidth * p.passed() / p.total();
        out.add(new AttributedString(" [" + "█".repeat(filled) + "░".repeat(barWidth - filled) + "]", t.fg(t.user())));
        for (int i = 0; i < stories.size() && out.size() < rows - 1; i++) {
            RalphProgress.Story st = stories.get(i);
            String mark = switch (st.status()) {
                case "passed" -> "✓";
                case "failed" -> "✗";
                case "running" -> "▸";
                default -> "○";
            };
            String row = String.format(" %s %s %-8s %-8s iter %-2d %s%s", i == sel ? "›" : " ", mark, Args.cut(st.id, 8),
                    st.status(), st.iteration(), st.title(), s.ralphDetail && i == sel && !st.checks().isEmpty()
                            ? "  [" + String.join(", ", st.checks()) + "]" : "");
            out.add(new AttributedString(row, i == sel ? t.selected() : t.base()));
        }
        pad(out, rows - 1);
        out.add(new AttributedString(" ↑↓ select · Enter checks · Esc chat", t.dim()));
        return out;
    }

    static List<AttributedString> pad(List<AttributedString> out, int rows) {
        while (out.size() < rows) {
            out.add(AttributedString.EMPTY);
        }
        while (out.size() > rows) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    static AttributedString styled(String s, AttributedStyle st) {
        return new AttributedStringBuilder().styled(st, s).toAttributedString();
    }
}
