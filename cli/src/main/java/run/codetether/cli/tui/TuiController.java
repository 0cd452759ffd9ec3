package run.codetether.cli.tui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.session.SessionIndex;
import run.codetether.cli.turn.InputRequest;
import run.codetether.cli.turn.Turn;
import run.codetether.platform.json.Json;

/**
 * The TUI's keyboard side: keys and slash commands change {@link TuiState} and ask {@link TuiActions} for I/O (a
 * task, a cancel, a change applied, the pickers' lists); what comes back goes to {@link TuiUpdates}. Runs on the UI
 * thread only; no terminal needed, so tests drive it with keys and check the state (and the rendered screen).
 */
public final class TuiController {
    /** Two Ctrl+C within this window quit. */
    static final long QUIT_WINDOW_NANOS = 3_000_000_000L;

    private final TuiState s;
    private final TuiActions actions;
    private final Path workdir;
    private final SlashCommands slash;
    private long lastNow = System.nanoTime();

    public TuiController(TuiState state, TuiActions actions, Path workdir) {
        this.s = state;
        this.actions = actions;
        this.workdir = workdir;
        this.slash = new SlashCommands(state, actions, this);
    }

    public TuiState state() {
        return s;
    }

    // ---- keys

    public void onKey(Key key, long now) {
        lastNow = now;
        String k = key.name();
        if (k.equals("C-c")) {
            ctrlC(now);
            return;
        }
        if (k.equals("C-q")) {
            s.quit = true;
            return;
        }
        s.ctrlCAt = Long.MIN_VALUE;
        if (s.help) {
            if (k.equals("Esc") || k.equals("?") || k.equals("q") || k.equals("F1")) {
                s.help = false;
            }
            return;
        }
        switch (s.mode) {
            case MODEL_PICKER -> modelPickerKey(k, key);
            case SESSION_PICKER -> sessionPickerKey(k, key);
            case SWARM, RALPH -> viewKey(k);
            default -> chatKey(k, key, now);
        }
    }

    private void ctrlC(long now) {
        Turn t = s.running;
        boolean again = s.ctrlCAt != Long.MIN_VALUE && now - s.ctrlCAt < QUIT_WINDOW_NANOS;
        if (again) {
            s.quit = true;
            return;
        }
        s.ctrlCAt = now;
        if (t != null && !t.ended() && !t.taskId().isEmpty()) {
            actions.cancel(t.taskId());
            s.notice("canceling task " + TuiText.shortId(t.taskId()) + "… Ctrl+C again to quit", now);
        } else {
            s.notice("press Ctrl+C again to quit", now);
        }
    }

    private void chatKey(String k, Key key, long now) {
        InputRequest request = s.running == null ? null : s.running.request();
        if (request instanceof InputRequest.Approval && s.input.isEmpty() && (k.equals("y") || k.equals("n") || k.equals("a"))) {
            approve(k.equals("y") ? "approve" : k.equals("n") ? "deny" : "approve_all");
            return;
        }
        if (s.offer != null && s.offer.open() && (k.equals("Esc")
                || s.input.isEmpty() && (k.equals("a") || k.equals("d") || k.equals("n")))) {
            offerKey(k);
            return;
        }
        switch (k) {
            case "Enter" -> submit(now);
            case "C-m" -> openModels();
            case "F2", "C-s" -> s.mode = TuiState.Mode.SWARM;
            case "F3" -> s.inspector = !s.inspector;
            case "C-b" -> s.layout = s.layout == TuiState.Layout.CLASSIC ? TuiState.Layout.WEBVIEW : TuiState.Layout.CLASSIC;
            case "C-o" -> s.expandTools = !s.expandTools;
            case "F1" -> s.help = true;
            case "M-j", "Down" -> scroll(-1);
            case "M-k", "Up" -> scroll(1);
            case "M-d" -> scroll(-5);
            case "M-u" -> scroll(5);
            case "PageUp" -> scroll(10);
            case "PageDown" -> scroll(-10);
            case "C-g" -> s.scroll = Integer.MAX_VALUE / 2;
            case "C-G", "End" -> {
                if (s.input.isEmpty()) {
                    s.scroll = 0;
                } else {
                    s.input.end();
                }
            }
            case "C-Up" -> s.input.history(-1);
            case "C-Down" -> s.input.history(1);
            case "Backspace" -> s.input.backspace();
            case "Delete" -> s.input.delete();
            case "Left" -> s.input.left();
            case "Right" -> s.input.right();
            case "Home", "C-a" -> s.input.home();
            case "C-e" -> s.input.end();
            case "C-u" -> s.input.clear();
            case "C-w" -> s.input.deleteWord();
            case "Tab" -> complete();
            case "Esc" -> s.notice = "";
            default -> {
                if (k.equals("?") && s.input.isEmpty()) {
                    s.help = true;
                } else if (key.printable()) {
                    s.input.insert(k);
                }
            }
        }
    }

