package run.codetether.agent.domain.loop;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import run.codetether.agent.domain.session.TaskProgress;

/**
 * A task whose tool call did not complete (tools-service, a worker or an MCP server died while it ran and the call
 * was not run again, or tools-service never came back) does not end COMPLETED, whatever the model answers after it (issue 19): the model
 * was told INTERRUPTED, but its answer may still rest on work that did not happen, and the client must not read
 * success. The model can clear a call by running it again (same tool, same arguments) to completion.
 */
final class InterruptedCalls {
    private InterruptedCalls() {}

    /** Why the task fails instead of completing with {@code answer}; empty when every call completed. */
    static Optional<String> failure(TaskProgress task, String answer) {
        Map<String, String> left = task.interruptedCalls;
        if (left == null || left.isEmpty()) {
            return Optional.empty();
        }
        String calls = left.entrySet().stream().map(e -> e.getValue().split(" ", 2)[0] + " (call " + e.getKey() + ")")
                .collect(Collectors.joining(", "));
        return Optional.of("Tool call interrupted: " + calls + " did not complete (the process that ran it stopped"
                + " while it ran)"
                + " and was not run again; it may have done part of its work. Check the workspace before running the"
                + " task again.\n\nThe agent's answer:\n" + answer);
    }
}
