package run.codetether.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.workspace.ChangesApplier;

/**
 * Getting a task's change out: {@code diff} prints (or saves) its {@code changes} artifact, {@code apply} applies it to
 * the local checkout with {@code git apply}. A task that changed nothing says so and exits 1, never an empty success.
 */
public final class ChangesCommands {
    private ChangesCommands() {}

    static Optional<ChangesApplier.Change> fetch(run.codetether.cli.CommandContext root, String taskId) throws Exception {
        A2aClient client = root.client();
        JsonNode task = client.call("GetTask", client.json().createObjectNode().put("id", taskId));
        return ChangesApplier.find(task.has("task") ? task.path("task") : task);
    }

    @Command(name = "diff", description = {"Print a task's change (its `changes` artifact) as a unified git diff.",
        "Exit 1 when the task changed no file."})
    public static final class Diff implements Callable<Integer> {
        @ParentCommand CodetetherCli root;
        @Parameters(paramLabel = "TASK_ID") String taskId;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the diff to FILE instead.") Path output;

        @Override
        public Integer call() throws Exception {
            Optional<ChangesApplier.Change> change = fetch(root, taskId);
            if (change.isEmpty()) {
                root.err().println("codetether: task " + taskId + " changed no file (it has no changes artifact)");
                return ExitCodes.TASK_FAILED;
            }
            if (output != null) {
                ChangesApplier.save(change.get(), output);
                root.err().println("wrote " + output + " (" + summary(change.get()) + ")");
            } else {
                root.out().print(new String(change.get().diff(), StandardCharsets.UTF_8));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "apply", description = {"Apply a task's change to the local git checkout (git apply, checked first).",
        "Nothing is changed when it does not apply; the message says against what it was made.",
        "Exit 0 applied, 1 no change or it does not apply."})
    public static final class Apply implements Callable<Integer> {
        @ParentCommand CodetetherCli root;
        @Parameters(paramLabel = "TASK_ID") String taskId;
        @Option(names = {"-C", "--dir"}, paramLabel = "DIR", defaultValue = ".", description = "The checkout (default: the current directory).") Path dir;
        @Option(names = "--3way", description = "Fall back to a three-way merge for hunks whose context moved.") boolean threeWay;

        @Override
        public Integer call() throws Exception {
            Optional<ChangesApplier.Change> change = fetch(root, taskId);
            if (change.isEmpty()) {
                root.err().println("codetether: task " + taskId + " changed no file (it has no changes artifact)");
                return ExitCodes.TASK_FAILED;
            }
            try {
                ChangesApplier.Applied applied = ChangesApplier.apply(dir, taskId, change.get(), threeWay);
                for (String f : applied.files()) {
                    root.out().println("  " + f);
                }
                root.out().println(applied.summary());
                if (change.get().pushedBranch() != null) {
                    root.out().println("also pushed as " + change.get().pushedBranch() + " (" + change.get().pushedCommit() + ")");
                }
                return ExitCodes.OK;
            } catch (ChangesApplier.NotApplicable refused) {
                root.err().println("codetether: " + refused.getMessage());
                return ExitCodes.TASK_FAILED;
            }
        }
    }

    private static String summary(ChangesApplier.Change c) {
        return c.filesChanged() + " file" + (c.filesChanged() == 1 ? "" : "s") + ", +" + c.insertions() + " -" + c.deletions();
    }
}
