package run.codetether.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "card", description = "Show the gateway's agent card.")
final class CardCommand implements Callable<Integer> {
    @ParentCommand CodetetherCli root;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        spec.commandLine().getOut().println(root.client().getJson(".well-known/agent-card.json").toPrettyString());
        return 0;
    }
}
