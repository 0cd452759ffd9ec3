package run.codetether.cli.tui;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.session.SessionIndex;
import run.codetether.cli.session.Transcript;
import run.codetether.cli.turn.Turn;

/**
 * What comes back to the TUI, apart from keys: a task stream's events and end, the answers of {@link TuiActions}
 * (a change, its application, the model catalog, the sessions, a transcript), the workspace mode found after the
 * first frame, and config.toml. Each changes {@link TuiState}; {@link TuiController} is the keyboard's side. Runs
 * on the UI thread only (the actions post their answers there).
 */
public final class TuiUpdates {
    private final TuiState s;
    private final TuiActions actions;
    private final Path workdir;

    public TuiUpdates(TuiState state, TuiActions actions, Path workdir) {
        this.s = state;
        this.actions = actions;
        this.workdir = workdir;
    }

    /** Applies config.toml (start-up and every change of the file). */
    public void applyConfig(CliConfig.Loaded loaded, boolean changed) {
        CliConfig c = loaded.config();
        String before = s.theme.name();
        s.theme = Theme.named(c.theme());
        if (s.model == null && c.model() != null) {
            s.provider = c.provider();
            s.model = c.model();
        }
        if (!s.accessFromFlag) {
            s.accessMode = c.accessMode();
        }
        if (loaded.problem() != null) {
            s.note("config.toml not read, defaults used: " + loaded.problem(), true);
        } else if (changed && !before.equals(s.theme.name())) {
            s.notice("theme " + s.theme.name() + " (config.toml changed)", 0);
        }
    }

    public void onEvent(Turn turn, JsonNode event, long now) {
        boolean first = turn.contextId().isEmpty();
        turn.apply(event, now);
        if (first && !turn.contextId().isEmpty()) {
            String text = "";
            for (int i = s.entries.size() - 1; i >= 0; i--) {
                if (s.entries.get(i) instanceof Entry.User u) {
                    text = u.text();
                    break;
                }
            }
            if (s.contextId == null) {
                s.contextId = turn.contextId();
            }
            actions.remember(turn.contextId(), text, s.model == null ? null : s.modelLabel(), turn.taskId());
        }
        if (turn.ended() && turn.usage() != null) {
            s.sessionUsage = s.sessionUsage == null ? turn.usage() : s.sessionUsage.plus(turn.usage());
        }
    }

    public void onStreamEnd(Turn turn, Throwable error) {
        if (error != null && !turn.ended() && !turn.waiting()) {
            turn.abort("the stream ended: " + TuiText.describe(error), System.nanoTime());
        } else if (error == null && !turn.ended() && !turn.waiting()) {
            turn.abort("the gateway closed the stream before the task ended (follow it: codetether follow "
                    + turn.taskId() + ")", System.nanoTime());
        }
        if (s.localRoot != null && turn.state().equals("completed") && turn.contextId().equals(s.contextId)) {
            actions.loadChanges(turn.taskId(), s.localRoot);
        }
    }

    /** The message carries {@code root}'s checkout as the new conversation's workspace. */
    public void onWorkspace(Turn turn, Path root, String text) {
        s.localRoot = root;
        noteBefore(turn, text.replaceFirst("^codetether: ", ""));
    }

    /** A note placed above the turn's lines (what its task works on). */
    private void noteBefore(Turn turn, String text) {
        int at = s.entries.size();
        for (int i = s.entries.size() - 1; i >= 0; i--) {
            if (s.entries.get(i) instanceof Entry.TaskTurn(Turn t) && t == turn) {
                at = i;
                break;
            }
        }
        s.entries.add(at, new Entry.Note(text, false));
    }

    /** How this directory's tasks work, found after the first frame ({@code problem}: a worker asked for failed). */
    public void onWorkspaceMode(WorkspaceMode mode, String problem, String started) {
        s.workspaceMode = mode;
        if (problem != null) {
            s.note(problem, true);
        } else if (started != null) {
            s.note(started, false);
        }
    }

    /** The new conversation's tasks run on the worker serving the TUI's directory: its edits land in place. */
    public void onWorkerWorkspace(Turn turn, WorkspaceMode.Worker worker) {
        s.conversationCodebase = worker.served().codebaseId();
        noteBefore(turn, "worker mode: worker " + worker.served().worker() + " serves codebase "
                + worker.served().codebase() + ", which holds " + workdir + "; the task's edits land there in place (no"
                + " change to apply)");
    }

