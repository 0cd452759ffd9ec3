package run.codetether.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import run.codetether.cli.command.CardCommand;
import run.codetether.cli.command.ChangesCommands;
import run.codetether.cli.command.CodebasesCommand;
import run.codetether.cli.command.ConfigCommand;
import run.codetether.cli.command.ModelsCommand;
import run.codetether.cli.command.RalphCommand;
import run.codetether.cli.command.RlmCommand;
import run.codetether.cli.command.RunCommand;
import run.codetether.cli.command.SessionsCommand;
import run.codetether.cli.command.StatsCommand;
import run.codetether.cli.command.SwarmCommand;
import run.codetether.cli.command.TaskCommands;
import run.codetether.cli.command.TuiCommand;
import run.codetether.cli.config.CliConfig;

/**
 * {@code codetether}: one picocli tree, an A2A client of the gateway only (it never reaches a worker service).
 * Without a command it opens the TUI on a terminal and prints help elsewhere. Commands that arrive with other
 * features ({@code worker}, {@code mcp serve|list-tools}, {@code apply}, {@code codebases}) are added to
 * {@link #SUBCOMMANDS} by their owners; none is registered before it works.
 */
@Command(name = "codetether", mixinStandardHelpOptions = true, versionProvider = BuildInfo.class,
        description = "CodeTether: an AI coding agent platform in your terminal. Without a command: the TUI.")
public final class CodetetherCli extends GlobalOptions implements Callable<Integer> {
    /**
     * The command tree, in help order. Registered lazily: a command line that names one command builds only that
     * one (picocli reflects over every registered class, which costs start-up time); help and errors get all.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, TuiCommand.class, SwarmCommand.class,
            RalphCommand.class, RlmCommand.class, ModelsCommand.class, StatsCommand.class, ConfigCommand.class,
            SessionsCommand.class, AuthCommand.class, TaskCommands.Get.class, TaskCommands.ListTasks.class,
            TaskCommands.Cancel.class, TaskCommands.Follow.class, ChangesCommands.Diff.class, ChangesCommands.Apply.class,
            CardCommand.class, run.codetether.cli.worker.WorkerCommand.class, CodebasesCommand.class,
            run.codetether.cli.mcp.McpCommand.class, CommandLine.HelpCommand.class);
    private static final java.util.Set<String> VALUED_OPTIONS = java.util.Set.of("--url", "--api-key");

    @Spec
    CommandSpec spec;

    public static void main(String[] args) throws Exception {
        Integer tui = TuiFastPath.launch(args);
        System.exit(tui != null ? tui : commandLine(args).execute(args));
    }

    /** The whole tree (tests, help). */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /** The tree with only the command {@code args} name, when they name exactly one known command. */
    public static CommandLine commandLine(String[] args) {
        CodetetherCli root = new CodetetherCli();
        CommandLine cli = new CommandLine(root);
        // --version --json: the build as JSON (options are parsed before picocli prints the version)
        cli.getCommandSpec().versionProvider(() -> new String[] {root.json()
                ? BuildInfo.json().replace("%", "%%") : BuildInfo.line().replace("%", "%%")});
        Class<?> only = args.length == 0 && Tty.interactive() ? TuiCommand.class : named(args);
        boolean versionOnly = only == null && List.of(args).stream().anyMatch(a -> a.equals("-V") || a.equals("--version"))
                && List.of(args).stream().noneMatch(a -> !a.startsWith("-") && !VALUED_OPTIONS.contains(a));
        for (Class<?> c : SUBCOMMANDS) {
            if (!versionOnly && (only == null || c == only)) {
                cli.addSubcommand(c);
            }
        }
        cli.setParameterExceptionHandler((e, unused) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("codetether: " + e.getMessage());
            c.getErr().println("see: " + c.getCommandSpec().qualifiedName() + " --help");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler(new Failures());
        return cli;
    }

    private static Class<?> named(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED_OPTIONS.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                for (Class<?> c : SUBCOMMANDS) {
                    Command command = c.getAnnotation(Command.class);
                    if (command.name().equals(a) || List.of(command.aliases()).contains(a)) {
                        return c == CommandLine.HelpCommand.class ? null : c;
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** Bare {@code codetether}: the TUI on a terminal, help otherwise. */
    @Override
    public Integer call() throws Exception {
        if (Tty.interactive()) {
            return new TuiCommand().launch(this, null, null, null);
        }
        spec.commandLine().usage(out());
        return ExitCodes.USAGE;
    }

    @Override
    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Override
    public PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
