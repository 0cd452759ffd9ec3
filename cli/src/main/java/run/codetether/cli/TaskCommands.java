package run.codetether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Commands on existing tasks. */
final class TaskCommands {
    private TaskCommands() {}

    @Command(name = "get", description = "Show a task (GetTask).")
    static final class Get implements Callable<Integer> {
        @ParentCommand CodetetherCli root;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "TASK_ID") String taskId;
        @Option(names = "--history", description = "How many history messages to include.") Integer historyLength;
        @Option(names = "--json", description = "Print raw JSON.") boolean rawJson;

        @Override
        public Integer call() throws Exception {
            A2aClient client = root.client();
            ObjectNode params = client.json().createObjectNode().put("id", taskId);
            if (historyLength != null) {
                params.put("historyLength", historyLength);
            }
            JsonNode task = client.call("GetTask", params);
            spec.commandLine().getOut().println(rawJson ? task.toPrettyString() : TaskRenderer.summary(task));
            return 0;
        }
    }

    @Command(name = "list", aliases = "sessions", description = "List tasks (ListTasks), newest first.")
    static final class ListTasks implements Callable<Integer> {
        @ParentCommand CodetetherCli root;
        @Spec CommandSpec spec;
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
            for (JsonNode task : result.path("tasks")) {
                spec.commandLine().getOut().printf("%s  %-14s context %s%n", task.path("id").asText(),
                        TaskRenderer.state(task.path("status").path("state").asText()), task.path("contextId").asText());
            }
            return 0;
        }
    }

    @Command(name = "cancel", description = "Cancel a task (CancelTask).")
    static final class Cancel implements Callable<Integer> {
        @ParentCommand CodetetherCli root;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "TASK_ID") String taskId;

        @Override
        public Integer call() throws Exception {
            A2aClient client = root.client();
            JsonNode task = client.call("CancelTask", client.json().createObjectNode().put("id", taskId));
            spec.commandLine().getOut().println(TaskRenderer.summary(task));
            return 0;
        }
    }

    @Command(name = "follow", aliases = "resume", description = "Follow a running task's events (SubscribeToTask).")
    static final class Subscribe implements Callable<Integer> {
        @ParentCommand CodetetherCli root;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "TASK_ID") String taskId;

        @Override
        public Integer call() throws Exception {
            A2aClient client = root.client();
            int[] exit = {0};
            client.stream("SubscribeToTask", client.json().createObjectNode().put("id", taskId), event -> {
                spec.commandLine().getOut().println(TaskRenderer.event(event));
                spec.commandLine().getOut().flush();
                exit[0] = TaskRenderer.exitCode(event);
                return true;
            });
            return exit[0];
        }
    }
}
