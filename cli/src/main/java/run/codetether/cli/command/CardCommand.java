package run.codetether.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;

/** {@code codetether card}: the gateway's agent card (always JSON). */
@Command(name = "card", description = "Show the gateway's agent card (JSON).")
public final class CardCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Override
    public Integer call() throws Exception {
        root.out().println(root.client().getJson(".well-known/agent-card.json").toPrettyString());
        return ExitCodes.OK;
    }
}
