package run.codetether.cli.tui;

import java.util.ArrayList;
import java.util.List;
import run.codetether.cli.session.SessionIndex;
import run.codetether.cli.turn.Turn;
import run.codetether.cli.turn.Usage;

/**
 * Everything the TUI shows; changed only on the UI thread (by {@link TuiController} for keys, {@link TuiUpdates} for
 * what comes back), read by the renderer.
 */
public final class TuiState {
    public enum Mode { CHAT, MODEL_PICKER, SESSION_PICKER, SWARM, RALPH }

    public enum Layout { CLASSIC, WEBVIEW }

    /** A model choice: provider (may be null: the platform's default) and model id. */
    public record ModelChoice(String provider, String model, long contextWindow, String price) {
        public String label() {
            return (provider == null ? "" : provider + "/") + model;
        }
    }

    Mode mode = Mode.CHAT;
    Layout layout = Layout.CLASSIC;
    boolean help;
    boolean inspector = true;
    boolean expandTools;
    final InputLine input = new InputLine();
    final List<Entry> entries = new ArrayList<>();
    int scroll;
    String provider;
    String model;
    Theme theme = Theme.named("marketing");
    String contextId;
    String sessionTitle = "new session";
    Turn running;
    long ctrlCAt = Long.MIN_VALUE;
    String notice = "";
    long noticeAt;
    final Picker<ModelChoice> models = new Picker<>();
    final Picker<SessionIndex.Entry> sessions = new Picker<>();
    int swarmSelected;
    boolean swarmDetail;
    int ralphSelected;
    boolean ralphDetail;
    String gateway = "";
    String directory = "";
    boolean quit;
    Usage sessionUsage;
    int lastMaxScroll;
    /** {@code --no-workspace}: the TUI's tasks carry no workspace. */
    boolean workspaceOff;
    /** {@code full | approve | ask} sent with every task, or null (the platform's default); from --access or config. */
    String accessMode;
    /** The access mode came from the command line: config.toml changes do not override it. */
    boolean accessFromFlag;
    /** The checkout this conversation's workspace was sent from (its changes are offered there), or null. */
    java.nio.file.Path localRoot;
    /** The diff of this conversation applied to {@link #localRoot} last (a later diff includes it), or null. */
    byte[] appliedDiff;
    /** How the tasks work on the directory (the status line names it); null until found after the first frame. */
    WorkspaceMode workspaceMode;
    /** The worker codebase id this conversation's tasks are bound to (worker mode), or null. */
    String conversationCodebase;
    /** The offer the keys a / d / n / Esc act on, or null. */
    ChangeOffer offer;

    public Mode mode() {
        return mode;
    }

    public Layout layout() {
        return layout;
    }

    public boolean help() {
        return help;
    }

    public InputLine input() {
        return input;
    }

    public List<Entry> entries() {
        return entries;
    }

    public Theme theme() {
        return theme;
    }

    public Turn running() {
        return running;
    }

    public boolean quit() {
        return quit;
    }

    public String contextId() {
        return contextId;
    }

    public String modelLabel() {
        return model == null ? "platform default" : (provider == null ? "" : provider + "/") + model;
    }

    /** A line in the conversation; the view follows it to the bottom. */
    void note(String text, boolean error) {
        entries.add(new Entry.Note(text, error));
        scroll = 0;
    }

    /** The status line's message, cleared 5 s after {@code now} (0: kept until the next one or Esc). */
    void notice(String text, long now) {
        notice = text;
        noticeAt = now;
    }

    /** Entries are cached by identity: a changed offer is a new entry in the old one's place. */
    void replaceOffer(ChangeOffer next) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i) instanceof Entry.Change(ChangeOffer o) && o.taskId().equals(next.taskId())) {
                entries.set(i, new Entry.Change(next));
                break;
            }
        }
        if (offer != null && offer.taskId().equals(next.taskId())) {
            offer = next;
        }
    }

    /** The latest turn that ran a swarm / Ralph (what the swarm and Ralph views show). */
    Turn lastTurn(boolean swarm) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i) instanceof Entry.TaskTurn(Turn t) && (swarm ? t.swarm().active() : t.ralph().active())) {
                return t;
            }
        }
        return null;
    }
}