    private void scroll(int lines) {
        if (s.scroll >= Integer.MAX_VALUE / 4) {
            s.scroll = s.lastMaxScroll;
        }
        s.scroll = Math.max(0, Math.min(s.lastMaxScroll, s.scroll + lines));
    }

    private void complete() {
        String text = s.input.text();
        if (!text.startsWith("/") || text.contains(" ")) {
            return;
        }
        List<String> matches = SlashCommands.ALL.stream().filter(c -> c.startsWith(text)).toList();
        if (matches.size() == 1) {
            s.input.clear();
            s.input.insert(matches.get(0) + " ");
        } else if (!matches.isEmpty()) {
            s.notice(String.join("  ", matches), 0);
        }
    }

    private void modelPickerKey(String k, Key key) {
        switch (k) {
            case "Esc" -> s.mode = TuiState.Mode.CHAT;
            case "Up", "C-p" -> s.models.move(-1);
            case "Down", "C-n" -> s.models.move(1);
            case "Backspace" -> s.models.backspace();
            case "Enter" -> {
                Picker.Item<TuiState.ModelChoice> item = s.models.current();
                String typed = s.models.filter().strip();
                if (item != null) {
                    chooseModel(item.value());
                } else if (typed.contains("/")) {
                    int slash = typed.indexOf('/');
                    chooseModel(new TuiState.ModelChoice(typed.substring(0, slash), typed.substring(slash + 1), 0, null));
                } else {
                    s.notice("no model matches; type provider/model to use one the catalog does not list", 0);
                }
            }
            default -> {
                if (key.printable()) {
                    s.models.type(k);
                }
            }
        }
    }

    void chooseModel(TuiState.ModelChoice m) {
        s.provider = m.provider();
        s.model = m.model();
        s.mode = TuiState.Mode.CHAT;
        s.note("model set to " + m.label(), false);
    }

    private void sessionPickerKey(String k, Key key) {
        switch (k) {
            case "Esc" -> s.mode = TuiState.Mode.CHAT;
            case "Up", "k", "C-p" -> s.sessions.move(-1);
            case "Down", "j", "C-n" -> s.sessions.move(1);
            case "Enter" -> {
                Picker.Item<SessionIndex.Entry> item = s.sessions.current();
                if (item != null) {
                    resume(item.value().contextId(), item.value().title());
                }
            }
            default -> { }
        }
    }

    private void viewKey(String k) {
        boolean swarm = s.mode == TuiState.Mode.SWARM;
        Turn t = s.lastTurn(swarm);
        int n = t == null ? 0 : swarm ? t.swarm().agents().size() : t.ralph().stories().size();
        switch (k) {
            case "Esc" -> {
                if (swarm && s.swarmDetail) {
                    s.swarmDetail = false;
                } else if (!swarm && s.ralphDetail) {
                    s.ralphDetail = false;
                } else {
                    s.mode = TuiState.Mode.CHAT;
                }
            }
            case "F2", "C-s" -> s.mode = TuiState.Mode.CHAT;
            case "Tab", "Down", "j" -> select(swarm, n, 1);
            case "S-Tab", "Up", "k" -> select(swarm, n, -1);
            case "Enter" -> {
                if (swarm) {
                    s.swarmDetail = true;
                } else {
                    s.ralphDetail = true;
                }
            }
            case "?", "F1" -> s.help = true;
            case "C-b" -> s.layout = s.layout == TuiState.Layout.CLASSIC ? TuiState.Layout.WEBVIEW : TuiState.Layout.CLASSIC;
            default -> { }
        }
    }

    private void select(boolean swarm, int n, int delta) {
        if (n == 0) {
            return;
        }
        if (swarm) {
            s.swarmSelected = Math.floorMod(s.swarmSelected + delta, n);
        } else {
            s.ralphSelected = Math.floorMod(s.ralphSelected + delta, n);
        }
    }

    // ---- prompts and slash commands

