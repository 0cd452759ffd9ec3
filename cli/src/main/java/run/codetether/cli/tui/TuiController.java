package run.codetether.cli.tui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.session.SessionIndex;
import run.codetether.cli.session.Transcript;
import run.codetether.cli.turn.InputRequest;
import run.codetether.cli.turn.Turn;
import run.codetether.platform.json.Json;

/**
 * The TUI's behaviour: keys and slash commands change {@link TuiState} and ask {@link TuiActions} for I/O; stream
 * events and loaded data come back through the {@code on*} methods. Runs on the UI thread only; no terminal needed,
 * so tests drive it with keys and check the state (and the rendered screen).
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
            note("config.toml not read, defaults used: " + loaded.problem(), true);
        } else if (changed && !before.equals(s.theme.name())) {
            notice("theme " + s.theme.name() + " (config.toml changed)", 0);
        }
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
            notice("canceling task " + shortId(t.taskId()) + "… Ctrl+C again to quit", now);
        } else {
            notice("press Ctrl+C again to quit", now);
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
            notice(String.join("  ", matches), 0);
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
                    notice("no model matches; type provider/model to use one the catalog does not list", 0);
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
        note("model set to " + m.label(), false);
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
            notice("a task is running: wait for it, or Ctrl+C to cancel it", now);
            return;
        }
        s.input.take();
        Outgoing message = new Outgoing(text);
        try {
            for (Path p : Outgoing.attachments(text, workdir)) {
                message.attach(p);
            }
        } catch (java.io.IOException e) {
            note(e.getMessage(), true);
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
            case "d" -> replaceOffer(o.toggleDiff());
            case "n", "Esc" -> {
                replaceOffer(o.with(ChangeOffer.State.DISCARDED, (k.equals("Esc") ? "closed, " : "") + "not applied "
                        + "(later: codetether apply " + o.taskId() + " in " + o.root() + ")"));
                s.offer = null;
            }
            default -> {
                replaceOffer(o.with(ChangeOffer.State.APPLYING, "applying…"));
                actions.applyChange(o, s.appliedDiff);
            }
        }
        s.scroll = 0;
    }

    /** Entries are cached by identity: a changed offer is a new entry in the old one's place. */
    private void replaceOffer(ChangeOffer next) {
        for (int i = s.entries.size() - 1; i >= 0; i--) {
            if (s.entries.get(i) instanceof Entry.Change(ChangeOffer o) && o.taskId().equals(next.taskId())) {
                s.entries.set(i, new Entry.Change(next));
                break;
            }
        }
        if (s.offer != null && s.offer.taskId().equals(next.taskId())) {
            s.offer = next;
        }
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
        s.sessionTitle = title == null ? shortId(idOrPrefix) : title;
        note("resuming session " + shortId(idOrPrefix) + "…", false);
        actions.loadTranscript(idOrPrefix);
    }

    // ---- callbacks (UI thread)

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
            turn.abort("the stream ended: " + describe(error), System.nanoTime());
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
            note(problem, true);
        } else if (started != null) {
            note(started, false);
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
        turn.abort("the workspace could not be sent, so no task was started: " + describe(e)
                + " (start the TUI with --no-workspace, or CODETETHER_WORKSPACE=off, to send none)", System.nanoTime());
    }

    public void onChanges(TuiActions.Changes changes) {
        if (changes.problem() != null) {
            note("could not read the change of task " + shortId(changes.taskId()) + ": " + changes.problem()
                    + " (codetether diff " + changes.taskId() + ")", true);
            return;
        }
        if (changes.offer() == null) {
            return; // the task changed no file
        }
        if (s.offer != null && s.offer.open()) { // the conversation's new diff includes the one not decided on
            replaceOffer(s.offer.with(ChangeOffer.State.DISCARDED, "superseded by the change of task "
                    + shortId(changes.taskId()) + ", which includes it"));
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
            replaceOffer(o.with(ChangeOffer.State.REFUSED, applied.problem()));
            return;
        }
        s.appliedDiff = o.change().diff();
        replaceOffer(o.with(ChangeOffer.State.APPLIED, applied.summary()));
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
            note("could not load the session: " + loaded.problem(), true);
            return;
        }
        Transcript t = loaded.transcript();
        s.entries.clear();
        s.contextId = t.contextId();
        for (Transcript.Line line : t.lines()) {
            s.entries.add(line.role().equals("user") ? new Entry.User(line.text()) : new Entry.AgentText(line.text()));
        }
        note("resumed session " + shortId(t.contextId()) + ": " + t.tasks().size() + " task"
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

    // ---- helpers

    void note(String text, boolean error) {
        s.entries.add(new Entry.Note(text, error));
        s.scroll = 0;
    }

    void notice(String text, long now) {
        s.notice = text;
        s.noticeAt = now;
    }

    static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    static String describe(Throwable e) {
        if (e instanceof java.net.ConnectException) {
            return "cannot reach the gateway";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Titles as the session index makes them. */
    static final class SessionIndexTitle {
        static String of(String text) {
            String t = text.strip().replaceAll("\\s+", " ");
            return t.length() > 40 ? t.substring(0, 39) + "…" : t;
        }
    }
}
