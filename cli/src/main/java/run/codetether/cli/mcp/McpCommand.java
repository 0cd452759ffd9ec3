package run.codetether.cli.mcp;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;

/** {@code codetether mcp}: the platform over MCP on stdio ({@code serve}) and the agents' MCP tools ({@code list-tools}). */
@Command(name = "mcp", description = "MCP: serve the platform's tools over stdio, list the MCP tools agents see (docs/mcp.md).",
        subcommands = {McpServeCommand.class, McpListToolsCommand.class})
public final class McpCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Spec
    CommandSpec spec;

    CodetetherCli root() {
        return root;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(root.err());
        return ExitCodes.USAGE;
    }
}
