package run.codetether.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.a2a.Outgoing;

/** {@code codetether swarm "task"}: parallel sub-agents (the gateway's swarm skill). */
@Command(name = "swarm", description = "Run a task with parallel sub-agents: decomposed, fanned out, aggregated.")
public final class SwarmCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Parameters(paramLabel = "TASK", arity = "1..*", description = "The task.")
    java.util.List<String> words;

    @Option(names = {"-s", "--strategy"}, defaultValue = "auto", paramLabel = "auto|domain|data|stage|none",
            description = "Decomposition strategy (default ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = {"--max-concurrency", "--max-subagents"}, paramLabel = "N",
            description = "Sub-agents running at once, 1..256 (default: the platform's).")
    Integer maxConcurrency;

    @Option(names = {"-m", "--model"}, paramLabel = "[PROVIDER/]MODEL", description = "Model for the sub-agents.")
    String model;

    @Option(names = "--provider", description = "LLM provider.")
    String provider;

    @Option(names = "--detach", description = "Return at once with the task id.")
    boolean detach;

    @Override
    public Integer call() throws Exception {
        if (!java.util.List.of("auto", "domain", "data", "stage", "none").contains(strategy)) {
            throw new IllegalArgumentException("--strategy is one of auto, domain, data, stage, none; not '" + strategy + "'");
        }
        if (maxConcurrency != null && (maxConcurrency < 1 || maxConcurrency > 256)) {
            throw new IllegalArgumentException("--max-concurrency must be within 1..256");
        }
        String text = String.join(" ", words);
        Outgoing message = new Outgoing(text).meta("skill", "swarm").meta("strategy", strategy);
        // snake_case is the documented key; gateways before it read the camelCase alias
        message.meta("max_concurrency", maxConcurrency).meta("maxConcurrency", maxConcurrency);
        RunCommand.applyModel(message, provider, model);
        return TaskStream.run(root, message, text, false, detach);
    }
}
