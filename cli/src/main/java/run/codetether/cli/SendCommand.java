package run.codetether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "send", aliases = "run", description = "Send a message (a coding task) and follow it until it ends.")
final class SendCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The message text.")
    List<String> words;

    @Option(names = "--context", description = "Continue this conversation (contextId).")
    String contextId;

    @Option(names = "--task", description = "Continue this task (e.g. one waiting for input).")
    String taskId;

    @Option(names = "--provider", description = "LLM provider (e.g. anthropic, local).")
    String provider;

    @Option(names = "--model", description = "Model id of the provider.")
    String model;

    @Option(names = "--skill", description = "Skill to use (e.g. swarm, ralph, rlm).")
    String skill;

    @Option(names = "--no-stream", description = "Do not stream; wait for the final task (SendMessage).")
    boolean noStream;

    @Option(names = "--detach", description = "Return at once with the task id (returnImmediately).")
    boolean detach;

    @Option(names = "--json", description = "Print raw JSON results.")
    boolean rawJson;

    @Override
    public Integer call() throws Exception {
        A2aClient client = root.client();
        ObjectNode params = client.json().createObjectNode();
        ObjectNode message = params.putObject("message");
        message.put("messageId", UUID.randomUUID().toString());
        message.put("role", "ROLE_USER");
        message.putArray("parts").addObject().put("text", String.join(" ", words));
        if (contextId != null) {
            message.put("contextId", contextId);
        }
        if (taskId != null) {
            message.put("taskId", taskId);
        }
        ObjectNode metadata = params.putObject("metadata");
        if (provider != null) {
            metadata.put("provider", provider);
        }
        if (model != null) {
            metadata.put("model", model);
        }
        if (skill != null) {
            metadata.put("skill", skill);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (noStream || detach) {
            params.putObject("configuration").put("returnImmediately", detach);
            JsonNode result = client.call("SendMessage", params);
            out.println(rawJson ? result.toPrettyString() : TaskRenderer.summary(result));
            return TaskRenderer.exitCode(result);
        }
        int[] exit = {0};
        client.stream("SendStreamingMessage", params, event -> {
            out.println(rawJson ? event.toString() : TaskRenderer.event(event));
            out.flush();
            exit[0] = TaskRenderer.exitCode(event);
            return true;
        });
        return exit[0];
    }
}