    /** The checkout could not be packed: no task was started. */
    public void onWorkspaceFailed(Turn turn, Throwable e) {
        turn.abort("the workspace could not be sent, so no task was started: " + TuiText.describe(e)
                + " (start the TUI with --no-workspace, or CODETETHER_WORKSPACE=off, to send none)", System.nanoTime());
    }

    /** An action that has no answer of its own failed (a cancel, recording the session): said in the conversation. */
    public void onFailure(String text) {
        s.note(text, true);
    }

    public void onChanges(TuiActions.Changes changes) {
        if (changes.problem() != null) {
            s.note("could not read the change of task " + TuiText.shortId(changes.taskId()) + ": " + changes.problem()
                    + " (codetether diff " + changes.taskId() + ")", true);
            return;
        }
        if (changes.offer() == null) {
            return; // the task changed no file
        }
        if (s.offer != null && s.offer.open()) { // the conversation's new diff includes the one not decided on
            s.replaceOffer(s.offer.with(ChangeOffer.State.DISCARDED, "superseded by the change of task "
                    + TuiText.shortId(changes.taskId()) + ", which includes it"));
        }
        s.offer = changes.offer();
        s.entries.add(new Entry.Change(changes.offer()));
        s.scroll = 0;
    }

    public void onApplied(TuiActions.Applied applied) {
        ChangeOffer o = s.offer;
        if (o == null || !o.taskId().equals(applied.taskId())) {
            return;
        }
        if (applied.problem() != null) {
            s.replaceOffer(o.with(ChangeOffer.State.REFUSED, applied.problem()));
            return;
        }
        s.appliedDiff = o.change().diff();
        s.replaceOffer(o.with(ChangeOffer.State.APPLIED, applied.summary()));
        s.offer = null;
        s.scroll = 0;
    }

    public void onModels(TuiActions.Models models) {
        List<Picker.Item<TuiState.ModelChoice>> items = new ArrayList<>();
        for (TuiState.ModelChoice m : models.models()) {
            items.add(new Picker.Item<>(m.label(), (m.contextWindow() > 0 ? m.contextWindow() / 1000 + "k ctx  " : "")
                    + (m.price() == null ? "unpriced" : m.price()), m.label(), m));
        }
        s.models.set(items, models.problem());
    }

    public void onSessions(TuiActions.Sessions sessions) {
        List<Picker.Item<SessionIndex.Entry>> items = new ArrayList<>();
        java.time.format.DateTimeFormatter when = java.time.format.DateTimeFormatter.ofPattern("MM-dd HH:mm")
                .withZone(java.time.ZoneId.systemDefault());
        for (SessionIndex.Entry e : sessions.sessions()) {
            items.add(new Picker.Item<>(e.title(), when.format(e.updated()) + "  " + e.turns() + " turn"
                    + (e.turns() == 1 ? "" : "s"), e.title() + " " + e.contextId(), e));
        }
        s.sessions.set(items, sessions.problem() != null ? sessions.problem()
                : items.isEmpty() ? "no sessions in this directory yet" : null);
    }

    public void onTranscript(TuiActions.Loaded loaded) {
        if (loaded.problem() != null) {
            s.note("could not load the session: " + loaded.problem(), true);
            return;
        }
        Transcript t = loaded.transcript();
        s.entries.clear();
        s.contextId = t.contextId();
        for (Transcript.Line line : t.lines()) {
            s.entries.add(line.role().equals("user") ? new Entry.User(line.text()) : new Entry.AgentText(line.text()));
        }
        s.note("resumed session " + TuiText.shortId(t.contextId()) + ": " + t.tasks().size() + " task"
                + (t.tasks().size() == 1 ? "" : "s"), false);
        if (!t.tasks().isEmpty()) {
            Turn last = new Turn(0);
            last.apply(t.tasks().get(t.tasks().size() - 1), 0);
            if (last.waiting()) {
                s.entries.add(new Entry.TaskTurn(last));
                s.running = last;
            }
        }
        s.scroll = 0;
    }
}
