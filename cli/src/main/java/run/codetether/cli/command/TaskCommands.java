package run.codetether.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.render.RunPrinter;
import run.codetether.cli.turn.Turn;

/** Commands on existing tasks: get, tasks, cancel, follow. */
public final class TaskCommands {
    private TaskCommands() {}

    @Command(name = "get", description = "Show a task (GetTask).")
    public static final class Get implements Callable<Integer> {
        @ParentCommand CodetetherCli root;
        @Parameters(paramLabel = "TASK_ID") String taskId;
        @Option(names = "--history", description = "How many history messages to include.") Integer historyLength;

        @Override
        public Integer call() throws Exception {
            A2aClient client = root.client();
            ObjectNode params = client.json().createObjectNode().put("id", taskId);
            if (historyLength != null) {
                params.put("historyLength", historyLength);
            }
            JsonNode task = client.call("GetTask", params);
            if (root.json()) {
                root.out().println(task.toPrettyString());
                return ExitCodes.OK;
            }
            Turn turn = new Turn(0);
            turn.apply(task, 0);
            root.out().println("task " + turn.taskId() + " (context " + turn.contextId() + "): " + turn.state());
            new RunPrinter(root.out(), root.ansi(), false).finish(turn, 0);
            return TaskStream.exitCode(turn);
        }
    }

    @Command(name = "tasks", aliases = "list", description = "List tasks (ListTasks), newest first.")
    public static final class ListTasks implements Callable<Integer> {
        @ParentCommand CodetetherCli root;
        @Option(names = "--context", description = "Only this conversation.") String contextId;
        @Option(names = "--page-size", defaultValue = "20") int pageSize;

        @Override
        public Integer call() throws Exception {
            A2aClient client = root.client();
            ObjectNode params = client.json().createObjectNode().put("pageSize", pageSize);
            if (contextId != null) {
                params.put("contextId", contextId);
            }
            JsonNode result = client.call("ListTasks", params);
            if (root.json()) {
                root.out().println(result.toPrettyString());
                return ExitCodes.OK;
            }
            for (JsonNode task : result.path("tasks")) {
                root.out().printf("%s  %-14s context %s%n", task.path("id").asText(),
                        Turn.shortState(task.path("status").path("state").asText()), task.path("contextId").asText());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "cancel", description = "Cancel a task (CancelTask).")
    public static final class Cancel implements Callable<Integer> {
        @ParentCommand CodetetherCli root;
        @Parameters(paramLabel = "TASK_ID") String taskId;

        @Override
        public Integer call() throws Exception {
            A2aClient client = root.client();
            JsonNode task = client.call("CancelTask", client.json().createObjectNode().put("id", taskId));
            root.out().println(root.json() ? task.toPrettyString()
                    : "task " + taskId + ": " + Turn.shortState(task.path("status").path("state").asText()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "follow", description = "Follow a running task's events (SubscribeToTask).")
    public static final class Follow implements Callable<Integer> {
        @ParentCommand CodetetherCli root;
        @Parameters(paramLabel = "TASK_ID") String taskId;

        @Override
        public Integer call() throws Exception {
            A2aClient client = root.client();
            Turn turn = new Turn(System.nanoTime());
            RunPrinter printer = new RunPrinter(root.out(), root.ansi(), root.tty());
            client.stream("SubscribeToTask", client.json().createObjectNode().put("id", taskId), event -> {
                boolean end = turn.apply(event, System.nanoTime());
                if (root.json()) {
                    root.out().println(event.toString());
                    root.out().flush();
                } else {
                    printer.sync(turn, System.nanoTime());
                }
                return !end;
            });
            if (!root.json()) {
                printer.finish(turn, System.nanoTime());
            }
            return TaskStream.exitCode(turn);
        }
    }
}
