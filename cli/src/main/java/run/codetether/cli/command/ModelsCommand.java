package run.codetether.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.render.Tables;

/** {@code codetether models}: the gateway's model catalog with context sizes and prices. */
@Command(name = "models", description = "List the models the platform offers, with context size and price (GET /v1/models).")
public final class ModelsCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Option(names = {"-p", "--provider"}, description = "Only this provider.")
    String provider;

    @Override
    public Integer call() throws Exception {
        JsonNode body = root.client().getJson("v1/models");
        root.out().print(root.json() ? body.toPrettyString() + "\n" : Tables.models(body, provider, root.ansi()));
        root.out().flush();
        return ExitCodes.OK;
    }
}
