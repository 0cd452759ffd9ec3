package run.codetether.cli;

import java.io.PrintWriter;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.render.Ansi;

/**
 * What a task-running command needs from the command line's global options: the gateway client, where output goes
 * and how it looks. {@link CodetetherCli} is the picocli tree's; {@link run.codetether.cli.command.RunFastPath} has
 * one without picocli, so that {@code run} reaches its first request without building picocli's model.
 */
public interface CommandContext {
    A2aClient client();

    String gatewayUrl();

    boolean json();

    /** {@code --no-color}. */
    boolean noColor();

    /** Output goes to a terminal (never with {@code --json}). */
    default boolean tty() {
        return !json() && Tty.stdoutIsTerminal();
    }

    /** Colours only on a terminal, and never with {@code --json} or {@code --no-color}. */
    default Ansi ansi() {
        return noColor() || json() ? new Ansi(false) : Ansi.forTerminal(tty());
    }

    PrintWriter out();

    PrintWriter err();
}
