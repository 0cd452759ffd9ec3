package run.codetether.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;

/** {@code codetether codebases}: the codebases your connected workers serve (GET /v1/codebases, docs/worker.md). */
@Command(name = "codebases", description = "List the codebases your connected workers serve (GET /v1/codebases).")
public final class CodebasesCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Override
    public Integer call() throws Exception {
        JsonNode body = root.client().getJson("v1/codebases");
        if (root.json()) {
            root.out().print(body.toPrettyString() + "\n");
        } else if (body.path("codebases").isEmpty()) {
            root.out().print("no codebases: start a worker with `codetether worker --server URL --codebases DIR`\n");
        } else {
            StringBuilder sb = new StringBuilder(String.format("%-24s %-20s %-16s %-12s %s%n", "NAME", "ID", "WORKER",
                    "BRANCH", "REMOTE"));
            for (JsonNode c : body.path("codebases")) {
                sb.append(String.format("%-24s %-20s %-16s %-12s %s%n", c.path("name").asText(),
                        c.path("id").asText(), c.path("worker").asText(), c.path("git_branch").asText(),
                        c.path("git_remote").asText()));
            }
            root.out().print(sb);
        }
        root.out().flush();
        return ExitCodes.OK;
    }
}