    private void submit(long now) {
        String text = s.input.text().strip();
        if (text.isEmpty()) {
            return;
        }
        if (text.startsWith("/")) {
            s.input.take();
            slash.run(text);
            return;
        }
        Turn t = s.running;
        if (t != null && !t.ended() && !t.waiting()) {
            s.notice("a task is running: wait for it, or Ctrl+C to cancel it", now);
            return;
        }
        s.input.take();
        Outgoing message = new Outgoing(text);
        try {
            for (Path p : Outgoing.attachments(text, workdir)) {
                message.attach(p);
            }
        } catch (java.io.IOException e) {
            s.note(e.getMessage(), true);
            return;
        }
        if (t != null && t.waiting()) {
            message.task(t.taskId());
        }
        startTask(message, text, null);
    }

    void startTask(Outgoing message, String text, String skill) {
        boolean continuing = s.running != null && s.running.waiting(); // an answer to the task that waits
        message.context(s.contextId).model(s.provider, s.model).meta("skill", skill)
                .meta(run.codetether.contracts.a2a.MetadataKeys.ACCESS_MODE, s.accessMode);
        // a new conversation works on the directory the TUI started in; a later task of it on that workspace as it is
        Path workspace = null;
        if (s.contextId == null) {
            forgetWorkspace();
            workspace = s.workspaceOff ? null : workdir;
        } else if (s.conversationCodebase != null && !continuing && !"swarm".equals(skill) && !"rlm".equals(skill)) {
            // the gateway binds each new task to the worker's codebase; without it the task would run elsewhere
            message.messageMeta(run.codetether.contracts.a2a.MetadataKeys.WORKSPACE,
                    java.util.Map.of(run.codetether.contracts.workspace.CodebaseRef.KEY, s.conversationCodebase));
        }
        Turn turn = new Turn(lastNow);
        s.entries.add(new Entry.User(text));
        s.entries.add(new Entry.TaskTurn(turn));
        s.running = turn;
        s.scroll = 0;
        if (s.contextId == null) {
            s.sessionTitle = SessionIndexTitle.of(text);
        }
        actions.send(message, turn, workspace, skill);
    }

    /** The next conversation starts from the directory again (/new, /resume). */
    void forgetWorkspace() {
        s.localRoot = null;
        s.conversationCodebase = null;
        s.appliedDiff = null;
        s.offer = null;
    }

    private void offerKey(String k) {
        ChangeOffer o = s.offer;
        switch (k) {
            case "d" -> s.replaceOffer(o.toggleDiff());
            case "n", "Esc" -> {
                s.replaceOffer(o.with(ChangeOffer.State.DISCARDED, (k.equals("Esc") ? "closed, " : "") + "not applied "
                        + "(later: codetether apply " + o.taskId() + " in " + o.root() + ")"));
                s.offer = null;
            }
            default -> {
                s.replaceOffer(o.with(ChangeOffer.State.APPLYING, "applying…"));
                actions.applyChange(o, s.appliedDiff);
            }
        }
        s.scroll = 0;
    }

    private void approve(String decision) {
        Turn t = s.running;
        InputRequest.Approval a = (InputRequest.Approval) t.request();
        ObjectNode data = Json.mapper().createObjectNode();
        data.putObject("approval").put("call_id", a.callId()).put("decision", decision);
        Outgoing message = new Outgoing(decision.replace('_', ' ')).task(t.taskId()).data(data);
        startTask(message, decision.replace('_', ' ') + " " + a.tool(), null);
    }

    void openModels() {
        s.mode = TuiState.Mode.MODEL_PICKER;
        s.models.loading();
        actions.loadModels();
    }

    void openSessions() {
        s.mode = TuiState.Mode.SESSION_PICKER;
        s.sessions.loading();
        actions.loadSessions();
    }

    void resume(String idOrPrefix, String title) {
        forgetWorkspace();
        if (s.workspaceMode instanceof WorkspaceMode.Worker w) { // its next tasks run on the worker, like a new one's
            s.conversationCodebase = w.served().codebaseId();
        }
        s.mode = TuiState.Mode.CHAT;
        s.entries.clear();
        s.running = null;
        s.contextId = idOrPrefix;
        s.sessionTitle = title == null ? TuiText.shortId(idOrPrefix) : title;
        s.note("resuming session " + TuiText.shortId(idOrPrefix) + "…", false);
        actions.loadTranscript(idOrPrefix);
    }

    // ---- helpers

    /** Titles as the session index makes them. */
    static final class SessionIndexTitle {
        static String of(String text) {
            String t = text.strip().replaceAll("\\s+", " ");
            return t.length() > 40 ? t.substring(0, 39) + "…" : t;
        }
    }
}
