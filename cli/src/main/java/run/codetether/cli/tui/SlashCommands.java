package run.codetether.cli.tui;

import java.util.List;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.config.CliConfig;

/** The TUI's slash commands (the original's set, plus /theme, /help and /quit). UI thread only. */
final class SlashCommands {
    static final List<String> ALL = List.of("/swarm", "/ralph", "/model", "/sessions", "/resume", "/new", "/webview",
            "/classic", "/inspector", "/refresh", "/view", "/theme", "/help", "/quit");

    private final TuiState s;
    private final TuiActions actions;
    private final TuiController c;

    SlashCommands(TuiState state, TuiActions actions, TuiController controller) {
        this.s = state;
        this.actions = actions;
        this.c = controller;
    }

    void run(String line) {
        String cmd = line.split("\\s+", 2)[0];
        String arg = line.length() > cmd.length() ? line.substring(cmd.length()).strip() : "";
        switch (cmd) {
            case "/swarm" -> {
                if (arg.isEmpty()) {
                    s.mode = TuiState.Mode.SWARM;
                } else {
                    c.startTask(new Outgoing(arg).meta("strategy", "auto"), "/swarm " + arg, "swarm");
                    s.mode = TuiState.Mode.SWARM;
                    s.swarmSelected = 0;
                }
            }
            case "/ralph" -> {
                if (arg.equals("view") || arg.equals("status")) {
                    s.mode = TuiState.Mode.RALPH;
                } else {
                    String prd = arg.isEmpty() ? "prd.json" : arg;
                    c.startTask(new Outgoing("Run Ralph on " + prd).meta("prd_path", prd), "/ralph " + prd, "ralph");
                    s.mode = TuiState.Mode.RALPH;
                    s.ralphSelected = 0;
                }
            }
            case "/model" -> {
                if (arg.isEmpty()) {
                    c.openModels();
                } else {
                    int slash = arg.indexOf('/');
                    c.chooseModel(slash > 0 ? new TuiState.ModelChoice(arg.substring(0, slash), arg.substring(slash + 1), 0, null)
                            : new TuiState.ModelChoice(s.provider, arg, 0, null));
                }
            }
            case "/sessions" -> c.openSessions();
            case "/resume" -> {
                if (arg.isEmpty()) {
                    c.openSessions();
                } else {
                    c.resume(arg, null);
                }
            }
            case "/new" -> {
                s.entries.clear();
                s.contextId = null;
                s.running = null;
                s.sessionTitle = "new session";
                s.sessionUsage = null;
                c.forgetWorkspace();
                s.note("new session started; the previous one stays in /sessions", false);
            }
            case "/webview" -> {
                s.layout = TuiState.Layout.WEBVIEW;
                s.note("webview layout (sessions, chat, inspector); /classic returns to one pane", false);
            }
            case "/classic" -> {
                s.layout = TuiState.Layout.CLASSIC;
                s.note("classic layout; /webview for panes", false);
            }
            case "/inspector" -> {
                s.inspector = !s.inspector;
                s.note("inspector " + (s.inspector ? "on" : "off") + " (F3)", false);
            }
            case "/refresh" -> {
                actions.loadSessions();
                s.note("refreshed the session list", false);
            }
            case "/view" -> s.mode = s.mode == TuiState.Mode.CHAT ? TuiState.Mode.SWARM : TuiState.Mode.CHAT;
            case "/theme" -> {
                if (CliConfig.THEMES.contains(arg)) {
                    s.theme = Theme.named(arg);
                    s.note("theme " + arg + " for this run (set it for good: codetether config set ui.theme " + arg + ")", false);
                } else {
                    s.note("themes: " + String.join(", ", CliConfig.THEMES), false);
                }
            }
            case "/help" -> s.help = true;
            case "/quit", "/exit" -> s.quit = true;
            default -> s.note("unknown command " + cmd + "; commands: " + String.join(" ", ALL), true);
        }
    }
}
