package run.codetether.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.tui.TuiApp;
import run.codetether.contracts.approval.AccessMode;

/** {@code codetether tui [PROJECT]}: the interactive terminal UI. */
@Command(name = "tui", description = "Start the interactive terminal UI (also: codetether with no command, on a terminal).")
public final class TuiCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Parameters(arity = "0..1", paramLabel = "PROJECT", description = "Project directory (default: the current one).")
    Path project;

    @Option(names = {"-s", "--session"}, paramLabel = "ID", description = "Resume this session.")
    String session;

    @Option(names = {"-m", "--model"}, paramLabel = "[PROVIDER/]MODEL", description = "Model for this run.")
    String model;

    @Option(names = "--no-workspace", description = {"Send no workspace: by default a new conversation's first task "
        + "carries the git checkout the TUI works in (as `run` sends it), or the plain directory as a .tar.gz (its "
        + ".gitignore rules apply), and a task's change is offered to apply.",
        "CODETETHER_WORKSPACE=off does the same."})
    boolean noWorkspace;

    @Option(names = "--worker", description = {"Worker mode: when no worker of yours serves the directory, start one "
        + "for it (`codetether worker`, as a child process stopped when the TUI quits), so tasks run here and their "
        + "edits land in place. A worker already serving the directory is used without this flag.",
        "--access full|approve|ask sets its --auto-approve all|safe|none."})
    boolean worker;

    @Option(names = "--access", paramLabel = "full|approve|ask", description = {"What the tasks may do without asking "
        + "(default: [agent] access_mode of config.toml, else the platform's: full).",
        "approve / ask: a call that changes files or runs a command waits for y / n / a in the chat."})
    String access;

    @Override
    public Integer call() throws Exception {
        if (project != null && !Files.isDirectory(project)) {
            throw new IllegalArgumentException(project + " is not a directory");
        }
        if (worker && noWorkspace) {
            throw new IllegalArgumentException("--worker and --no-workspace contradict each other; give one");
        }
        TuiApp app = new TuiApp(CliConfig.defaultPath()).noWorkspace(noWorkspace)
                .accessMode(access == null ? null : AccessMode.parse(access).wire()).worker(worker, root.apiKey());
        return launch(app, root, session, model, project);
    }

    /** Starts the TUI in {@code project} (null: the current directory). */
    public Integer launch(CodetetherCli root, String session, String model, Path project) throws Exception {
        return launch(new TuiApp(CliConfig.defaultPath()), root, session, model, project);
    }

    private static Integer launch(TuiApp app, CodetetherCli root, String session, String model, Path project)
            throws Exception {
        if (!run.codetether.cli.Tty.interactive()) {
            root.err().println("codetether: the TUI needs a terminal; use `codetether run \"prompt\"` in scripts");
            return ExitCodes.USAGE;
        }
        Path dir = (project == null ? Path.of("") : project).toAbsolutePath().normalize();
        return app.run(root::client, root.gatewayUrl(), session, null, model, dir);
    }
}
