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

    @Override
    public Integer call() throws Exception {
        if (project != null && !Files.isDirectory(project)) {
            throw new IllegalArgumentException(project + " is not a directory");
        }
        return launch(root, session, model, project);
    }

    /** Starts the TUI in {@code project} (null: the current directory). */
    public Integer launch(CodetetherCli root, String session, String model, Path project) throws Exception {
        if (!run.codetether.cli.Tty.interactive()) {
            root.err().println("codetether: the TUI needs a terminal; use `codetether run \"prompt\"` in scripts");
            return ExitCodes.USAGE;
        }
        Path dir = (project == null ? Path.of("") : project).toAbsolutePath().normalize();
        return new TuiApp(CliConfig.defaultPath()).run(root::client, root.gatewayUrl(), session, null, model, dir);
    }
}
