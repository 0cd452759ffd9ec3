package run.codetether.cli.command;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.session.SessionIndex;

/** {@code codetether run "prompt"}: one task, streamed readably; the original's {@code run} (alias {@code send}). */
@Command(name = "run", aliases = "send", description = {"Send a prompt (a coding task) and stream the task readably.",
    "Shows the model's text, one line per tool call, the answer once and a tokens in/out, cost footer.",
    "Exit 0 completed, 1 failed/canceled, 2 waits for input (answer it with --task ID)."})
public final class RunCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "The prompt (words are joined; @path attaches a file).")
    List<String> words;

    @Option(names = {"-c", "--continue"}, description = "Continue the last session of this directory.")
    boolean continueLast;

    @Option(names = {"-s", "--session", "--context"}, paramLabel = "ID", description = "Continue this session (contextId or a unique prefix).")
    String session;

    @Option(names = "--task", paramLabel = "TASK_ID", description = "Answer this task (one waiting for input).")
    String taskId;

    @Option(names = {"-m", "--model"}, paramLabel = "[PROVIDER/]MODEL", description = "Model (default: [default] of config.toml, else the platform's).")
    String model;

    @Option(names = "--provider", description = "LLM provider (e.g. anthropic, local).")
    String provider;

    @Option(names = "--skill", description = "Skill to use (swarm, ralph, rlm).")
    String skill;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "Attach a file (repeatable).")
    List<Path> files = List.of();

    @Option(names = "--no-stream", description = "Wait for the final task (SendMessage) instead of streaming.")
    boolean noStream;

    @Option(names = "--detach", description = "Return at once with the task id (follow it later).")
    boolean detach;

    @Override
    public Integer call() throws Exception {
        root.client(); // starts the HTTP client's set-up while the message is built
        String text = String.join(" ", words);
        String context = resolveSession(session, continueLast);
        Outgoing message = new Outgoing(text).context(context).task(taskId);
        applyModel(message, provider, model);
        message.meta("skill", skill);
        for (Path f : files) {
            message.attach(f);
        }
        for (Path f : Outgoing.attachments(text, Path.of(""))) {
            message.attach(f);
        }
        return TaskStream.run(root, message, text, noStream, detach);
    }

    /** {@code --model}/{@code --provider}, else config.toml's {@code [default]}; nothing set leaves it to the platform. */
    static void applyModel(Outgoing message, String provider, String model) {
        if (provider == null && model == null) {
            CliConfig c = CliConfig.loadOrDefaults(CliConfig.defaultPath()).config();
            provider = c.provider();
            model = c.model();
        }
        message.model(provider, model);
    }

    static String resolveSession(String session, boolean continueLast) throws Exception {
        SessionIndex index = new SessionIndex(SessionIndex.defaultPath());
        if (session != null) {
            Optional<SessionIndex.Entry> e = index.find(session);
            return e.map(SessionIndex.Entry::contextId).orElse(session);
        }
        if (continueLast) {
            List<SessionIndex.Entry> here = index.list(Path.of("").toAbsolutePath().toString());
            if (here.isEmpty()) {
                throw new IllegalArgumentException("no session to continue in this directory (codetether sessions --all)");
            }
            return here.get(0).contextId();
        }
        return null;
    }
}
