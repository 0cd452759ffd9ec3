package run.codetether.cli.render;

import java.io.PrintWriter;
import java.util.List;
import run.codetether.cli.turn.Args;
import run.codetether.cli.turn.InputRequest;
import run.codetether.cli.turn.ToolCall;
import run.codetether.cli.turn.Turn;
import run.codetether.cli.turn.TurnItem;
import run.codetether.cli.turn.Usage;

/**
 * Prints a {@link Turn} as readable lines while it streams: the model's text as it grows (only the new part), one
 * line per tool call when it ends (name, short arguments, status, duration, last line of its output), progress
 * lines, then the answer's remainder exactly once and a {@code tokens in/out, cost} footer. On a terminal a running
 * tool shows as a transient line that its final line replaces.
 */
public final class RunPrinter {
    private final PrintWriter out;
    private final Ansi ansi;
    private final boolean tty;
    private int next;
    private int printedChars;
    private String printedText = "";
    private boolean lineOpen;
    private boolean transientShown;

    public RunPrinter(PrintWriter out, Ansi ansi, boolean tty) {
        this.out = out;
        this.ansi = ansi;
        this.tty = tty;
    }

    /** Prints what is new since the last call. */
    public void sync(Turn turn, long now) {
        List<TurnItem> items = turn.items();
        while (next < items.size()) {
            TurnItem item = items.get(next);
            boolean last = next == items.size() - 1;
            switch (item) {
                case TurnItem.Text t -> {
                    printDelta(t.text());
                    if (last) {
                        out.flush();
                        return;
                    }
                    endText();
                }
                case TurnItem.Tool(ToolCall c) -> {
                    if (c.status() == ToolCall.Status.RUNNING || c.status() == ToolCall.Status.WAITING) {
                        showTransient(c, now);
                        out.flush();
                        return;
                    }
                    clearTransient();
                    closeLine();
                    toolLine(c, now);
                }
                case TurnItem.Progress p -> {
                    clearTransient();
                    closeLine();
                    out.println(ansi.dim("· " + p.text()));
                }
            }
            next++;
        }
        out.flush();
    }

    /** Prints the rest of the answer (once), what the task asks or why it failed, and the footer. */
    public void finish(Turn turn, long now) {
        sync(turn, now);
        clearTransient();
        String answer = turn.answer();
        if (answer != null && !answer.isBlank()) {
            if (!printedText.isEmpty() && answer.startsWith(printedText)) {
                printDelta(answer);
            } else if (!answer.strip().equals(printedText.strip())) {
                closeLine();
                out.print(answer);
                lineOpen = !answer.endsWith("\n");
            }
        }
        closeLine();
        for (String a : turn.artifacts()) {
            out.println(ansi.dim("▪ " + a));
        }
        switch (turn.state()) {
            case "failed", "rejected" -> out.println(ansi.err("✗ task " + turn.state()
                    + (turn.finalMessage().isBlank() ? "" : ": " + turn.finalMessage())));
            case "canceled" -> out.println(ansi.warn("✗ task canceled"
                    + (turn.finalMessage().isBlank() ? "" : ": " + turn.finalMessage())));
            default -> { }
        }
        InputRequest request = turn.request();
        if (request != null) {
            printRequest(turn, request);
        }
        Usage usage = turn.usage();
        String footer = (usage == null ? "usage not reported" : usage.footer()) + " · "
                + ToolCall.duration(turn.millis(now));
        out.println(ansi.dim("─ " + footer));
        out.flush();
    }

    private void printRequest(Turn turn, InputRequest request) {
        switch (request) {
            case InputRequest.Question q -> {
                out.println(ansi.warn("? " + q.text()));
                if (!q.options().isEmpty()) {
                    out.println(ansi.dim("  options: " + String.join(" | ", q.options())));
                }
                out.println(ansi.dim("  answer with: codetether run --task " + turn.taskId() + " \"<answer>\""));
            }
            case InputRequest.Approval a -> {
                out.println(ansi.warn("? approve " + a.tool() + " " + a.arguments()
                        + (a.reason().isBlank() ? "" : " (" + a.reason() + ")")));
                if (a.preview() != null && !a.preview().isBlank()) {
                    out.println(a.preview().stripTrailing());
                }
                out.println(ansi.dim("  answer with: codetether run --task " + turn.taskId()
                        + " approve | deny | \"approve all\""));
            }
        }
    }

    private void printDelta(String text) {
        if (!text.startsWith(printedText)) {
            return; // the wire replaced earlier text; what was printed stays
        }
        String delta = text.substring(printedText.length());
        if (delta.isEmpty()) {
            return;
        }
        clearTransient();
        out.print(delta);
        printedText = text;
        printedChars += delta.length();
        lineOpen = !text.endsWith("\n");
    }

    private void endText() {
        closeLine();
        printedText = "";
    }

    private void closeLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    private void toolLine(ToolCall c, long now) {
        String mark = switch (c.status()) {
            case DONE -> ansi.ok("✓");
            case FAILED -> ansi.err("✗");
            case CANCELED -> ansi.warn("⊘");
            default -> "…";
        };
        StringBuilder line = new StringBuilder(ansi.accent("▸ ")).append(ansi.tool(c.name));
        if (!c.arguments.isEmpty()) {
            line.append(' ').append(c.arguments);
        }
        line.append("  ").append(mark).append(' ').append(ansi.dim(ToolCall.duration(c.millis(now))));
        String output = c.output().strip();
        if (!output.isEmpty()) {
            String[] lines = output.split("\n");
            line.append(ansi.dim("  → " + Args.cut(lines[lines.length - 1], 100)));
        }
        out.println(line);
    }

    private void showTransient(ToolCall c, long now) {
        if (!tty || transientShown) {
            return;
        }
        closeLine();
        out.print(ansi.accent("▸ ") + ansi.tool(c.name) + (c.arguments.isEmpty() ? "" : " " + c.arguments)
                + ansi.dim("  running…"));
        transientShown = true;
    }

    private void clearTransient() {
        if (transientShown) {
            out.print("\r\u001b[K");
            transientShown = false;
        }
    }

    /** Internal: how many characters of model text went out (tests). */
    int printedChars() {
        return printedChars;
    }
}
