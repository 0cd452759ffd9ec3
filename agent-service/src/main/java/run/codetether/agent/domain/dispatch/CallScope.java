package run.codetether.agent.domain.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.domain.session.TaskProgress;
import run.codetether.contracts.events.Progress;

/** The running task as a tool dispatch sees it. Valid only during the call; owned by the task's thread. */
public interface CallScope {

    String taskId();

    /** 0 for a task, 1+ for a sub-agent (whose calls were approved with the call that started it). */
    int depth();

    /** The task's session; changes are saved with the call's result. */
    Session session();

    /** Where the task stands (steps, changed files). */
    TaskProgress task();

    /** The tools-service session whose workspace this task edits (sub-agents and swarm subtasks share one). */
    String workspaceId();

    /**
     * The call id tools-service sees for a call of this task: unique in the shared workspace (sub-agents and swarm
     * subtasks get a prefix) and at most 256 characters.
     */
    String wireCallId(String callId);

    /**
     * Called before each call that runs in the task's workspace (tools-service and MCP tools, loop tools): the first
     * such call of a task whose workspace is made lazily makes it (once, also with calls in parallel), and a call
     * that {@code runs} is counted, so the end of the task asks for its diff only when something ran there.
     *
     * @param runs false for a look that changes nothing (an approval's preview)
     * @return empty when the call may go on; otherwise why the workspace could not be made (the call does not run)
     */
    default java.util.Optional<String> useWorkspace(boolean runs) throws InterruptedException {
        return java.util.Optional.empty();
    }

    /** Limit of one tool call. */
    Duration toolTimeout();

    /** Least time between two partial (streamed) status updates. */
    Duration partialEvery();

    /** A working-state status update to the A2A client. */
    void progress(String text, Progress progress);

    /** A working-state status update with display details (keys from MetadataKeys). */
    default void progress(String text, Progress progress, java.util.Map<String, Object> details) {
        progress(text, progress);
    }

    /** Throws the loop's stop signal when the task was canceled or handed over. */
    void checkStop();

    /** True once the task must publish nothing more: canceled or handed over. */
    boolean stopping();

    /** Loop tools may replace a successful workspace-tool output before the model reads it (rlm's routing). */
    String filterOutput(String tool, JsonNode arguments, String output) throws InterruptedException;
}
