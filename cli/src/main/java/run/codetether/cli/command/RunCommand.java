package run.codetether.cli.command;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.CommandContext;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.session.SessionIndex;
import run.codetether.cli.workspace.ChangesApplier;
import run.codetether.cli.workspace.CheckoutArchive;
import run.codetether.contracts.a2a.MetadataKeys;

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

    @Option(names = "--repo", paramLabel = "GIT_URL[@REF]", description = "Work on a clone of this git remote (tools-service clones it; credentials per host: `auth add git:<host>`).")
    String repo;

    @Option(names = "--ref", paramLabel = "REF", description = "Branch, tag or commit of --repo (default: the remote's HEAD).")
    String ref;

    @Option(names = "--push", paramLabel = "BRANCH", description = "Push the change to this branch of --repo when the task completes (codetether/<name>).")
    String push;

    @Option(names = "--workspace", paramLabel = "DIR", description = {"Send DIR as the task's workspace: a git checkout as a bundle (HEAD plus uncommitted and untracked files), any other directory as a .tar.gz.",
        "Default: the git checkout the run starts in, for a new conversation (CODETETHER_WORKSPACE=off or --no-workspace to send nothing)."})
    Path workspaceDir;

    @Option(names = "--no-workspace", description = "Send no workspace, even inside a git checkout.")
    boolean noWorkspace;

    @Option(names = "--access", paramLabel = "full|approve|ask", description = {"What the task may do without asking "
        + "(default: [agent] access_mode of config.toml, else the platform's: full).",
        "approve / ask: a call that changes files or runs a command waits (exit 2); answer with --task ID and an approval."})
    String access;

    @Option(names = "--apply", description = "When the task completes, apply its change to the local checkout (git apply, checked first; nothing changes when it does not apply).")
    boolean apply;

    @Override
    public Integer call() throws Exception {
        return execute(root);
    }

    /** The command with the global options of {@code root} (picocli's tree, or {@link RunFastPath}'s). */
    Integer execute(CommandContext root) throws Exception {
        try {
            return send(root);
        } finally {
            RunConfigCache.keep();
        }
    }

    private Integer send(CommandContext root) throws Exception {
        root.client(); // starts the HTTP client's set-up while the message is built
        run.codetether.cli.StartupTrace.mark("run client started");
        String text = String.join(" ", words);
        String context = resolveSession(session, continueLast);
        run.codetether.cli.StartupTrace.mark("run session resolved");
        Outgoing message = new Outgoing(text).context(context).task(taskId);
        applyModel(message, provider, model);
        run.codetether.cli.StartupTrace.mark("run model applied");
        message.meta("skill", skill).meta(MetadataKeys.ACCESS_MODE, accessMode(access));
        Map<String, Object> workspace = workspace(repo, ref, push);
        for (Path f : files) {
            message.attach(f);
        }
        for (Path f : Outgoing.attachments(text, Path.of(""))) {
            message.attach(f);
        }
        if (apply && detach) {
            throw new IllegalArgumentException("--apply waits for the task's change; it cannot go with --detach "
                    + "(apply it later: codetether apply TASK_ID)");
        }
        Optional<Path> local = RunWorkspace.choose(new RunWorkspace.Ask(workspaceDir, noWorkspace, repo != null,
                session != null || continueLast || taskId != null, skill), System.getenv(), Path.of(""));
        if (local.isPresent()) {
            CheckoutArchive.Archive archive = RunWorkspace.attach(message, local.get());
            root.err().println(RunWorkspace.note(archive, workspaceDir != null));
            root.err().flush();
        } else if (workspace != null) {
            message.messageMeta(MetadataKeys.WORKSPACE, workspace);
        }
        run.codetether.cli.StartupTrace.mark("run message built");
        TaskStream.Ended ended = TaskStream.runTask(root, message, text, noStream, detach);
        if (!apply || ended.exit() != ExitCodes.OK) {
            return ended.exit();
        }
        return applyChange(root, ended, local.orElse(Path.of("")));
    }

    /** {@code --apply}: the completed task's {@code changes} artifact onto the checkout {@code dir} is in. */
    private static int applyChange(CommandContext root, TaskStream.Ended ended, Path dir) throws Exception {
        if (!"completed".equals(ended.state())) {
            root.err().println("codetether: task " + ended.taskId() + " is " + ended.state() + ", not completed; "
                    + "nothing applied (once it completes: codetether apply " + ended.taskId() + ")");
            return ExitCodes.TASK_FAILED;
        }
        Optional<ChangesApplier.Change> change = ChangesCommands.fetch(root, ended.taskId());
        if (change.isEmpty()) {
            root.err().println("codetether: task " + ended.taskId() + " changed no file; nothing to apply");
            return ExitCodes.OK;
        }
        try {
            ChangesApplier.Applied applied = ChangesApplier.apply(dir, ended.taskId(), change.get(), false);
            for (String f : applied.files()) {
                root.out().println("  " + f);
            }
            root.out().println(applied.summary());
            root.out().flush();
            return ExitCodes.OK;
        } catch (ChangesApplier.NotApplicable refused) {
            root.err().println("codetether: " + refused.getMessage());
            return ExitCodes.TASK_FAILED;
        }
    }

    /**
     * {@code message.metadata.workspace} for {@code --repo URL[@REF]} / {@code --ref} / {@code --push}, or null. An
     * {@code @} after the URL's last {@code /} or {@code :} separates the ref (so {@code git@host:org/r.git} is a URL).
     */
    static Map<String, Object> workspace(String repo, String ref, String push) {
        if (repo == null) {
            if (ref != null || push != null) {
                throw new IllegalArgumentException("--ref and --push need --repo GIT_URL");
            }
            return null;
        }
        String url = repo;
        int at = repo.lastIndexOf('@');
        if (at > Math.max(repo.lastIndexOf('/'), repo.lastIndexOf(':'))) {
            url = repo.substring(0, at);
            if (ref != null) {
                throw new IllegalArgumentException("--repo " + repo + " names a ref and so does --ref; give one");
            }
            ref = repo.substring(at + 1);
        }
        Map<String, Object> git = new LinkedHashMap<>();
        git.put(MetadataKeys.URL, url);
        if (ref != null && !ref.isBlank()) {
            git.put(MetadataKeys.REF, ref);
        }
        Map<String, Object> ws = new LinkedHashMap<>();
        ws.put(MetadataKeys.GIT, git);
        if (push != null) {
            ws.put(MetadataKeys.PUSH, Map.of(MetadataKeys.BRANCH, push));
        }
        return ws;
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

    /** {@code --access}, else config.toml's {@code [agent] access_mode}, else null (the platform decides). */
    static String accessMode(String flag) throws java.io.IOException {
        if (flag != null) {
            return run.codetether.contracts.approval.AccessMode.parse(flag).wire();
        }
        return CliConfig.load(CliConfig.defaultPath()).accessMode();
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
