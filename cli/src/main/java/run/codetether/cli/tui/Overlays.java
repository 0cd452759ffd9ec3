package run.codetether.cli.tui;

import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import run.codetether.cli.turn.Args;

/** Boxes drawn over the body: the help, the model selector, the session picker. */
final class Overlays {
    static final String[] HELP = {
        "Enter        send · /command runs a command",
        "Ctrl+C       cancel the running task; twice: quit",
        "Ctrl+M /model  model selector (Ctrl+M needs a terminal",
        "             that reports it: kitty, foot, WezTerm, xterm",
        "             with modifyOtherKeys, tmux extended-keys)",
        "F2 / Ctrl+S  swarm view · Tab switches agents, Enter detail",
        "Ctrl+B       classic / webview layout · F3 inspector",
        "Alt+j/k ↑↓   scroll · PgUp/PgDn · End follows",
        "Ctrl+O       expand / collapse tool results",
        "Ctrl+↑/↓     prompt history · Ctrl+U clear · Ctrl+W word",
        "@path        attach a file to the prompt",
        "/swarm T  /ralph [prd]  /model [p/m]  /sessions",
        "/resume [id]  /new  /webview  /classic  /inspector",
        "/refresh  /view  /theme NAME  /quit",
        "y / n / a    approve, deny, approve all (approvals)",
        "a/d/n/Esc    change offer: apply here, diff, discard, close",
        "Esc or ?     close this help"};

    private Overlays() {}

    static void help(List<AttributedString> body, int cols, Theme t) {
        int w = Math.min(cols - 4, 62);
        box(body, cols, w, " Help ", List.of(HELP).stream().map(h -> new AttributedString(" " + h, t.base())).toList(), t);
    }

    static <T> void picker(List<AttributedString> body, int cols, String title, String hint, Picker<T> p, Theme t) {
        int w = Math.min(cols - 4, 72);
        java.util.ArrayList<AttributedString> lines = new java.util.ArrayList<>();
        lines.add(new AttributedString(" filter: " + p.filter() + "▏", t.fg(t.user())));
        if (p.isLoading()) {
            lines.add(new AttributedString(" loading…", t.dim()));
        } else if (!p.message().isEmpty()) {
            for (AttributedString m : Wrap.wrap(new AttributedString(" " + p.message(), t.fg(t.system())), w - 2,
                    new AttributedString(" ", t.base()))) {
                lines.add(m);
            }
        }
        List<Picker.Item<T>> items = p.visible();
        int room = Math.max(1, body.size() - 4 - lines.size());
        int sel = p.selected();
        int from = Math.max(0, Math.min(sel - room / 2, items.size() - room));
        for (int i = from; i < items.size() && i < from + room; i++) {
            Picker.Item<T> item = items.get(i);
            String label = Args.cut(item.label(), Math.max(8, w - item.detail().length() - 6));
            String row = " " + (i == sel ? "›" : " ") + " " + label;
            String detail = item.detail();
            int gap = Math.max(1, w - 2 - row.length() - detail.length());
            lines.add(new AttributedString(row + " ".repeat(gap) + detail, i == sel ? t.selected() : t.base()));
        }
        lines.add(new AttributedString(" " + hint, t.dim()));
        box(body, cols, w, title, lines, t);
    }

    private static void box(List<AttributedString> body, int cols, int w, String title, List<AttributedString> content, Theme t) {
        int h = Math.min(body.size(), content.size() + 2);
        int top = Math.max(0, (body.size() - h) / 2);
        int left = Math.max(0, (cols - w) / 2);
        AttributedStyle border = t.fg(t.help());
        for (int i = 0; i < h; i++) {
            AttributedString inner;
            if (i == 0) {
                inner = new AttributedStringBuilder().styled(border, Glyphs.TOP_LEFT + Glyphs.H + title)
                        .styled(border, Glyphs.H.repeat(Math.max(0, w - 3 - title.length()))).styled(border, Glyphs.TOP_RIGHT).toAttributedString();
            } else if (i == h - 1) {
                inner = new AttributedString(Glyphs.BOTTOM_LEFT + Glyphs.H.repeat(w - 2) + Glyphs.BOTTOM_RIGHT, border);
            } else {
                AttributedString c = content.get(i - 1);
                inner = new AttributedStringBuilder().styled(border, Glyphs.V).append(Wrap.fit(c, w - 2, t.base()))
                        .styled(border, Glyphs.V).toAttributedString();
            }
            AttributedString under = Wrap.fit(body.get(top + i), cols, t.base());
            AttributedStringBuilder b = new AttributedStringBuilder();
            b.append(under.columnSubSequence(0, left));
            b.append(inner);
            b.append(under.columnSubSequence(Math.min(cols, left + w), cols));
            body.set(top + i, b.toAttributedString());
        }
    }
}
