package run.codetether.cli;

import run.codetether.cli.command.RunFastPath;

/**
 * The jar's entry point. Answers what needs no command tree before any of it is loaded: {@code --version} (which
 * otherwise builds picocli's model, converters and all), the TUI ({@link TuiFastPath}), {@code run}'s everyday
 * command lines ({@link RunFastPath}), the launcher's hidden AOT
 * training run and its hidden {@code __run-config} (run's config cache kept after a build); everything else goes to the picocli tree ({@link CodetetherCli}).
 */
public final class Main {
    /** When the JVM reached main (start-up traces measure from here). */
    public static final long STARTED = System.nanoTime();

    private Main() {}

    public static void main(String[] args) throws Exception {
        StartupTrace.mark("main");
        if (args.length >= 1 && args[0].equals(AotTraining.COMMAND)) {
            AotTraining.run(args.length > 1 ? args[1] : AotTraining.ALL);
            return;
        }
        if (args.length == 1 && args[0].equals(run.codetether.cli.command.RunConfigCache.COMMAND)) {
            run.codetether.cli.command.RunConfigCache.keep();
            return;
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println(BuildInfo.line());
            return;
        }
        Integer fast = TuiFastPath.launch(args);
        if (fast == null) {
            fast = RunFastPath.launch(args);
        }
        int exit = fast != null ? fast : CodetetherCli.commandLine(args).execute(args);
        run.codetether.cli.a2a.LauncherRequest.reportUnclaimed(System.err);
        System.exit(exit);
    }
}
